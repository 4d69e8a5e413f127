/**
 * `--disable` and the `.supervisor-lint.json` config file of the built CLI (dist/cli.js, run as a child
 * process), and the config schema kept in step with package.json's contributes.configuration.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { REPO_ROOT } from '../../support/paths';
import { DEFAULT_SETTINGS, settingsFrom } from '../../../server/src/core/settings';
import { CLI, runCli, writeUnder } from '../../support/cli';

const SCHEMA_FILE = path.join(REPO_ROOT, 'schemas', 'supervisor-lint.schema.json');
let dir = '';

function run(args: string[], input?: string, cwd = dir) {
  return runCli(args, { cwd, input });
}

function write(name: string, text: string): string {
  return writeUnder(dir, name, text);
}

/** The codes --format json reports for a file. */
function codes(args: string[], input?: string, cwd = dir): string[] {
  const r = run(['--format', 'json', ...args], input, cwd);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { files: { findings: { code: string }[] }[] }).files.flatMap((f) => f.findings.map((x) => x.code));
}

/** duplicate-key (warning) and celery-startsecs-short (information) and nothing else worth naming here. */
const CONF = '[program:w]\ncommand=celery -A proj worker -l info --max-memory-per-child 262144\nautorestart=true\nstopwaitsecs=600\nkillasgroup=true\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\ndirectory=/srv/app\nstartsecs=1\nuser=a\nuser=b\n';
/** -c 8 on a prefork worker: celery-concurrency-above-cores only when serverCpuCount is set below 8. */
const CPU = '[program:w]\ncommand=celery -A proj worker -l info -c 8 --max-memory-per-child 262144\nautorestart=true\nstartsecs=10\nstopwaitsecs=600\nkillasgroup=true\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\ndirectory=/srv/app\n';
/** An unused suppression: unused-suppression. */
const UNUSED = '[program:w]\ncommand=/bin/cat ; supervisor-lint: disable=duplicate-key\n';

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  // realpath: on macOS the temp folder is a symlink, and the CLI resolves paths.
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-config-test-')));
  write('plain/x.conf', CONF);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the fixtures report what the tests below turn off', () => {
  const found = codes(['plain/x.conf']);
  assert.ok(found.includes('duplicate-key') && found.includes('celery-startsecs-short'), found.join(', '));
  assert.deepEqual(codes(['-'], UNUSED), ['unused-suppression']);
});

test('--disable turns rules off: repeatable, comma-separated, = form, unused-suppression too', () => {
  const all = codes(['plain/x.conf']);
  assert.deepEqual(codes(['--disable', 'duplicate-key', 'plain/x.conf']), all.filter((c) => c !== 'duplicate-key'));
  const both = all.filter((c) => c !== 'duplicate-key' && c !== 'celery-startsecs-short');
  assert.deepEqual(codes(['--disable', 'duplicate-key', '--disable', 'celery-startsecs-short', 'plain/x.conf']), both);
  assert.deepEqual(codes(['--disable=duplicate-key,celery-startsecs-short', 'plain/x.conf']), both);
  assert.deepEqual(codes(['--disable', 'duplicate-key, celery-startsecs-short', 'plain/x.conf']), both);
  assert.deepEqual(codes(['--disable', 'unused-suppression', '-'], UNUSED), []);
  // A warning turned off no longer fails --fail-on warning.
  assert.equal(run(['--fail-on', 'warning', '--disable', 'duplicate-key', '-'], '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n').code, 0);
});

test('--disable with an unknown, empty or missing code: exit 2 naming the code', () => {
  const unknown = run(['--disable', 'duplicate-key,celery-no-such-rule', 'plain/x.conf']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule code "celery-no-such-rule"/);
  assert.equal(unknown.stdout, '');
  const empty = run(['--disable', 'duplicate-key,,', 'plain/x.conf']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /empty rule code/);
  assert.equal(run(['plain/x.conf', '--disable']).code, 2);
  assert.equal(run(['--disable=', 'plain/x.conf']).code, 2);
});

