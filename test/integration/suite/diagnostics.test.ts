import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  asCliKey,
  cliFindings,
  cliKey,
  codeOf,
  diagnosticWith,
  diagnosticsWhen,
  EXAMPLE,
  extension,
  fixtureUri,
  lineOf,
  openSupervisor,
  rangeOf,
  restore,
  sameRange,
  sleep,
  snapshot,
  waitFor,
  supervisorDiagnostics,
} from './helpers';

const MAIN = 'supervisord.conf';
const WORKER_COMMAND = 'celery -A proj worker --concurrency=4';

describe('diagnostics', () => {
  before(activateExtension);

  it('reports a worker without -l as information on its subcommand @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    const d = await diagnosticWith(doc, 'celery-loglevel-missing', WORKER_COMMAND);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(d.source, 'supervisor');
    sameRange(d.range, rangeOf(doc, 'worker', WORKER_COMMAND), 'the range is the word "worker" of the command');
    assert.match(d.message, /-l info/);
  });

  it('reports a prefork worker without a memory limit as a warning on the same word', async () => {
    const doc = await openSupervisor(MAIN);
    const d = await diagnosticWith(doc, 'celery-memory-limit-missing', WORKER_COMMAND);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    sameRange(d.range, rangeOf(doc, 'worker', WORKER_COMMAND));
    assert.match(d.message, /--max-memory-per-child/);
  });

  it('reports a repeated key on the later one, as a warning', async () => {
    const doc = await openSupervisor(MAIN);
    const d = await diagnosticWith(doc, 'duplicate-key', 'stopsignal=TERM');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.character, 0);
    assert.equal(d.range.end.line, d.range.start.line);
    assert.match(d.message, /stopsignal/);
    // The earlier key is linked under the diagnostic (Problems panel and hover).
    const related = d.relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0].location.uri.toString(), doc.uri.toString());
    assert.equal(doc.lineAt(related[0].location.range.start.line).text, 'stopsignal=INT');
    assert.match(related[0].message, /earlier stopsignal=/);
  });

  it('does not report a worker that sets -l and --max-memory-per-child (on a continuation line)', async () => {
    const doc = await openSupervisor(MAIN);
    const diagnostics = await diagnosticsWhen(doc.uri, 'the first findings', (ds) => ds.length > 0);
    const okLine = lineOf(doc, '[program:worker-ok]');
    const webLine = lineOf(doc, '[program:web]');
    const inOk = diagnostics.filter((d) => d.range.start.line > okLine && d.range.start.line < webLine);
    const codes = inOk.map(codeOf);
    assert.ok(!codes.includes('celery-loglevel-missing'), `unexpected: ${codes.join(', ')}`);
    assert.ok(!codes.includes('celery-memory-limit-missing'), `unexpected: ${codes.join(', ')}`);
  });

  it('reports a line supervisor cannot parse as an error', async () => {
    const doc = await openSupervisor('etc/supervisord.d/broken.ini');
    const d = await diagnosticWith(doc, 'invalid-line', 'this line has no equals sign');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.character, 0);
  });

  it('reports --max-memory-per-child on a continuation line of a gevent worker', async () => {
    const doc = await openSupervisor('etc/supervisor/conf.d/celery.conf');
    const d = await diagnosticWith(doc, 'celery-memory-limit-ignored', '--max-memory-per-child 262144');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    sameRange(d.range, rangeOf(doc, '--max-memory-per-child 262144'), 'the range is the option and its value');
    await diagnosticWith(doc, 'celery-threads-without-leak-protection');
  });

  it('links each code to its documentation page, shipped with the extension and shown rendered @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    const diagnostics = await diagnosticsWhen(doc.uri, 'findings', (ds) => ds.length >= 3);
    for (const d of diagnostics) {
      assert.equal(typeof d.code, 'object', 'the code carries a link');
      const code = d.code as { value: string | number; target: vscode.Uri };
      // The Problems panel and the hover open the page as a preview, not as an editable Markdown file of the extension.
      assert.equal(code.target.scheme, 'command', code.target.toString());
      assert.equal(code.target.path, 'supervisor.openRuleDocs');
      assert.deepEqual(JSON.parse(code.target.query), [code.value]);
      const page = path.join(extension().extensionPath, 'docs', 'rules', `${code.value}.md`);
      assert.ok(fs.existsSync(page), `missing rule page ${page}`);
    }
    const code = diagnostics[0].code as { target: vscode.Uri };
    await vscode.commands.executeCommand(code.target.path, ...(JSON.parse(code.target.query) as string[]));
    await waitFor('the rule page in a preview', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith('Preview '));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('updates as the text changes, and back when it is reverted', async () => {
    const doc = await openSupervisor(MAIN);
    const original = snapshot(doc);
    await diagnosticWith(doc, 'celery-loglevel-missing', WORKER_COMMAND);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, rangeOf(doc, '--concurrency=4').start, '--loglevel=INFO ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      await diagnosticsWhen(doc.uri, 'the loglevel finding to go', (ds) =>
        !ds.some((d) => codeOf(d) === 'celery-loglevel-missing') && ds.some((d) => codeOf(d) === 'celery-memory-limit-missing'),
      );
    } finally {
      await restore(original);
    }
    await diagnosticWith(doc, 'celery-loglevel-missing', WORKER_COMMAND);
  });

  it('equals the command-line linter on every fixture and the example @smoke', async function () {
    this.timeout(60_000);
    const files = [
      MAIN,
      'deploy/supervisor.conf',
      'etc/supervisor/conf.d/celery.conf',
      'etc/supervisor/conf.d/workers.conf',
      'etc/supervisord.d/broken.ini',
      'deploy/supervisor.d/worker.ini',
      'deploy/supervisord/conf.d/memmon.ini',
      'detect/templates/celery.conf.j2',
    ];
    for (const target of [...files, vscode.Uri.file(EXAMPLE)]) {
      const doc = await openSupervisor(target);
      const expected = cliFindings(doc.uri.fsPath).map(cliKey).sort();
      let actual: string[] = [];
      try {
        await diagnosticsWhen(doc.uri, 'the same findings as the CLI', (ds) => {
          actual = ds.map(asCliKey).sort();
          return JSON.stringify(actual) === JSON.stringify(expected);
        });
      } catch {
        assert.deepEqual(actual, expected, `editor and CLI disagree on ${doc.uri.fsPath}`);
      }
    }
  });

  it('reports nothing for a file that is not a supervisor config', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('detect/settings.conf'));
    await sleep(500);
    assert.notEqual(doc.languageId, 'supervisor');
    assert.deepEqual(supervisorDiagnostics(doc.uri), []);
  });
});
