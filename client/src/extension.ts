import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { looksLikeSupervisorConfig, MAX_LINES_TO_SCAN, renderedNameOf, startsWithSupervisorSection } from '../../server/src/core/detect';
import { APPLY_COMMAND, groupNamesIn, reloadCommands, reloadMessage, remindsOnSave, type SaveReason } from './reloadCommands';
import { SERVER_NODE_FLAGS } from '../../server/src/serverProcess';
import { DeploymentStatusItem } from './deploymentStatus';
import { registerProcessCommands } from './processCommands';
import { registerLintTasks } from './lintTask';
import { ruleDocsCommandUri, rulePickItems } from './ruleDocsLink';
import { APPLY_CONFIG_COMMAND, SHOW_PROCESSES_COMMAND } from '../../server/src/protocol';

const LANGUAGE_ID = 'supervisor';
const SECTION = 'supervisor';

const OPEN_TERMINAL = 'Open Terminal with Commands';
const COPY_COMMANDS = 'Copy Commands';
const DONT_SHOW_AGAIN = "Don't Show Again";

/** Opens a rule's page rendered: the quick fix "Open documentation for <code>" and the codes' links run it. */
const OPEN_RULE_DOCS_COMMAND = 'supervisor.openRuleDocs';

/** The command behind the server's "Set supervisor.celery.version to 5.3" quick fixes (not in the palette). */
const SET_SETTING_COMMAND = 'supervisor.setSetting';
/** The settings the server may offer to change, with the values each accepts. */
const SETTABLE: Readonly<Record<string, RegExp>> = { 'celery.version': /^\d+\.\d+$/ };

/** Rule codes are kebab-case identifiers; anything else is rejected (no path traversal). */
const RULE_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

let client: LanguageClient | undefined;

/** What activate() returns: read-only views for tests and other extensions. */
export interface SupervisorExtensionApi {
  /** The "Supervisor deployment" language status item as it reads now. */
  deploymentStatus(): { text: string; detail?: string; command?: string };
  /** The "supervisord" language status item as it reads now, if it shows. */
  supervisordStatus(): { text: string; detail?: string; command?: string; warning: boolean } | undefined;
  /** Whether the reload reminder was shown for a document (by URI) in this session. */
  reloadReminded(uri: string): boolean;
}

export function activate(context: vscode.ExtensionContext): SupervisorExtensionApi {
  context.subscriptions.push(
    ...registerContentDetection(),
    ...registerReloadReminder(),
    ...registerProcessCommands(() => client),
    registerLintTasks(context),
    vscode.commands.registerCommand('supervisor.treatAsSupervisor', treatActiveEditorAsSupervisor),
    vscode.commands.registerCommand(OPEN_RULE_DOCS_COMMAND, (code?: unknown) => openRuleDocs(context, code)),
    vscode.commands.registerCommand(SET_SETTING_COMMAND, setSetting),
  );
  const status = startLanguageClient(context);
  return {
    deploymentStatus: () => ({ text: status.item.text, detail: status.item.detail, command: status.item.command?.command }),
    supervisordStatus: () => {
      const item = status.supervisordItem;
      return item && { text: item.text, detail: item.detail, command: item.command?.command, warning: item.severity === vscode.LanguageStatusSeverity.Warning };
    },
    reloadReminded: (uri) => remindedDocuments.has(uri),
  };
}

export function deactivate(): Thenable<void> | undefined {
  const running = client;
  client = undefined;
  // A client whose server never started cannot be stopped cleanly; ignore that.
  return running?.stop().catch(() => undefined);
}

// ---------------------------------------------------------------------------
// Language server

