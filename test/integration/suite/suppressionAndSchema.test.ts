import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { actionTitled, activateExtension, applyAction, codeActionsAt, codeOf, diagnosticWith, diagnosticsWhen, hoversAt } from './helpers';

/** An untitled supervisor document with `text`. */
async function untitledSupervisor(text: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'supervisor', content: text });
  await vscode.window.showTextDocument(doc);
  return doc;
}

function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function closeWithoutSaving(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

describe('suppression comments and schema checks', () => {
  before(activateExtension);
  afterEach(closeWithoutSaving);

  it('"Disable <code> for this line" inserts a suppression comment and the finding goes away', async () => {
    const doc = await untitledSupervisor('[program:worker]\ncommand=celery -A proj worker --max-memory-per-child 262144\n');
    const d = await diagnosticWith(doc, 'celery-loglevel-missing');
    const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
    await applyAction(actionTitled(actions, 'Disable celery-loglevel-missing for this line'));
    assert.match(doc.getText(), /; supervisor-lint: disable=celery-loglevel-missing/);
    await diagnosticsWhen(doc.uri, 'the suppressed finding to go', (ds) => !ds.some((x) => codeOf(x) === 'celery-loglevel-missing'));
  });

  it('reports a suppression that suppresses nothing, and explains a code on hover', async () => {
    const doc = await untitledSupervisor('[program:web]\ncommand=/srv/venv/bin/gunicorn app ; supervisor-lint: disable=duplicate-key\n');
    const d = await diagnosticWith(doc, 'unused-suppression');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Unnecessary]);
    const at = new vscode.Position(1, doc.lineAt(1).text.indexOf('duplicate-key') + 3);
    assert.match(hoverMarkdown(await hoversAt(doc, at)), /later value/i);
  });

  it('reports an unknown key with a did-you-mean fix that renames it', async () => {
    const doc = await untitledSupervisor('[program:worker]\ncommand=/bin/true\nautorestrat=true\n');
    const d = await diagnosticWith(doc, 'unknown-key');
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Unnecessary], 'supervisor ignores the key: drawn faded');
    const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
    await applyAction(actionTitled(actions, /autorestart/));
    assert.equal(doc.lineAt(2).text, 'autorestart=true');
    await diagnosticsWhen(doc.uri, 'the unknown key to go', (ds) => !ds.some((x) => codeOf(x) === 'unknown-key'));
  });

  it('strikes through an option Celery removed', async () => {
    const doc = await untitledSupervisor('[program:worker]\ncommand=celery -A proj worker -l info --maxtasksperchild=100\n');
    const d = await diagnosticWith(doc, 'celery-removed-option');
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Deprecated]);
    assert.equal(doc.getText(d.range), '--maxtasksperchild');
  });

  it('reports numprocs > 1 without %(process_num) in process_name as an error', async () => {
    const doc = await untitledSupervisor('[program:worker]\ncommand=/bin/true\nnumprocs=2\n');
    const d = await diagnosticWith(doc, 'numprocs-without-process-num');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('explains a key on hover, with its default', async () => {
    const doc = await untitledSupervisor('[program:worker]\ncommand=/bin/true\nstopwaitsecs=600\n');
    await diagnosticsWhen(doc.uri, 'the document to be analysed', () => true);
    const text = hoverMarkdown(await hoversAt(doc, new vscode.Position(2, 3)));
    assert.match(text, /stopwaitsecs/);
    assert.match(text, /10/, 'the default of 10 seconds');
  });
});
