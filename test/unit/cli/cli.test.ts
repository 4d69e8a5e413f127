/** The built CLI (dist/cli.js) as CI runs it: a child process, its output and its exit status. Run `npm run build` first (npm test does). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';
import { RULES } from '../../../server/src/core/rules';
import { ENGINE_APPLIES_SUPPRESSIONS } from '../suppression/lint';
import { CLI, runCli, writeUnder } from '../../support/cli';

let dir = '';

function run(args: string[], input?: string, cwd = dir) {
  return runCli(args, { cwd, input });
}

function write(name: string, text: string): string {
  return writeUnder(dir, name, text);
}

/** A warning and nothing else: duplicate-key. */
const WARNING_ONLY = '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n';
/** An error: a line supervisor cannot parse. */
const WITH_ERROR = '[program:w]\ncommand=/bin/cat\nthis is not a key\n';
const CLEAN = '[program:w]\ncommand=/bin/cat\n';

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
  write('warning.conf', WARNING_ONLY);
  write('error.conf', WITH_ERROR);
  write('clean.conf', CLEAN);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('text output: file:line:col severity code message, the fix as a diff, and a summary', () => {
  const r = run(['warning.conf']);
  assert.equal(r.code, 0, 'a warning does not fail by default');
  assert.match(r.stdout, /^warning\.conf:4:1: warning duplicate-key 'user' is already set on line 3\./m);
  assert.match(r.stdout, /fix \(preferred\): Remove the earlier 'user'/);
  assert.match(r.stdout, /^ +- user=a$/m);
  assert.match(r.stdout, /1 file\(s\): 0 error\(s\), 1 warning\(s\), 0 information, 0 hint\(s\)\./);
  // A fix line, not the word: the rule docs' path in the summary can contain it (a clone in /tmp/fixes).
  assert.doesNotMatch(run(['--no-fixes', 'warning.conf']).stdout, /^ +fix\b/m);
});

test('--fail-on: exit 1 at or above the chosen severity, default error', () => {
  assert.equal(run(['error.conf']).code, 1);
  assert.equal(run(['clean.conf']).code, 0);
  assert.equal(run(['--fail-on', 'error', 'warning.conf']).code, 0);
  assert.equal(run(['--fail-on', 'warning', 'warning.conf']).code, 1);
  assert.equal(run(['--fail-on=information', 'warning.conf']).code, 1);
  assert.equal(run(['--fail-on', 'warning', 'error.conf']).code, 1, 'an error is above warning');
  assert.equal(run(['--fail-on', 'warning', 'clean.conf']).code, 0);
  // Information only: a Celery worker with everything but -l.
  const info = write('info.conf', '[program:w]\ncommand=celery -A proj worker --max-memory-per-child 262144\nautorestart=true\nstartsecs=10\nstopwaitsecs=600\nkillasgroup=true\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\ndirectory=/srv/app\nuser=app\n');
  const severities = JSON.parse(run(['--format', 'json', info]).stdout).files[0].findings.map((f: { severity: string }) => f.severity);
  assert.ok(severities.length > 0 && severities.every((s: string) => s === 'information' || s === 'hint'), `fixture has only information findings: ${severities.join(', ')}`);
  assert.equal(run(['--fail-on', 'warning', info]).code, 0);
  assert.equal(run(['--fail-on', 'information', info]).code, 1);
  const bad = run(['--fail-on', 'hints', 'clean.conf']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on must be error, warning or information/);
});

test('- reads standard input, named <stdin> in the output', () => {
  const r = run(['-'], WARNING_ONLY);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^<stdin>:4:1: warning duplicate-key/m);
  assert.equal(run(['--fail-on', 'warning', '-'], WARNING_ONLY).code, 1);
});

test('--version prints the package version; --help the usage', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = run(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), pkg.version);
  const help = run(['--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--fail-on', '--explain', '--list-rules', '--format text|json|sarif', 'supervisor-lint: disable=']) assert.ok(help.stdout.includes(flag), flag);
});