test('.supervisor-lint.json: the nearest one walking up from each file\'s folder applies to that file', () => {
  write('proj/.supervisor-lint.json', JSON.stringify({ rules: { 'celery-startsecs-short': 'off' } }));
  write('proj/deploy/conf.d/a.conf', CONF);
  write('proj/sub/.supervisor-lint.json', JSON.stringify({ rules: { 'duplicate-key': 'error' } }));
  write('proj/sub/b.conf', CONF);
  const r = JSON.parse(run(['--format', 'json', 'proj/deploy/conf.d/a.conf', 'proj/sub/b.conf', 'plain/x.conf']).stdout) as {
    files: { path: string; findings: { code: string; severity: string }[] }[];
  };
  const [a, b, plain] = r.files;
  assert.ok(!a.findings.some((f) => f.code === 'celery-startsecs-short'), 'parent folder config applies');
  assert.equal(a.findings.find((f) => f.code === 'duplicate-key')?.severity, 'warning');
  // The nearest file wins whole: proj/sub's does not inherit proj's.
  assert.ok(b.findings.some((f) => f.code === 'celery-startsecs-short'));
  assert.equal(b.findings.find((f) => f.code === 'duplicate-key')?.severity, 'error', 'severity override');
  assert.ok(plain.findings.some((f) => f.code === 'celery-startsecs-short'), 'no config above plain/');
  assert.equal(run(['proj/sub/b.conf']).code, 1, 'the raised severity fails the run');
  // Absolute paths and a working directory elsewhere: the lookup follows the file, not the cwd.
  assert.ok(!codes([path.join(dir, 'proj/deploy/conf.d/a.conf')], undefined, os.tmpdir()).includes('celery-startsecs-short'));
  // Standard input: looked up from the working directory.
  assert.ok(!codes(['-'], CONF, path.join(dir, 'proj', 'deploy')).includes('celery-startsecs-short'));
  assert.ok(codes(['-'], CONF, path.join(dir, 'plain')).includes('celery-startsecs-short'));
});

test('the config file reads the editor\'s settings: celery, memmon, validate.enable', () => {
  write('cpu/w.conf', CPU);
  assert.ok(!codes(['cpu/w.conf']).includes('celery-concurrency-above-cores'), 'serverCpuCount unset: not reported');
  write('cpu/.supervisor-lint.json', JSON.stringify({ $schema: '../schemas/supervisor-lint.schema.json', celery: { version: '5.3', serverCpuCount: 4 } }));
  assert.ok(codes(['cpu/w.conf']).includes('celery-concurrency-above-cores'), 'serverCpuCount 4 < 8 pool processes');
  write('off/.supervisor-lint.json', JSON.stringify({ validate: { enable: false } }));
  write('off/x.conf', CONF);
  assert.deepEqual(codes(['off/x.conf']), []);
  // The memmon default limit goes into the quick fix that adds a listener.
  write('mem/.supervisor-lint.json', JSON.stringify({ memmon: { defaultLimit: '777MB' } }));
  write('mem/t.conf', '[program:t]\ncommand=celery -A proj worker -P threads -c 20 -l info\n');
  const out = run(['--format', 'json', 'mem/t.conf']).stdout;
  assert.match(out, /777MB/);
});

