/**
 * supervisor-lint as a VS Code task: Tasks: Run Task > supervisor-lint checks every supervisor config of a
 * workspace folder with the bundled CLI, as CI would (its .supervisor-lint.json, not the editor's
 * settings), and the `$supervisor-lint` problem matcher puts the findings of files not open in the
 * Problems panel too.
 */
import * as vscode from 'vscode';
import { lintArguments } from './lintCommand';

export const TASK_TYPE = 'supervisor-lint';

/** The task's definition, as tasks.json writes it. */
interface LintTaskDefinition extends vscode.TaskDefinition {
  /** Files and folders, relative to the workspace folder; default: the folder itself. */
  paths?: string[];
  /** More supervisor-lint options (--check-machine, --fail-on warning ...). */
  args?: string[];
}

export function registerLintTasks(context: vscode.ExtensionContext): vscode.Disposable {
  const cli = context.asAbsolutePath('dist/cli.js');
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => lintTask(cli, f, { type: TASK_TYPE })),
    resolveTask: (task) => {
      const folder = task.scope;
      // A task of tasks.json: the same execution for its definition. Tasks of the whole workspace or user have no folder to run in.
      if (typeof folder !== 'object' || folder.uri.scheme !== 'file') return undefined;
      return lintTask(cli, folder, task.definition as LintTaskDefinition);
    },
  });
}

function lintTask(cli: string, folder: vscode.WorkspaceFolder, definition: LintTaskDefinition): vscode.Task {
  const { args, paths, named } = lintArguments(definition);
  // The extension host's own Node: Electron's binary runs as Node with ELECTRON_RUN_AS_NODE (a remote host's node ignores it).
  const execution = new vscode.ProcessExecution(process.execPath, [cli, ...args, ...paths], {
    cwd: folder.uri.fsPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  const name = named ? `check ${paths.join(' ')}` : 'check the supervisor configs';
  const task = new vscode.Task(definition, folder, name, TASK_TYPE, execution, ['$supervisor-lint']);
  task.detail = `supervisor-lint ${[...args, ...paths].join(' ')} in ${folder.name}`;
  return task;
}