test('--list-rules lists every rule and unused-suppression, with severity and summary', () => {
  const r = run(['--list-rules']);
  assert.equal(r.code, 0);
  const listed = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
  for (const rule of RULES) assert.ok(listed.includes(rule.code), rule.code);
  assert.ok(listed.includes('unused-suppression'));
  assert.equal(new Set(listed).size, listed.length, 'no code twice');
  assert.match(r.stdout, /^duplicate-key +warning +/m);
});

test('--explain prints the rule\'s documentation page; unknown or malformed codes are usage errors', () => {
  const r = run(['--explain', 'duplicate-key']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', 'duplicate-key.md'), 'utf8'));
  assert.equal(run(['--explain=unused-suppression']).stdout, fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', 'unused-suppression.md'), 'utf8'));
  const unknown = run(['--explain', 'no-such-rule']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule code "no-such-rule"/);
  assert.equal(run(['--explain', '../../package']).code, 2);
  assert.equal(run(['--explain']).code, 2);
});

test('--explain on a rule that has no documentation page yet prints its severity and summary', () => {
  const missing = RULES.filter((r) => !fs.existsSync(path.join(REPO_ROOT, 'docs', 'rules', `${r.code}.md`)));
  for (const rule of missing.slice(0, 3)) {
    const r = run(['--explain', rule.code]);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes(rule.summary), rule.code);
  }
  if (missing.length) console.log(`rules without a documentation page: ${missing.map((r) => r.code).join(', ')}`);
});

test('--format json keeps its shape: files[].findings with 1-based positions and fixes, and a summary', () => {
  const r = run(['--format', 'json', 'warning.conf', 'clean.conf']);
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['files', 'summary']);
  assert.deepEqual(out.summary, { files: 2, errors: 0, warnings: 1, information: 0, hints: 0 });
  assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['warning.conf', 'clean.conf']);
  const [f] = out.files[0].findings;
  // `related` is there when the finding is about another place too (here: the earlier user=).
  assert.deepEqual(Object.keys(f), ['line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'related', 'fixes']);
  assert.deepEqual([f.line, f.column, f.endLine, f.endColumn, f.code], [4, 1, 4, 5, 'duplicate-key']);
  assert.deepEqual(f.fixes[0].edits[0], { line: 3, column: 1, endLine: 4, endColumn: 1, newText: '' });
});

test('related locations: a "see" line in text, related in JSON, relatedLocations in SARIF', () => {
  const text = run(['--no-fixes', 'warning.conf']).stdout;
  assert.match(text, /^warning\.conf:4:1: warning duplicate-key .*\n    see warning\.conf:3:1: The earlier user=, which supervisor ignores$/m);
  const [f] = JSON.parse(run(['--format', 'json', 'warning.conf']).stdout).files[0].findings;
  assert.deepEqual(f.related, [{ line: 3, column: 1, message: 'The earlier user=, which supervisor ignores' }]);
  const [result] = JSON.parse(run(['--format', 'sarif', 'warning.conf']).stdout).runs[0].results;
  assert.deepEqual(result.relatedLocations, [
    {
      id: 0,
      message: { text: 'The earlier user=, which supervisor ignores' },
      physicalLocation: { artifactLocation: { uri: 'warning.conf', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 5 } },
    },
  ]);
});

test('a finding a setting would resolve names it: in text as .supervisor-lint.json, in JSON as setting', () => {
  write('newer.conf', '[program:w]\ncommand=celery -A p --skip-checks worker\n');
  assert.match(run(['--no-fixes', 'newer.conf']).stdout, /^ {4}or, if the workers run Celery 5\.3 or later: set \{"celery":\{"version":"5\.3"\}\} in \.supervisor-lint\.json$/m);
  const f = JSON.parse(run(['--format', 'json', 'newer.conf']).stdout).files[0].findings.find((x: { code: string }) => x.code === 'celery-unknown-option');
  assert.deepEqual(f.setting, { key: 'celery.version', value: '5.3' });
});

test('unreadable files: exit 2, with the reason on stderr', () => {
  const r = run(['clean.conf', 'missing.conf']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read missing\.conf: no such file/);
  assert.equal(run([]).code, 2);
  assert.equal(run(['--bogus', 'clean.conf']).code, 2);
  assert.equal(run(['--format', 'xml', 'clean.conf']).code, 2);
});

test(
  'inline suppression comments are honoured',
  { todo: ENGINE_APPLIES_SUPPRESSIONS ? undefined : 'analyze.ts does not call applySuppressions yet' },
  () => {
    const r = run(['--format', 'json', '--fail-on', 'warning', '-'], '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b ; supervisor-lint: disable=duplicate-key -- on purpose\n');
    assert.deepEqual(JSON.parse(r.stdout).files[0].findings, []);
    assert.equal(r.code, 0);
  },
);

test('--check-machine checks commands and directories against this machine; without it nothing is checked', () => {
  const bin = path.join(dir, 'venv', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'celery'), '#!/bin/sh\n', { mode: 0o755 });
  write('paths.conf', `[program:worker]\ncommand=${bin}/celry -A proj worker -l info\ndirectory=${dir}/proj\nuser=no-such-account-here\nstdout_logfile=%(here)s/logs/worker.log\n`);
  const all = JSON.parse(run(['--check-machine', '--format', 'json', 'paths.conf']).stdout).files[0].findings;
  // %(here)s is the folder of the file given, checked alone.
  assert.match(all.find((f: { code: string }) => f.code === 'folder-not-found').message, /the path .*\/logs\/worker\.log does not exist/);
  assert.match(all.find((f: { code: string }) => f.code === 'user-not-found').message, /This machine has no account no-such-account-here/);
  const checked = all.filter((f: { code: string }) => f.code === 'path-not-found');
  assert.deepEqual(
    checked.map((f: { message: string }) => f.message.replaceAll(dir, '<dir>')),
    [
      `'worker' cannot start on this machine: supervisor says "can't find command '<dir>/venv/bin/celry'" and marks it FATAL after startretries. Did you mean <dir>/venv/bin/celery?`,
      `'worker' cannot start on this machine: supervisor says "couldn't chdir to <dir>/proj: ENOENT" and marks it FATAL after startretries.`,
    ],
  );
  assert.doesNotMatch(run(['paths.conf']).stdout, /path-not-found|user-not-found/);
  assert.match(run(['--help']).stdout, /--check-machine/);
});

