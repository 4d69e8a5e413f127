/** `supervisor-lint --format github`: GitHub Actions annotations, checked against GitHub's own toolkit. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, writeUnder } from '../../support/cli';
import { REPO_ROOT } from '../../support/paths';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-github-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface JsonFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  related?: { file?: string; line: number; column: number; message: string }[];
  setting?: { key: string; value: string };
}

/**
 * What @actions/core writes for each finding of `--format json`, given the message our annotation
 * documents: the finding's message, its related places, then how to read the rule's page.
 */
function toolkitAnnotations(name: string, findings: JsonFinding[]): string[] {
  const calls = findings.map((f) => ({
    fn: { error: 'error', warning: 'warning' }[f.severity] ?? 'notice',
    message: [f.message, ...(f.related ?? []).map((r) => `see ${r.file ?? name}:${r.line}:${r.column}: ${r.message}`), `supervisor-lint --explain ${f.code}`].join('\n'),
    properties: { title: f.code, file: name, startLine: f.line, endLine: f.endLine, startColumn: f.column, endColumn: f.endColumn },
  }));
  const script = `import * as core from '@actions/core';\nfor (const c of ${JSON.stringify(calls)}) core[c.fn](c.message, c.properties);\n`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(os.EOL).filter(Boolean);
}

test('one workflow command per finding, escaped exactly as @actions/core escapes it', () => {
  // A file name with the characters that separate properties, and findings with % and related places.
  const name = 'conf.d/web,api:50%.conf';
  writeUnder(dir, name, '[program:w]\ncommand=celery -A proj worker --max-memory-per-child 262144\nuser=a\nuser=b\n');
  const github = runCli(['--format', 'github', name], { cwd: dir });
  const json = JSON.parse(runCli(['--format', 'json', name], { cwd: dir }).stdout) as { files: { findings: JsonFinding[] }[] };
  const findings = json.files[0].findings;
  assert.ok(findings.some((f) => f.related?.length) && findings.some((f) => f.severity === 'information') && findings.some((f) => f.severity === 'warning'));

  const lines = github.stdout.split('\n');
  const annotations = lines.filter((l) => l.startsWith('::'));
  assert.deepEqual(annotations, toolkitAnnotations(name, findings));
  assert.match(annotations[0], /^::(notice|warning|error) title=[a-z0-9-]+,file=conf\.d\/web%2Capi%3A50%25\.conf,line=\d+,endLine=\d+,col=\d+,endColumn=\d+::/);
  assert.match(github.stdout, /\n1 file\(s\): 0 error\(s\), 4 warning\(s\), 4 information/, 'the summary follows, for the log');
});

test('severities: error and warning as themselves, information and hint as notices; the exit status follows --fail-on', () => {
  writeUnder(dir, 'mixed.conf', '[program:w]\ncommand=celery -A proj worker -P gevent\nthis is not a key\n');
  const r = runCli(['--format', 'github', 'mixed.conf'], { cwd: dir });
  const kinds = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => /^::(\w+) title=([^,]+)/.exec(l)!.slice(1, 3).join(' '));
  assert.ok(kinds.includes('error invalid-line'), kinds.join(' | '));
  assert.ok(kinds.includes('notice celery-loglevel-missing'), kinds.join(' | '));
  assert.ok(kinds.includes('notice celery-io-pool-concurrency-missing'), 'a hint is a notice too');
  assert.equal(r.code, 1);
});

test('a setting that resolves a finding is part of its message; a bad --format names github', () => {
  writeUnder(dir, 'newer.conf', '[program:w]\ncommand=celery -A proj --skip-checks worker -l info --max-memory-per-child 262144\n');
  const r = runCli(['--format=github', 'newer.conf'], { cwd: dir });
  assert.match(r.stdout, /title=celery-unknown-option,[^:]*::[^\n]*%0Aor, if the workers run Celery 5\.3 or later: set \{"celery":\{"version":"5\.3"\}\} in \.supervisor-lint\.json%0A/);
  assert.match(runCli(['--format', 'gitlab', 'newer.conf'], { cwd: dir }).stderr, /--format must be text, json, sarif or github, not gitlab/);
});
