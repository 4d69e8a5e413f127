/**
 * The `$supervisor-lint` problem matcher (package.json) against the CLI's real text output: every finding,
 * and nothing else, becomes a problem with its file, position, severity and code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';
import { runCli } from '../../support/cli';

interface Matcher {
  name: string;
  owner: string;
  fileLocation: string[];
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number };
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[]; taskDefinitions: { type: string }[] } };
const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'supervisor-lint')!;

/** The severities VS Code's problem matchers read (Severity.fromValue, then "hint" as info); anything else would count as an error. */
const VSCODE_SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

test('every finding of the text output is a problem with its file, line, column, severity and code; fix and related lines are not', () => {
  const args = ['--no-config', 'examples/supervisor.conf', 'test/fixtures/deployment'];
  const text = runCli(args, { cwd: REPO_ROOT }).stdout;
  const json = JSON.parse(runCli(['--format', 'json', ...args], { cwd: REPO_ROOT }).stdout) as {
    files: { path: string; findings: { line: number; column: number; severity: string; code: string; message: string }[] }[];
  };
  const re = new RegExp(matcher.pattern.regexp);
  const { file, line, column, severity, code, message } = matcher.pattern;
  const problems = text.split('\n').flatMap((l) => {
    const m = re.exec(l);
    return m ? [{ path: m[file], line: Number(m[line]), column: Number(m[column]), severity: m[severity], code: m[code], message: m[message] }] : [];
  });
  const expected = json.files.flatMap((f) =>
    f.findings.map((x) => ({ path: f.path, line: x.line, column: x.column, severity: x.severity === 'information' ? 'info' : x.severity, code: x.code, message: x.message })),
  );
  assert.ok(expected.length > 10 && expected.some((x) => x.severity === 'info'), 'the example has findings of several severities');
  assert.deepEqual(problems, expected);
  assert.ok(problems.every((p) => VSCODE_SEVERITIES.has(p.severity)));
  // Relative paths from the workspace folder, where the task runs; absolute ones as they are.
  assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
});

test('the task type is contributed, and VS Code is told to activate the extension for it', () => {
  assert.ok(pkg.contributes.taskDefinitions.some((t) => t.type === 'supervisor-lint'));
  const events = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] }).activationEvents;
  assert.ok(events.includes('onTaskType:supervisor-lint'));
});
