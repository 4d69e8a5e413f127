/**
 * `--format sarif` checked against the SARIF 2.1.0 JSON schema, as shipped by the @microsoft/jest-sarif
 * package (lib/schemas/sarif-2.1.0-rtm.5.json, a draft-04 schema, MIT; the schema's URL cannot be reached
 * from CI) and validated with Ajv. On top of the schema, hand-written checks of what it cannot state
 * (ruleIndex pointing at the right rule, uriBaseIds that exist, regions that do not run backwards) and
 * agreement with the JSON output.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as sarif from 'sarif';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from '../../support/paths';
import { RULES } from '../../../server/src/core/rules';
import { CLI, runCli } from '../../support/cli';

let dir = '';

function run(args: string[], input?: string) {
  return runCli(args, { cwd: dir, input });
}

const LEVELS = ['none', 'note', 'warning', 'error'];

const SARIF_SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const sarifSchema = JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// unicodeRegExp: false because the schema's `language` pattern (^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$)
// has a stray ']' that only non-Unicode regular expressions accept, as a literal.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateAgainstSchema = ajv.compile(sarifSchema);

/** Fails with Ajv's errors (where and what) when the log does not match the SARIF 2.1.0 schema. */
function checkSchema(log: unknown): void {
  const ok = validateAgainstSchema(log);
  assert.ok(ok, `not valid SARIF 2.1.0:\n${(validateAgainstSchema.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n')}`);
}

/** A URI reference as RFC 3986 allows it (no spaces, no characters outside the URI set, valid %-escapes). */
function isUriReference(s: string): boolean {
  return /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s);
}

function checkMessage(m: sarif.Message | undefined, where: string): void {
  assert.ok(m && typeof m.text === 'string' && m.text.length > 0, `${where}: message.text required`);
}

function checkRegion(r: sarif.Region | undefined, where: string): void {
  assert.ok(r, `${where}: region`);
  for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'] as const) {
    assert.ok(Number.isInteger(r[k]) && (r[k] as number) >= 1, `${where}: ${k} must be an integer >= 1, is ${r[k]}`);
  }
  assert.ok(r.endLine! >= r.startLine!, `${where}: endLine < startLine`);
  if (r.endLine === r.startLine) assert.ok(r.endColumn! >= r.startColumn!, `${where}: endColumn < startColumn`);
}

function checkArtifactLocation(a: sarif.ArtifactLocation | undefined, bases: Record<string, sarif.ArtifactLocation>, where: string): void {
  assert.ok(a && typeof a.uri === 'string' && isUriReference(a.uri), `${where}: artifactLocation.uri must be a URI reference: ${a?.uri}`);
  if (a.uriBaseId !== undefined) assert.ok(a.uriBaseId in bases, `${where}: unknown uriBaseId ${a.uriBaseId}`);
}

