import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineOf, openSupervisor, positionIn, rangeOf, sameRange, waitFor } from './helpers';

async function symbolsOf(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
  return symbols ?? [];
}

describe('document symbols', () => {
  before(activateExtension);

  it('has one symbol per section, named like program:worker, in file order @smoke', async () => {
    const doc = await openSupervisor('supervisord.conf');
    const symbols = await symbolsOf(doc);
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['supervisord', 'program:worker', 'program:worker-ok', 'program:web', 'group:app'],
    );
    for (const s of symbols) assert.equal(s.kind, vscode.SymbolKind.Module);
  });

  it('selects the name and spans the section from its header to its last key', async () => {
    const doc = await openSupervisor('supervisord.conf');
    const worker = (await symbolsOf(doc)).find((s) => s.name === 'program:worker')!;
    sameRange(worker.selectionRange, rangeOf(doc, 'program:worker', '[program:worker]'), 'selection range');
    assert.equal(worker.range.start.line, lineOf(doc, '[program:worker]'));
    assert.equal(worker.range.end.line, lineOf(doc, 'stdout_logfile=/var/log/app/worker.log'));
  });

  it('lists the keys of a section as children, repeated keys included', async () => {
    const doc = await openSupervisor('supervisord.conf');
    const symbols = await symbolsOf(doc);
    const web = symbols.find((s) => s.name === 'program:web')!;
    assert.deepEqual(
      web.children.map((c) => c.name),
      ['command', 'directory', 'user', 'autorestart', 'stopsignal', 'stopsignal'],
    );
    for (const c of web.children) assert.equal(c.kind, vscode.SymbolKind.Property);
    assert.equal(web.children[0].detail, '/srv/app/venv/bin/gunicorn proj.wsgi --workers=3');
  });

  it('spans a value continued on the next line', async () => {
    const doc = await openSupervisor('supervisord.conf');
    const ok = (await symbolsOf(doc)).find((s) => s.name === 'program:worker-ok')!;
    const command = ok.children.find((c) => c.name === 'command')!;
    assert.equal(command.range.start.line, lineOf(doc, '-n %(program_name)s@%%h -l info'));
    assert.equal(command.range.end.line, lineOf(doc, '    --max-memory-per-child 262144'));
  });

  it('names fragments and listener sections the same way', async () => {
    const memmon = await symbolsOf(await openSupervisor('deploy/supervisord/conf.d/memmon.ini'));
    assert.deepEqual(memmon.map((s) => s.name), ['eventlistener:memmon']);
    assert.deepEqual(memmon[0].children.map((c) => c.name), ['command', 'events']);
    const broken = await symbolsOf(await openSupervisor('etc/supervisord.d/broken.ini'));
    assert.deepEqual(broken.map((s) => s.name), ['program:broken', 'programs:typo'], 'an unparsable line does not hide the sections');
  });
});

describe('expand selection', () => {
  before(activateExtension);

  it('grows from a Celery value to its option, the command, the entry and the section', async () => {
    const doc = await openSupervisor('supervisord.conf', true);
    const editor = vscode.window.activeTextEditor!;
    const at = positionIn(doc, '262144', 2, '--max-memory-per-child 262144');
    editor.selection = new vscode.Selection(at, at);
    // The server answers asynchronously: expand until the section is selected, keeping every step.
    const seen: string[] = [];
    await waitFor('expand selection to reach the section', async () => {
      await vscode.commands.executeCommand('editor.action.smartSelect.expand');
      const text = doc.getText(editor.selection);
      if (seen[seen.length - 1] !== text) seen.push(text);
      return text.startsWith('[program:worker-ok]') || undefined;
    });
    const command = doc.getText(rangeOf(doc, '/srv/app/venv/bin/celery -A proj worker -n %(program_name)s@%%h -l info\n    --max-memory-per-child 262144'));
    for (const step of ['262144', '--max-memory-per-child 262144', command, `command=${command}`]) {
      assert.ok(seen.includes(step), `"${step}" is not among the steps:\n${seen.join('\n---\n')}`);
    }
    assert.ok(seen.indexOf('--max-memory-per-child 262144') < seen.indexOf(command), 'the option before the command');
  });
});
