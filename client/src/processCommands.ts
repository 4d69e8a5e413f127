/**
 * The commands behind the process status lenses (server/src/liveLenses.ts): list a program's
 * processes to open a log, follow one (`tail -f`) or type a supervisorctl command (restart, stop, start), or type
 * `supervisorctl update`. Commands are typed into a terminal for the user to run, never run.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { controlPicks, groupPicks, processPicks, updateCommand, type LensProcess } from './processText';
import { APPLY_CONFIG_COMMAND, PROCESSES_REQUEST, SHOW_PROCESSES_COMMAND, type DeploymentParams, type ProcessesInfo } from '../../server/src/protocol';

/** `client`: the language client once it runs (the command palette's Show Processes asks its server). */
export function registerProcessCommands(client: () => LanguageClient | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SHOW_PROCESSES_COMMAND, (args?: ProcessesArgs) => (args ? showProcesses(args) : pickGroup(client()))),
    vscode.commands.registerCommand(APPLY_CONFIG_COMMAND, applyConfig),
  ];
}

type Pick = vscode.QuickPickItem & { log?: string; command?: string; follow?: string };
type ProcessesArgs = { program?: string; processes?: LensProcess[]; namespecs?: string[]; sharedGroup?: string; mainConfig?: string };

/** From the command palette or the language status: the groups supervisord runs for the active config, then one's processes. */
async function pickGroup(client: LanguageClient | undefined): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  const params: DeploymentParams | undefined = doc && { textDocument: { uri: doc.uri.toString() } };
  const info = client?.isRunning() && params ? await client.sendRequest<ProcessesInfo | null>(PROCESSES_REQUEST, params).catch(() => null) : null;
  if (!info) {
    void vscode.window.showInformationMessage(
      'Supervisor: no supervisord on this machine that could be asked runs the active config (where one should, the language status, {} in the status bar, says why).',
    );
    return;
  }
  const groups = groupPicks(info.processes);
  const chosen = groups.length === 1 ? groups[0] : await vscode.window.showQuickPick(groups, { title: `Processes of ${info.mainConfig}`, placeHolder: 'A group of processes' });
  if (chosen) await showProcesses({ program: chosen.group, processes: chosen.processes, namespecs: [`${chosen.group}:`], mainConfig: info.mainConfig });
}

async function showProcesses(args: ProcessesArgs): Promise<void> {
  const processes = args.processes ?? [];
  const program = args.program ?? 'the program';
  const picks: Pick[] = processPicks(processes, args.mainConfig).map((p) => (p.follow ? { ...p, buttons: [followButton] } : p));
  if (args.mainConfig && args.namespecs?.length) {
    picks.push({ label: 'supervisorctl', kind: vscode.QuickPickItemKind.Separator }, ...controlPicks(args.mainConfig, { program, namespecs: args.namespecs, processes, sharedGroup: args.sharedGroup }));
  }
  const chosen = await pickOne(picks, `Processes of ${program}`, 'Open the log of a process, or type a supervisorctl command into a terminal');
  if (chosen?.command) typeIntoTerminal(chosen.command);
  else if (chosen?.log) await openAtEnd(chosen.log);
}

const followButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('terminal'), tooltip: 'Follow in a terminal (supervisorctl tail -f)' };

/** showQuickPick, plus the items' buttons: a log's button picks its `tail -f` command instead of the file. */
function pickOne(picks: Pick[], title: string, placeholder: string): Promise<Pick | undefined> {
  const quickPick = vscode.window.createQuickPick<Pick>();
  Object.assign(quickPick, { items: picks, title, placeholder });
  return new Promise((resolve) => {
    let settled = false;
    const done = (pick: Pick | undefined) => {
      if (settled) return;
      settled = true;
      resolve(pick);
      quickPick.dispose();
    };
    quickPick.onDidAccept(() => done(quickPick.selectedItems[0]));
    quickPick.onDidTriggerItemButton(({ item }) => done(item.follow ? { label: item.label, command: item.follow } : item));
    quickPick.onDidHide(() => done(undefined));
    quickPick.show();
  });
}

async function openAtEnd(log: string): Promise<void> {
  try {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(log), { preview: true });
    // The newest lines are at the end: why a process just failed, or what it is doing now.
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not open ${log}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Types the command without running it: it restarts the program, so the user presses Enter. The
 * lens said "restarts it with this one": unsaved edits of the file are saved first, or supervisorctl
 * would apply the file as it was.
 */
async function applyConfig(args?: { mainConfig?: string; group?: string; file?: string }): Promise<void> {
  if (!args?.mainConfig || !args.group) return;
  const doc = args.file === undefined ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === args.file);
  if (doc?.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage(`Could not save ${args.file}: supervisorctl update would apply it as it was.`);
    return;
  }
  typeIntoTerminal(updateCommand(args.mainConfig, args.group));
}

/** Into the "supervisorctl" terminal (opened once), without Enter. */
function typeIntoTerminal(line: string): void {
  const terminal = vscode.window.terminals.find((t) => t.name === 'supervisorctl' && t.exitStatus === undefined) ?? vscode.window.createTerminal({ name: 'supervisorctl' });
  terminal.show();
  terminal.sendText(line, false);
}