function startLanguageClient(context: vscode.ExtensionContext): DeploymentStatusItem {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009', ...SERVER_NODE_FLAGS] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    // No `synchronize`: the server registers for changes to `supervisor` itself and asks for each file's
    // settings; both together sent every change twice, each re-checking every open file.
    outputChannelName: 'Supervisor',
    // Tells the server it may offer "Open documentation for <code>", which runs this client command.
    // It may also offer to change a setting that a finding depends on (supervisor.celery.version).
    initializationOptions: { openRuleDocsCommand: OPEN_RULE_DOCS_COMMAND, setSettingCommand: SET_SETTING_COMMAND },
    middleware: {
      // A code's link opens its page rendered (the server's link is to the Markdown file in the extension's folder).
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const d of diagnostics) {
          if (typeof d.code !== 'object') continue;
          const link = ruleDocsCommandUri(OPEN_RULE_DOCS_COMMAND, String(d.code.value), d.code.target);
          if (link) d.code = { value: d.code.value, target: vscode.Uri.parse(link) };
        }
        next(uri, diagnostics);
      },
      // The process status lenses come back every few seconds while shown: the language status, which
      // sums them up, follows them.
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        if (lenses?.some((l) => l.command?.command === SHOW_PROCESSES_COMMAND || l.command?.command === APPLY_CONFIG_COMMAND)) status.refreshSoon();
        return lenses;
      },
    },
  };
  // The id 'supervisor' makes the client honour the `supervisor.trace.server` setting.
  client = new LanguageClient('supervisor', 'Supervisor', serverOptions, clientOptions);
  const status = new DeploymentStatusItem(client);
  context.subscriptions.push(status);
  client.start().then(
    () => status.update(),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      void vscode.window.showErrorMessage(`Supervisor language server failed to start: ${message}`);
    },
  );
  return status;
}

// ---------------------------------------------------------------------------
// Content detection

/** Documents this session already switched once; if the user switches one back, leave it alone. */
const autoSwitched = new Set<string>();

