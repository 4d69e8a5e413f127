/**
 * The commands behind the process status lenses (server/src/liveLenses.ts): list a program's
 * processes and open a log, or type `supervisorctl update` into a terminal for the user to run.
 */
import * as vscode from 'vscode';
import { processPicks, updateCommand, type LensProcess } from './processText';
import { APPLY_CONFIG_COMMAND, SHOW_PROCESSES_COMMAND } from '../../server/src/protocol';

export function registerProcessCommands(): vscode.Disposable[] {
  return [vscode.commands.registerCommand(SHOW_PROCESSES_COMMAND, showProcesses), vscode.commands.registerCommand(APPLY_CONFIG_COMMAND, applyConfig)];
}

async function showProcesses(args?: { program?: string; processes?: LensProcess[] }): Promise<void> {
  const picks = processPicks(args?.processes ?? []);
  const chosen = await vscode.window.showQuickPick(picks, { title: `Processes of ${args?.program ?? 'the program'}`, placeHolder: 'Open the log of a process' });
  if (!chosen?.log) return;
  try {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(chosen.log), { preview: true });
    // The newest lines are at the end: why a process just failed, or what it is doing now.
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not open ${chosen.log}: ${err instanceof Error ? err.message : String(err)}`);
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
  const terminal = vscode.window.terminals.find((t) => t.name === 'supervisorctl') ?? vscode.window.createTerminal({ name: 'supervisorctl' });
  terminal.show();
  terminal.sendText(updateCommand(args.mainConfig, args.group), false);
}
