import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineOf, openSupervisor, setSetting, waitFor } from './helpers';

const MAIN = 'supervisord.conf';

function labelOf(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

async function hintsIn(doc: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  return (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole)) ?? [];
}

describe('inlay hints', () => {
  before(activateExtension);
  afterEach(() => setSetting('inlayHints.units', undefined));

  it('shows --max-memory-per-child (KiB) in MB right after the value @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    const hints = await waitFor('inlay hints from the server', async () => {
      const h = await hintsIn(doc);
      return h.length ? h : undefined;
    });
    const line = lineOf(doc, '--max-memory-per-child 262144');
    const memory = hints.find((h) => h.position.line === line);
    assert.ok(memory, `no hint on line ${line}: ${hints.map((h) => `${h.position.line}:${labelOf(h)}`).join(', ')}`);
    assert.equal(labelOf(memory), '= 256 MB');
    assert.equal(memory.position.character, doc.lineAt(line).text.indexOf('262144') + '262144'.length);
    assert.ok(hints.some((h) => labelOf(h) === '= 10 min' && doc.lineAt(h.position.line).text === 'stopwaitsecs=600'), 'stopwaitsecs=600 in minutes');
  });

  it('turns the unit hints off with supervisor.inlayHints.units', async () => {
    const doc = await openSupervisor(MAIN);
    await waitFor('unit hints', async () => (await hintsIn(doc)).some((h) => labelOf(h) === '= 256 MB'));
    await setSetting('inlayHints.units', false);
    await waitFor('no unit hints', async () => !(await hintsIn(doc)).some((h) => labelOf(h) === '= 256 MB'));
  });
});