function registerContentDetection(): vscode.Disposable[] {
  for (const doc of vscode.workspace.textDocuments) {
    void detectLanguage(doc);
  }
  return [
    vscode.workspace.onDidOpenTextDocument((doc) => void detectLanguage(doc)),
    // A new Untitled editor opens empty: the config pasted or typed into it comes as a change.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isUntitledPlainText(e.document)) void detectLanguage(e.document);
    }),
    // A language change closes and opens the document, which stays among the open ones: its mark stays, so
    // one the user switched back is left alone. A file really closed is looked at again when it is reopened.
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const key = doc.uri.toString();
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) autoSwitched.delete(key);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.detectByContent`)) {
        for (const doc of vscode.workspace.textDocuments) {
          void detectLanguage(doc);
        }
      }
    }),
  ];
}

async function detectLanguage(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId === LANGUAGE_ID || doc.uri.scheme === 'output') {
    return;
  }
  const key = doc.uri.toString();
  if (autoSwitched.has(key)) {
    return;
  }
  // Only false turns it off: anything else is the default, as the server's warning about such a value says.
  if (vscode.workspace.getConfiguration(SECTION, doc.uri).get<unknown>('detectByContent') === false) {
    return;
  }
  // A template (celery.conf.j2) that another extension's language took (Jinja ...) keeps it.
  if (renderedNameOf(doc.fileName) !== undefined && doc.languageId !== 'plaintext') {
    return;
  }
  const lastLine = Math.min(doc.lineCount, MAX_LINES_TO_SCAN);
  const head = doc.getText(new vscode.Range(0, 0, lastLine, 0));
  // An Untitled editor has no name to go by ("Untitled-1"): its text alone tells.
  if (isUntitledPlainText(doc) ? !startsWithSupervisorSection(head) : !looksLikeSupervisorConfig(doc.fileName, head)) {
    return;
  }
  autoSwitched.add(key);
  try {
    await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  } catch {
    // The document was closed meanwhile; nothing to do.
  }
}

/** An Untitled editor still in Plain Text: one given another language (by the user or by VS Code's guess) keeps it. */
function isUntitledPlainText(doc: vscode.TextDocument): boolean {
  return doc.isUntitled && doc.languageId === 'plaintext';
}

async function treatActiveEditorAsSupervisor(): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showInformationMessage('Open a file first, then run this command again.');
    return;
  }
  if (doc.languageId !== LANGUAGE_ID) {
    await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  }
}

// ---------------------------------------------------------------------------
// Reload reminder

/** Documents the reminder was already shown for in this session. */
const remindedDocuments = new Set<string>();
/** What is saving each document: onDidSave does not say, onWillSave does. */
const savingBy = new Map<string, SaveReason>();
const SAVE_REASONS: Record<vscode.TextDocumentSaveReason, SaveReason> = {
  [vscode.TextDocumentSaveReason.Manual]: 'manual',
  [vscode.TextDocumentSaveReason.AfterDelay]: 'afterDelay',
  [vscode.TextDocumentSaveReason.FocusOut]: 'focusOut',
};

function registerReloadReminder(): vscode.Disposable[] {
  return [
    vscode.workspace.onWillSaveTextDocument((e) => {
      if (e.document.languageId === LANGUAGE_ID) savingBy.set(e.document.uri.toString(), SAVE_REASONS[e.reason]);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.languageId !== LANGUAGE_ID) {
        return;
      }
      const savedBy = savingBy.get(doc.uri.toString());
      savingBy.delete(doc.uri.toString());
      if (!remindsOnSave(doc.fileName, vscode.workspace.getConfiguration(SECTION, doc.uri).get<unknown>('reloadReminder'), savedBy)) {
        return;
      }
      const key = doc.uri.toString();
      if (remindedDocuments.has(key)) {
        return;
      }
      remindedDocuments.add(key);
      void showReloadMessage(doc, true);
    }),
    vscode.commands.registerCommand('supervisor.showReloadCommands', () => {
      const doc = vscode.window.activeTextEditor?.document;
      return showReloadMessage(doc?.languageId === LANGUAGE_ID ? doc : undefined, false);
    }),
  ];
}

/** Shows the reminder. Nothing is ever run: the terminal button only types the command. */
async function showReloadMessage(doc: vscode.TextDocument | undefined, afterSave: boolean): Promise<void> {
  const commands = reloadCommands(doc ? groupNamesIn(doc.getText()) : []);
  const { message, dontShowAgain } = reloadMessage(afterSave ? 'saved' : doc ? 'active' : 'none');
  const choice = await vscode.window.showInformationMessage(
    message,
    OPEN_TERMINAL,
    COPY_COMMANDS,
    ...(dontShowAgain ? [DONT_SHOW_AGAIN] : []),
  );
  switch (choice) {
    case OPEN_TERMINAL: {
      // The terminal the process commands type into, when it is there: one supervisorctl terminal, not one per save.
      const terminal = vscode.window.terminals.find((t) => t.name === 'supervisorctl' && t.exitStatus === undefined) ?? vscode.window.createTerminal({ name: 'supervisorctl' });
      terminal.show();
      // Only the single apply line is typed: a newline in the text would execute it.
      // addNewLine=false leaves it for the user to review and run.
      terminal.sendText(APPLY_COMMAND, false);
      break;
    }
    case COPY_COMMANDS:
      await vscode.env.clipboard.writeText(commands);
      void vscode.window.setStatusBarMessage('Supervisor: commands copied to the clipboard', 3000);
      break;
    case DONT_SHOW_AGAIN:
      await vscode.workspace
        .getConfiguration(SECTION)
        .update('reloadReminder', false, vscode.ConfigurationTarget.Global);
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------
// Rule documentation

async function openRuleDocs(context: vscode.ExtensionContext, code: unknown): Promise<void> {
  const rulesDir = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  let ruleCode = typeof code === 'string' ? code.trim() : undefined;
  if (!ruleCode) {
    ruleCode = await pickRuleCode(context, rulesDir);
    if (!ruleCode) {
      return;
    }
  }
  if (!RULE_CODE.test(ruleCode)) {
    void vscode.window.showErrorMessage(`Supervisor: "${ruleCode}" is not a rule code.`);
    return;
  }
  const uri = vscode.Uri.joinPath(rulesDir, `${ruleCode}.md`);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showErrorMessage(`Supervisor: no documentation found for rule "${ruleCode}".`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // Markdown preview unavailable (built-in markdown extension disabled): open the source.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

async function pickRuleCode(context: vscode.ExtensionContext, rulesDir: vscode.Uri): Promise<string | undefined> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(rulesDir);
  } catch {
    entries = [];
  }
  const codes = entries.filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md')).map(([name]) => name.slice(0, -'.md'.length));
  if (codes.length === 0) {
    void vscode.window.showErrorMessage('Supervisor: no rule documentation found.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(rulePickItems(codes, context.extension.packageJSON), {
    placeHolder: 'Rule to show documentation for (type to filter by code or by what it finds)',
    matchOnDetail: true,
  });
  return picked?.label;
}

// ---------------------------------------------------------------------------
// Settings the server offers to change

/**
 * Sets a `supervisor.*` setting for the file the finding is in (`uri`): in its workspace folder when that
 * folder sets it (a workspace value would not override a folder's, in a multi-root workspace), else for
 * the workspace, or for the user when no folder is open.
 */
async function setSetting(key?: unknown, value?: unknown, uri?: unknown): Promise<void> {
  if (typeof key !== 'string' || typeof value !== 'string' || !SETTABLE[key]?.test(value)) return;
  const config = vscode.workspace.getConfiguration(SECTION, typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined);
  const target =
    config.inspect(key)?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