/** The structural rules of SARIF 2.1.0 for every object this tool writes. */
function validateSarif(log: sarif.Log): void {
  checkSchema(log);
  assert.equal(log.version, '2.1.0');
  assert.equal(typeof log.$schema, 'string');
  assert.ok(Array.isArray(log.runs) && log.runs.length === 1, 'one run');
  const [run] = log.runs;
  const driver = run.tool.driver;
  assert.equal(driver.name, 'supervisor-lint');
  assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
  assert.ok(Array.isArray(driver.rules));
  const ids = driver.rules!.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  for (const r of driver.rules!) {
    assert.match(r.id, /^[a-z0-9-]+$/);
    assert.ok(r.shortDescription?.text, `${r.id}: shortDescription.text`);
    assert.ok(r.helpUri && isUriReference(r.helpUri) && /^file:\/\//.test(r.helpUri), `${r.id}: helpUri ${r.helpUri}`);
    if (r.help) assert.ok(r.help.text && typeof r.help.markdown === 'string', `${r.id}: help needs text (markdown is optional)`);
    assert.ok(LEVELS.includes(r.defaultConfiguration!.level!), `${r.id}: defaultConfiguration.level`);
  }
  assert.equal(run.columnKind, 'utf16CodeUnits');
  const bases = run.originalUriBaseIds ?? {};
  for (const [name, base] of Object.entries(bases)) {
    assert.ok(base.uri && /^file:\/\/.*\/$/.test(base.uri), `originalUriBaseIds.${name} must be an absolute URI ending in '/'`);
  }
  for (const inv of run.invocations ?? []) assert.equal(typeof inv.executionSuccessful, 'boolean', 'invocation.executionSuccessful is required');
  for (const [i, res] of (run.results ?? []).entries()) {
    const where = `results[${i}]`;
    checkMessage(res.message, where);
    assert.ok(res.ruleId && ids.includes(res.ruleId), `${where}: ruleId ${res.ruleId} not in tool.driver.rules`);
    if (res.ruleIndex !== undefined) assert.equal(driver.rules![res.ruleIndex].id, res.ruleId, `${where}: ruleIndex points at another rule`);
    assert.ok(LEVELS.includes(res.level!), `${where}: level ${res.level}`);
    assert.equal(res.locations?.length, 1);
    const physical = res.locations![0].physicalLocation!;
    checkArtifactLocation(physical.artifactLocation, bases, where);
    checkRegion(physical.region, where);
    for (const [j, fix] of (res.fixes ?? []).entries()) {
      checkMessage(fix.description, `${where}.fixes[${j}].description`);
      assert.ok(fix.artifactChanges.length >= 1, `${where}.fixes[${j}]: artifactChanges needs one item`);
      for (const change of fix.artifactChanges) {
        checkArtifactLocation(change.artifactLocation, bases, `${where}.fixes[${j}]`);
        assert.ok(change.replacements.length >= 1, `${where}.fixes[${j}]: replacements needs one item`);
        for (const rep of change.replacements) {
          checkRegion(rep.deletedRegion, `${where}.fixes[${j}].deletedRegion`);
          assert.equal(typeof rep.insertedContent?.text, 'string');
        }
      }
    }
  }
}

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-test-'));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', 'celery workers.conf'), '[program:w]\r\ncommand=celery -A proj worker -c 4 ; 😀 emoji\r\nuser=a\r\nuser=b\r\nthis line is broken\r\n');
  fs.writeFileSync(path.join(dir, 'clean.conf'), '[program:w]\ncommand=/bin/cat\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--format sarif: a valid SARIF 2.1.0 log with the rule catalogue, results, regions and fixes', () => {
  const r = run(['--format', 'sarif', 'conf.d/celery workers.conf', 'clean.conf']);
  assert.equal(r.code, 1, 'the broken line is an error');
  const log = JSON.parse(r.stdout) as sarif.Log;
  validateSarif(log);
  const [sarifRun] = log.runs;
  const ids = sarifRun.tool.driver.rules!.map((x) => x.id);
  for (const rule of RULES) assert.ok(ids.includes(rule.code), `catalogue lacks ${rule.code}`);
  assert.ok(ids.includes('unused-suppression'));
  const dup = sarifRun.tool.driver.rules!.find((x) => x.id === 'duplicate-key')!;
  assert.equal(dup.help?.markdown, fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', 'duplicate-key.md'), 'utf8'));
  assert.equal(dup.defaultConfiguration?.level, 'warning');
  // Relative paths stay relative (to %SRCROOT%, the working directory), percent-encoded.
  const uris = new Set(sarifRun.results!.map((x) => x.locations![0].physicalLocation!.artifactLocation!.uri));
  assert.deepEqual([...uris], ['conf.d/celery%20workers.conf']);
  assert.equal(sarifRun.originalUriBaseIds!['%SRCROOT%'].uri, `file://${fs.realpathSync(dir)}/`.replace(/ /g, '%20'));
  assert.equal(sarifRun.invocations![0].executionSuccessful, true);
});

test('SARIF results agree with the JSON output: same findings, same 1-based positions and fixes', () => {
  const file = 'conf.d/celery workers.conf';
  const json = JSON.parse(run(['--format', 'json', file]).stdout).files[0].findings as {
    line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string;
    fixes: { title: string; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
  }[];
  const results = (JSON.parse(run(['--format', 'sarif', file]).stdout) as sarif.Log).runs[0].results!;
  assert.equal(results.length, json.length);
  const level: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
  json.forEach((f, i) => {
    const r = results[i];
    assert.equal(r.ruleId, f.code);
    assert.equal(r.level, level[f.severity]);
    assert.equal(r.message.text, f.message);
    assert.deepEqual(r.locations![0].physicalLocation!.region, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
    assert.deepEqual(
      (r.fixes ?? []).map((x) => [x.description!.text, x.artifactChanges[0].replacements.map((p) => [p.deletedRegion, p.insertedContent!.text])]),
      f.fixes.map((x) => [x.title, x.edits.map((e) => [{ startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn }, e.newText])]),
    );
  });
});

test('SARIF for stdin, absolute paths and unreadable files', () => {
  const stdin = JSON.parse(run(['--format', 'sarif', '-'], '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n').stdout) as sarif.Log;
  validateSarif(stdin);
  assert.equal(stdin.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri, 'stdin');
  const outside = path.join(os.tmpdir(), `sarif-outside-${process.pid}.conf`);
  fs.writeFileSync(outside, '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n');
  try {
    const abs = JSON.parse(run(['--format', 'sarif', outside]).stdout) as sarif.Log;
    validateSarif(abs);
    const loc = abs.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!;
    assert.match(loc.uri!, /^file:\/\/\//);
    assert.equal(loc.uriBaseId, undefined);
  } finally {
    fs.rmSync(outside, { force: true });
  }
  const r = run(['--format', 'sarif', 'clean.conf', 'missing.conf']);
  assert.equal(r.code, 2);
  const log = JSON.parse(r.stdout) as sarif.Log;
  validateSarif(log);
  assert.equal(log.runs[0].invocations![0].executionSuccessful, false);
  assert.match(log.runs[0].invocations![0].toolExecutionNotifications![0].message.text ?? '', /cannot read missing\.conf/);
});

test('the SARIF 2.1.0 schema is the real one and the validator rejects what it should', () => {
  assert.match(String(sarifSchema.title), /SARIF\) Version 2\.1\.0/);
  assert.deepEqual((sarifSchema.properties as { version: { enum: string[] } }).version.enum, ['2.1.0']);
  const log = JSON.parse(run(['--format', 'sarif', 'conf.d/celery workers.conf']).stdout) as sarif.Log;
  checkSchema(log);
  assert.ok(log.runs[0].results!.length > 0 && log.runs[0].results!.some((r) => r.fixes?.length), 'the log exercises results and fixes');
  const broken: [string, (l: sarif.Log) => void][] = [
    ['level information (SARIF says note)', (l) => ((l.runs[0].results![0] as { level: string }).level = 'information')],
    ['region line 0', (l) => (l.runs[0].results![0].locations![0].physicalLocation!.region!.startLine = 0)],
    ['unknown property', (l) => ((l.runs[0].results![0] as unknown as Record<string, unknown>).severity = 'warning')],
    ['no message', (l) => delete (l.runs[0].results![0] as Partial<sarif.Result>).message],
    ['helpUri not a URI', (l) => (l.runs[0].tool.driver.rules![0].helpUri = 'not a uri')],
    ['version 2.0.0', (l) => ((l as { version: string }).version = '2.0.0')],
  ];
  for (const [what, mutate] of broken) {
    const copy = structuredClone(log);
    mutate(copy);
    assert.equal(validateAgainstSchema(copy), false, `${what} must be rejected`);
  }
});
