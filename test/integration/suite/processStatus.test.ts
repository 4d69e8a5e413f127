/**
 * The process status lenses in VS Code, against a real supervisord started on a config of its own: the
 * state above each program, its log opened from the lens, `supervisorctl update` typed into a terminal.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, lineOf, openSupervisor, setSetting, sleep, waitFor } from './helpers';
import { OWN_SUPERVISORD, startSupervisord, stopSupervisord, supervisordUnavailable } from '../../support/supervisord';


const CONFIG = `${OWN_SUPERVISORD}
[program:sleeper]
command=/bin/sh -c "seq 1 300; exec sleep 1000"
stdout_logfile=%(here)s/sleeper.log
`;

async function statusLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
  return lenses.filter((l) => l.command?.title.startsWith('supervisord'));
}

describe('process status lenses', function () {
  // supervisord starts its programs, then the lenses and the language status come back every 5 s.
  this.timeout(60_000);
  let dir: string;
  let daemon: ChildProcess | undefined;

  before(async function () {
    if (supervisordUnavailable()) this.skip();
    await activateExtension();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-live-')));
    fs.writeFileSync(path.join(dir, 'supervisord.conf'), CONFIG);
    daemon = startSupervisord(path.join(dir, 'supervisord.conf'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('codeLens.processStatus', undefined);
    await stopSupervisord(daemon);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows the state supervisord reports above the program, and opens a process's log from it", async () => {
    const doc = await openSupervisor(vscode.Uri.file(path.join(dir, 'supervisord.conf')), true);
    const [lens] = await waitFor(
      'supervisord: RUNNING above [program:sleeper]',
      async () => {
        const found = await statusLenses(doc);
        return found.some((l) => l.command?.title.startsWith('supervisord: RUNNING · pid ')) && found;
      },
      20_000,
    );
    assert.equal(lens.range.start.line, lineOf(doc, '[program:sleeper]'));
    assert.equal(lens.command?.command, 'supervisor.showProcesses');
    // A language status item says what supervisord runs (and, where it cannot be asked, why), with a command to list the processes.
    const api = (await activateExtension()).exports as { supervisordStatus(): { text: string; command?: string; warning: boolean } | undefined };
    const item = await waitFor('the supervisord language status', () => (api.supervisordStatus()?.text === 'supervisord: 1 RUNNING' ? api.supervisordStatus() : undefined), 20_000);
    assert.deepEqual([item.command, item.warning], ['supervisor.showProcesses', false]);

    const shown = vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    await waitFor('the log to open from the quick pick', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(100);
      return vscode.window.activeTextEditor?.document.uri.fsPath === path.join(dir, 'sleeper.log') || undefined;
    });
    await shown;
    // At its end, where the newest lines are.
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 300, 'after the 300 lines the program wrote');

    // Below the logs, supervisorctl commands for the program: the first (restart), typed into a terminal.
    assert.deepEqual(lens.command!.arguments, [{ program: 'sleeper', processes: (lens.command!.arguments as [{ processes: unknown }])[0].processes, namespecs: ['sleeper:'], mainConfig: path.join(dir, 'supervisord.conf') }]);
    // The quick pick must be open before the selection moves (no API says so): try again, waiting longer.
    for (let attempt = 1; vscode.window.activeTerminal?.name !== 'supervisorctl'; attempt++) {
      assert.ok(attempt <= 5, 'the restart command typed into the supervisorctl terminal');
      const picked = vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      await sleep(200 * attempt);
      // Past the two logs (stdout, and stderr in an AUTO file) to the first command.
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await picked;
      await sleep(200);
    }
    vscode.window.activeTerminal?.dispose();

    // The language status item's Show Processes (the command palette's too): the groups supervisord runs
    // for the active config, here one, so its processes at once, and the log opens from there.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
    const listed = vscode.commands.executeCommand(item.command!);
    await waitFor('the log to open from Show Processes', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(100);
      return vscode.window.activeTextEditor?.document.uri.fsPath === path.join(dir, 'sleeper.log') || undefined;
    });
    await listed;
  });

  it('offers supervisorctl update in a terminal for an edit supervisord has not applied; turns off with supervisor.codeLens.processStatus', async () => {
    const doc = await openSupervisor(vscode.Uri.file(path.join(dir, 'supervisord.conf')), true);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.replace(doc.lineAt(lineOf(doc, 'command=/bin/sh')).range, 'command=/bin/sleep 2000'));
    const changed = await waitFor('supervisord: not applied yet', async () => (await statusLenses(doc)).find((l) => l.command?.title.startsWith('supervisord: not applied yet: command')), 20_000);
    const config = path.join(dir, 'supervisord.conf');
    assert.deepEqual(changed.command?.arguments, [{ program: 'sleeper', group: 'sleeper', mainConfig: config, file: config }]);
    assert.ok(doc.isDirty);
    await vscode.commands.executeCommand(changed.command!.command, ...(changed.command!.arguments ?? []));
    await waitFor('the supervisorctl terminal', () => vscode.window.activeTerminal?.name === 'supervisorctl' || undefined);
    assert.ok(!doc.isDirty && fs.readFileSync(config, 'utf8').includes('command=/bin/sleep 2000'), 'saved first: supervisorctl reads the file on disk');
    vscode.window.activeTerminal?.dispose();

    await setSetting('codeLens.processStatus', false);
    await waitFor('no process status lenses', async () => (await statusLenses(doc)).length === 0);
  });
});
