import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, LANGUAGE_ID, lineOf, openSupervisor } from './helpers';

async function completionsAt(doc: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    position,
    trigger,
  );
  return list?.items ?? [];
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function insertTextOf(item: vscode.CompletionItem): string {
  const text = item.insertText ?? labelOf(item);
  return typeof text === 'string' ? text : text.value;
}

function rangeOfItem(item: vscode.CompletionItem): vscode.Range | undefined {
  const r = item.range;
  return r === undefined ? undefined : r instanceof vscode.Range ? r : r.replacing;
}

/** An untitled supervisor document with `text`, the cursor at `|`. */
async function untitled(textWithCursor: string): Promise<{ doc: vscode.TextDocument; at: vscode.Position }> {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0);
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: textWithCursor.replace('|', '') });
  return { doc, at: doc.positionAt(offset) };
}

describe('completion', () => {
  before(activateExtension);

  it('offers the section kinds after [ at the start of a line @smoke', async () => {
    const { doc, at } = await untitled('[program:a]\ncommand=/bin/true\n\n[|\n');
    const items = await completionsAt(doc, at, '[');
    const labels = items.map(labelOf);
    for (const label of ['[supervisord]', '[program:name]', '[group:name]', '[eventlistener:name]', '[include]']) {
      assert.ok(labels.includes(label), `${label} missing from ${labels.join(' ')}`);
    }
    const program = items.find((i) => labelOf(i) === '[program:name]')!;
    assert.match(insertTextOf(program), /^\[program:\$\{1:name\}\]/, 'a named kind is a snippet with the name to type');
    assert.match(insertTextOf(items.find((i) => labelOf(i) === '[supervisord]')!), /^\[supervisord\]/);
    const range = rangeOfItem(program)!;
    assert.equal(range.start.line, at.line);
    assert.equal(range.start.character, 0, 'replaces the [ already typed');
    assert.ok(program.detail && program.detail.length > 10, 'each kind comes with a short description');
  });

  it('keeps the indentation of an indented [', async () => {
    const { doc, at } = await untitled('  [|');
    const items = await completionsAt(doc, at, '[');
    const program = items.find((i) => labelOf(i) === '[program:name]');
    assert.ok(program);
    assert.equal(rangeOfItem(program)!.start.character, 2);
  });

  it('offers no section inside a value', async () => {
    const { doc, at } = await untitled('[program:a]\ncommand=/bin/echo [|\n');
    const labels = (await completionsAt(doc, at, '[')).map(labelOf);
    assert.ok(!labels.some((l) => l.startsWith('[')), `unexpected: ${labels.join(' ')}`);
  });

  it('offers the keys of the section at the start of a line, without those already set', async () => {
    const doc = await openSupervisor('supervisord.conf');
    // The empty line before [program:worker-ok] belongs to [program:worker].
    const line = lineOf(doc, '[program:worker-ok]') - 1;
    assert.equal(doc.lineAt(line).text, '');
    const labels = (await completionsAt(doc, new vscode.Position(line, 0))).map(labelOf);
    for (const key of ['numprocs', 'priority', 'stopsignal', 'environment']) {
      assert.ok(labels.includes(key), `${key} missing from ${labels.join(' ')}`);
    }
    for (const key of ['command', 'directory', 'stopwaitsecs', 'killasgroup']) {
      assert.ok(!labels.includes(key), `${key} is already set in [program:worker] and must not be offered`);
    }
  });

  it('offers the keys of [supervisord] in [supervisord], not those of programs', async () => {
    const { doc, at } = await untitled('[supervisord]\nlogfile=/tmp/s.log\n|\n');
    const items = await completionsAt(doc, at);
    const labels = items.map(labelOf);
    assert.ok(labels.includes('pidfile'));
    assert.ok(labels.includes('nodaemon'));
    assert.ok(!labels.includes('logfile'), 'already set');
    assert.ok(!labels.includes('autorestart'), 'a program key');
    assert.match(insertTextOf(items.find((i) => labelOf(i) === 'pidfile')!), /^pidfile=/);
  });

  it('offers the process names after memmon -p, with a size as a snippet to fill in', async () => {
    const { doc, at } = await untitled(
      '[program:worker]\ncommand=celery -A p worker\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n\n[eventlistener:memmon]\ncommand=memmon -c -p |\nevents=TICK_60\n',
    );
    const items = await completionsAt(doc, at);
    const worker = items.find((i) => labelOf(i) === 'worker_01');
    assert.ok(worker, items.map(labelOf).join(', '));
    assert.equal(insertTextOf(worker), 'worker_01=${1:512MB}');
    assert.ok(items.some((i) => labelOf(i) === 'worker_00'));
  });

  it('offers the programs not yet listed in a [group:x] programs=', async () => {
    const { doc, at } = await untitled('[program:worker]\ncommand=x\n\n[program:web]\ncommand=y\n\n[group:app]\nprograms=web,|\n');
    const labels = (await completionsAt(doc, at, ',')).map(labelOf);
    assert.ok(labels.includes('worker'), labels.join(', '));
    assert.ok(!labels.includes('web'), 'already listed');
  });

  it("completes a folder after directory= from this machine's disk, and a program after command=", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-complete-')));
    try {
      fs.mkdirSync(path.join(dir, 'myauth'));
      fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'venv', 'bin', 'celery'), '#!/bin/sh\n', { mode: 0o755 });
      const folders = await untitled(`[program:worker]\ncommand=/bin/true\ndirectory=${dir}/m|\n`);
      const folder = (await completionsAt(folders.doc, folders.at)).find((i) => labelOf(i) === 'myauth/');
      assert.ok(folder, 'myauth/ offered');
      assert.equal(folder.kind, vscode.CompletionItemKind.Folder);
      assert.equal(folders.doc.getText(rangeOfItem(folder)), 'm', 'only the name after the last slash is replaced');
      const programs = await untitled(`[program:worker]\ncommand=${dir}/venv/bin/|\n`);
      assert.deepEqual((await completionsAt(programs.doc, programs.at, '/')).map(labelOf), ['celery']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
