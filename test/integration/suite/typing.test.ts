import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsWhen } from './helpers';

async function completions(doc: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position, trigger);
  return list?.items ?? [];
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Inserts a completion item the way accepting it in the editor does (snippets included). */
async function accept(editor: vscode.TextEditor, item: vscode.CompletionItem, at: vscode.Position): Promise<void> {
  const range = item.range instanceof vscode.Range ? item.range : item.range ? item.range.replacing : new vscode.Range(at, at);
  const text = item.insertText ?? labelOf(item);
  const snippet = typeof text === 'string' ? new vscode.SnippetString(text.replace(/\$/g, '\\$')) : text;
  assert.ok(await editor.insertSnippet(snippet, range), `could not insert ${labelOf(item)}`);
}

describe('typing a new Celery worker from scratch', () => {
  before(activateExtension);
  after(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('the section snippet, then options from completion, end with a file the guide is happy with', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'supervisor', content: '' });
    const editor = await vscode.window.showTextDocument(doc);

    // 1. `[` offers the Celery worker template, which already follows the tuning guide.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '['));
    // The lone `[` is an error; seeing it reported means the template's findings are the next ones published.
    await diagnosticsWhen(doc.uri, 'the lone [ to be reported', (ds) => ds.map(codeOf).includes('missing-section-header'));
    const sections = await completions(doc, new vscode.Position(0, 1), '[');
    const template = sections.find((i) => labelOf(i) === '[program:celery-worker]');
    assert.ok(template, `sections offered: ${sections.map(labelOf).join(' ')}`);
    await accept(editor, template, new vscode.Position(0, 1));
    assert.match(doc.getText(), /^\[program:celery-worker\]\ncommand=.*celery -A proj worker -l info --max-memory-per-child 262144/);
    // Waits for the template's own findings (the lone `[` error goes); an error in the template times out here.
    const errors = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(codeOf);
    await diagnosticsWhen(doc.uri, 'the template to be analysed with no errors', (ds) => errors(ds).length === 0);

    // 2. At the end of the command, completion offers the worker options not given yet.
    const commandLine = doc.getText().split('\n').findIndex((l) => l.startsWith('command='));
    const end = doc.lineAt(commandLine).range.end;
    await editor.edit((e) => e.insert(end, ' '));
    const options = (await completions(doc, end.translate(0, 1))).map(labelOf);
    assert.ok(options.includes('--pool') && options.includes('--concurrency'), options.join(' '));
    assert.ok(!options.includes('--max-memory-per-child'), 'already in the template');
  });
});

describe('accepting a completion inside a word', () => {
  before(activateExtension);
  after(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('replaces the whole word: supervisor files default to editor.suggest.insertMode "replace"', async () => {
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'supervisor' }).get('suggest.insertMode'), 'replace');
    // A misspelt option, fixed by completing it with the cursor after `--conc`.
    const line = 'command=celery -A proj worker --concurrenzy=4';
    const doc = await vscode.workspace.openTextDocument({ language: 'supervisor', content: `[program:w]\n${line}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    const cursor = new vscode.Position(1, line.indexOf('--concurrenzy') + '--conc'.length);
    // The suggest widget opens asynchronously: try again if it was not ready to accept.
    for (let attempt = 1; attempt <= 3 && doc.lineAt(1).text === line; attempt++) {
      if (attempt > 1) console.log(`accepting a completion inside a word: attempt ${attempt - 1} changed nothing, trying again`);
      editor.selection = new vscode.Selection(cursor, cursor);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await new Promise((r) => setTimeout(r, 1500 * attempt));
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
    }
    assert.equal(doc.lineAt(1).text, 'command=celery -A proj worker --concurrency=4', 'the whole word replaced, its = and value kept (insert mode gives --concurrencyurrenzy=4)');
  });
});
