import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, currentDocument, LANGUAGE_ID, setSetting, sleep, waitFor } from './helpers';

/** The reminder on save that supervisord reads a config only when told to. */
describe('reload reminder', () => {
  before(activateExtension);

  it('does not pop up mid-typing on an auto-save after a delay; Ctrl+S under auto-save still reminds', async function () {
    this.timeout(60_000);
    const api = (await activateExtension()).exports as { reloadReminded(uri: string): boolean };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-autosave-'));
    const uri = vscode.Uri.file(path.join(dir, 'supervisord.conf'));
    fs.writeFileSync(uri.fsPath, '[program:worker]\ncommand=celery -A proj worker -l info\n');
    const files = vscode.workspace.getConfiguration('files');
    // The fixture workspace turns both off (its tests save files): on for this test alone.
    await setSetting('reloadReminder', true);
    await files.update('autoSaveDelay', 1_000, vscode.ConfigurationTarget.Workspace);
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor('supervisord.conf to be supervisor', () => currentDocument(uri)?.languageId === LANGUAGE_ID);
      await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(0, 0), '; typed\n'));
      await waitFor('the auto-save', () => fs.readFileSync(uri.fsPath, 'utf8').startsWith('; typed'), 15_000);
      await sleep(500);
      assert.equal(api.reloadReminded(uri.toString()), false, 'an auto-save after a delay does not remind');
      await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(0, 0), '; saved\n'));
      await currentDocument(uri)!.save();
      await waitFor('the reminder on Ctrl+S', () => api.reloadReminded(uri.toString()) || undefined);
    } finally {
      await files.update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Workspace);
      await setSetting('reloadReminder', false);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
