/**
 * The supervisor-lint task: Tasks: Run Task lists it for the workspace folder, it runs the bundled CLI, and
 * the $supervisor-lint problem matcher turns its output into problems, also for files that are not open.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, extension, fixtureUri, waitFor, workspaceRoot } from './helpers';

/** A file written for this test and never opened: a worker with findings of several severities. */
const UNOPENED = 'lint-task/supervisor.d/never-opened.conf';
const UNOPENED_TEXT = '[program:tasks]\ncommand=/srv/venv/bin/celery -A proj worker\nuser=celery\nuser=app\n';

/** What the CLI reports for `file` when it checks the whole folder, as the task does. */
function cliOnFolder(file: string): { line: number; column: number; code: string }[] {
  const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, '--format', 'json', '--no-fixes', '.'], { cwd: workspaceRoot().fsPath, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  } catch (err) {
    out = (err as { stdout?: string }).stdout ?? '';
  }
  const report = JSON.parse(out) as { files: { path: string; findings: { line: number; column: number; code: string }[] }[] };
  return report.files.find((f) => f.path === file)?.findings.map(({ line, column, code }) => ({ line, column, code })) ?? [];
}

describe('supervisor-lint task', function () {
  this.timeout(120_000);
  before(async () => {
    await activateExtension();
    fs.mkdirSync(path.dirname(fixtureUri(UNOPENED).fsPath), { recursive: true });
    fs.writeFileSync(fixtureUri(UNOPENED).fsPath, UNOPENED_TEXT);
  });
  after(() => fs.rmSync(path.join(workspaceRoot().fsPath, 'lint-task'), { recursive: true, force: true }));

  it('checks the workspace folder with the bundled CLI; the findings of files not open reach the Problems panel', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'supervisor-lint' });
    const task = tasks.find((t) => t.name === 'check the supervisor configs');
    assert.ok(task, `tasks: ${tasks.map((t) => t.name).join(', ')}`);
    assert.equal((task.scope as vscode.WorkspaceFolder).uri.fsPath, workspaceRoot().fsPath);
    assert.equal(vscode.workspace.textDocuments.some((d) => d.uri.fsPath === fixtureUri(UNOPENED).fsPath), false, 'the file is not open');

    const expected = cliOnFolder(UNOPENED);
    assert.ok(expected.length >= 3, 'the file has findings');
    const taskProblems = () => vscode.languages.getDiagnostics(fixtureUri(UNOPENED)).filter((d) => d.source === 'supervisor-lint');
    // In code-server under load the matcher has (twice in many runs) reported nothing for a run: run it
    // again, up to three times, and say so (the closing note of the session that added this records it).
    let problems: vscode.Diagnostic[] = [];
    for (let attempt = 1; attempt <= 3 && problems.length !== expected.length; attempt++) {
      const ended = new Promise<number | undefined>((resolve) => {
        const listener = vscode.tasks.onDidEndTaskProcess((e) => {
          if (e.execution.task.definition.type !== 'supervisor-lint') return;
          listener.dispose();
          resolve(e.exitCode);
        });
      });
      await vscode.tasks.executeTask(task);
      // The fixture workspace has files supervisor refuses: exit status 1, as in CI.
      assert.equal(await ended, 1);
      problems = await waitFor('the task problems on the file', () => taskProblems().length === expected.length && taskProblems(), 15_000).catch(() => []);
      if (problems.length !== expected.length) console.log(`supervisor-lint task, run ${attempt}: ${taskProblems().length} problems on the file, ${expected.length} expected`);
    }
    if (problems.length !== expected.length) {
      const all = vscode.languages.getDiagnostics().map(([uri, ds]) => `${uri.toString()}: ${ds.map((d) => `${d.source}/${String(typeof d.code === 'object' ? d.code.value : d.code)}`).join(' ')}`);
      assert.fail(`no task problems on ${UNOPENED} after three runs\n${all.join('\n')}`);
    }
    const seen = problems.map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, code: String(typeof d.code === 'object' ? d.code.value : d.code) }));
    const key = (x: { line: number; column: number; code: string }) => `${x.line}:${x.column} ${x.code}`;
    assert.deepEqual(seen.map(key).sort(), expected.map(key).sort());
    assert.ok(problems.some((d) => d.severity === vscode.DiagnosticSeverity.Warning) && problems.some((d) => d.severity === vscode.DiagnosticSeverity.Information));
  });
});