test('bytes that are not UTF-8 (a Latin-1 file): an error at the first of them, in the file given and in the files its [include] reads', () => {
  const latin1 = (name: string, text: string) => fs.writeFileSync(write(name, ''), Buffer.from(text, 'latin1'));
  latin1('l3.conf', '[supervisord]\nlogfile=/tmp/sd.log\n[program:x]\ncommand=/bin/echo caf\u00e9\n');
  const r = run(['--no-fixes', 'l3.conf']);
  assert.match(r.stdout, /^l3\.conf:4:22: error invalid-utf8 This byte \(0xE9\) is not UTF-8.*codec can't decode byte 0xe9/m);
  assert.equal(r.code, 1);
  write('latin1/supervisord.conf', '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
  latin1('latin1/conf.d/worker.conf', '; r\u00e9sum\u00e9 worker\n[program:w]\ncommand=/bin/cat\n');
  const json = JSON.parse(run(['--format', 'json', 'latin1/supervisord.conf']).stdout);
  assert.deepEqual(
    json.files.map((f: { path: string; findings: { code: string; line: number; column: number }[] }) => [f.path, f.findings.map((x) => `${x.code} ${x.line}:${x.column}`)]),
    [['latin1/supervisord.conf', []], ['latin1/conf.d/worker.conf', ['invalid-utf8 1:4']]],
  );
  assert.equal(run(['--disable', 'invalid-utf8', 'l3.conf']).code, 0);
  assert.match(run(['--list-rules']).stdout, /^invalid-utf8 +error +/m);
  assert.match(run(['--explain', 'invalid-utf8']).stdout, /^# invalid-utf8\n/);
});