test('--disable wins over the config file; --config replaces the lookup; --no-config ignores it', () => {
  write('win/.supervisor-lint.json', JSON.stringify({ rules: { 'duplicate-key': 'error' } }));
  write('win/x.conf', CONF);
  assert.ok(codes(['win/x.conf']).includes('duplicate-key'));
  assert.ok(!codes(['--disable', 'duplicate-key', 'win/x.conf']).includes('duplicate-key'));
  write('elsewhere/ci.json', JSON.stringify({ rules: { 'celery-startsecs-short': 'off' } }));
  const viaConfig = codes(['--config', 'elsewhere/ci.json', 'win/x.conf', 'plain/x.conf']);
  assert.equal(viaConfig.filter((c) => c === 'celery-startsecs-short').length, 0, '--config applies to every file');
  assert.equal(run(['--config', 'elsewhere/ci.json', 'win/x.conf']).code, 0, 'win/.supervisor-lint.json (duplicate-key: error) not read');
  assert.equal(run(['--config=elsewhere/ci.json', 'win/x.conf']).code, 0);
  assert.equal(run(['win/x.conf']).code, 1);
  assert.equal(run(['--no-config', 'win/x.conf']).code, 0, 'duplicate-key back to warning');
  const missing = run(['--config', 'elsewhere/none.json', 'win/x.conf']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read config file .*none\.json: no such file/);
  assert.equal(run(['--config', 'elsewhere/ci.json', '--no-config', 'win/x.conf']).code, 2);
  assert.equal(run(['win/x.conf', '--config']).code, 2);
});

test('a malformed config file: exit 2 with its path and the reason, before any output', () => {
  const cases: [string, RegExp][] = [
    ['{"rules": {', /not valid JSON: /],
    ['', /not valid JSON: /],
    ['[]', /must be a JSON object .* not an array/],
    ['"off"', /must be a JSON object .* not string/],
    ['null', /must be a JSON object .* not null/],
    ['{"rules": {"duplicate-key": "of"}}', /rules\.duplicate-key must be one of "error", "warning", "information", "hint", "off"/],
    ['{"rules": {"no-such-rule": "off"}}', /rules: unknown rule code "no-such-rule"; --list-rules lists them all/],
    ['{"rules": {"duplicate-kye": "off"}}', /rules: unknown rule code "duplicate-kye" \(did you mean duplicate-key\?\)/],
    ['{"rules": []}', /rules must be of type object/],
    ['{"celery": {"version": "6.0"}}', /celery\.version must be one of "4\.4", .*"5\.6"/],
    ['{"celery": {"serverCpuCount": 0}}', /celery\.serverCpuCount must be >= 1/],
    ['{"celery": {"serverCpuCount": "4"}}', /celery\.serverCpuCount must be of type integer or null/],
    ['{"celery": {"maxMemoryPerChildKiB": 1.5}}', /celery\.maxMemoryPerChildKiB must be of type integer/],
    ['{"memmon": {"defaultLimit": "512M"}}', /memmon\.defaultLimit must match pattern/],
    ['{"validate": {"enable": "yes"}}', /validate\.enable must be of type boolean/],
    ['{"rule": {}}', /unknown key "rule" in the top level/],
    ['{"celery": {"versoin": "5.3"}}', /unknown key "versoin" in celery/],
    ['{"detectByContent": true}', /unknown key "detectByContent"/],
  ];
  for (const [text, expected] of cases) {
    const config = write('bad/.supervisor-lint.json', text);
    write('bad/x.conf', CONF);
    const r = run(['bad/x.conf', 'plain/x.conf']);
    assert.equal(r.code, 2, text);
    assert.equal(r.stdout, '', `${text}: nothing linted`);
    assert.ok(r.stderr.includes(config), `${text}: path named: ${r.stderr}`);
    assert.match(r.stderr, expected, text);
  }
  // Every problem is listed, not only the first.
  write('bad/.supervisor-lint.json', '{"rules": {"duplicate-key": "of"}, "celery": {"version": "6.0"}}');
  const r = run(['bad/x.conf']);
  assert.match(r.stderr, /duplicate-key/);
  assert.match(r.stderr, /celery\.version/);
  // --no-config skips even a broken file.
  assert.equal(run(['--no-config', 'bad/x.conf']).code, 0);
  fs.rmSync(path.join(dir, 'bad'), { recursive: true });
});

test('README example and a byte order mark are accepted', () => {
  write('ok/.supervisor-lint.json', '\uFEFF{"rules": {"celery-startsecs-short": "off"}, "celery": {"version": "5.3", "serverCpuCount": 4}}');
  write('ok/x.conf', CONF);
  assert.ok(!codes(['ok/x.conf']).includes('celery-startsecs-short'));
  write('ok/.supervisor-lint.json', '{"celery": {"serverCpuCount": null}, "rules": {}}');
  assert.ok(codes(['ok/x.conf']).includes('celery-startsecs-short'));
});

// ---- The schema and package.json's contributes.configuration agree ----

interface Prop {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  pattern?: string;
  additionalProperties?: Prop | boolean;
  properties?: Record<string, Prop>;
}

/** Settings only the editor reads; the CLI's config file does not take them. */
const EDITOR_ONLY = ['supervisor.detectByContent', 'supervisor.reloadReminder', 'supervisor.trace.server', 'supervisor.mainConfig', 'supervisor.machineChecks', 'supervisor.inlayHints.units', 'supervisor.inlayHints.processNames', 'supervisor.codeLens.celeryWorkers', 'supervisor.codeLens.processStatus'];

function packageSettings(): Record<string, Prop> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return pkg.contributes.configuration.properties as Record<string, Prop>;
}

function schema(): Prop & { properties: Record<string, Prop> } {
  return JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
}

/** The schema's leaves as dotted setting names: celery.version -> supervisor.celery.version. */
function schemaLeaves(node: Prop, prefix: string, out: Map<string, Prop>): Map<string, Prop> {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema') continue;
    const name = `${prefix}.${key}`;
    // rules is one setting (its properties are the rule codes, generated: see test/unit/readme.test.ts).
    if (child.type === 'object' && child.properties && key !== 'rules') schemaLeaves(child, name, out);
    else out.set(name, child);
  }
  return out;
}

test('schemas/supervisor-lint.schema.json has the keys, types, enums, defaults and limits of package.json\'s settings', () => {
  const pkg = packageSettings();
  for (const key of EDITOR_ONLY) assert.ok(key in pkg, `${key} is no longer a setting: update EDITOR_ONLY`);
  const expected = Object.keys(pkg).filter((k) => !EDITOR_ONLY.includes(k)).sort();
  const leaves = schemaLeaves(schema(), 'supervisor', new Map());
  assert.deepEqual([...leaves.keys()].sort(), expected, 'a setting added to package.json belongs in the schema (or in EDITOR_ONLY)');
  const norm = (p: Prop) => ({
    type: p.type,
    enum: p.enum,
    default: p.default,
    minimum: p.minimum,
    pattern: p.pattern,
    additionalProperties: typeof p.additionalProperties === 'object' ? { type: p.additionalProperties.type, enum: p.additionalProperties.enum } : p.additionalProperties,
  });
  for (const key of expected) assert.deepEqual(norm(leaves.get(key)!), norm(pkg[key]), key);
});

test('the schema is a valid draft-07 schema, closed to unknown keys, and settingsFrom reads every key in it', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  const validate = ajv.compile(schema());
  const full = { $schema: './schema.json', validate: { enable: false }, rules: { 'duplicate-key': 'off' }, celery: { version: '5.5', maxMemoryPerChildKiB: 131072, serverCpuCount: 2 }, memmon: { defaultLimit: '1GB' } };
  assert.ok(validate(full), JSON.stringify(validate.errors));
  assert.ok(validate({}));
  assert.ok(!validate({ celery: { version: '5.5', extra: 1 } }));
  // Every key of the schema changes what settingsFrom returns, so none is accepted and then ignored.
  const s = settingsFrom(full);
  assert.deepEqual(s, { validateEnable: false, rules: { 'duplicate-key': 'off' }, celeryVersion: '5.5', maxMemoryPerChildKiB: 131072, serverCpuCount: 2, memmonDefaultLimit: '1GB' });
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof typeof DEFAULT_SETTINGS)[]) assert.notDeepEqual(s[key], DEFAULT_SETTINGS[key], key);
});

test('--help documents --disable, --config, --no-config and the config file', () => {
  const help = run(['--help']).stdout;
  for (const s of ['--disable CODE[,CODE...]', '--config FILE', '--no-config', '.supervisor-lint.json']) assert.ok(help.includes(s), s);
});
