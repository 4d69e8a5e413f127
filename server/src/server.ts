/**
 * The LSP adapter: open documents, settings, and the mapping between LSP requests and the core.
 * Works over stdio (`--stdio`), node IPC or sockets; nothing here is VS Code-specific.
 */
import {
  CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InsertTextFormat,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeActionParams,
  type Diagnostic,
  type InitializeResult,
  type SelectionRange,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, type Analysis } from './core/analyze';
import { disableForLineFix, isKnownCode } from './core/suppression';
import { suppressionHover } from './core/features/suppressionHover';
import { RULES, ruleFor } from './core/rules';
import { closest } from './core/rules/schema/util';
import { rangesOverlap, type Range } from './core/model/types';
import { settingsFrom, type Settings } from './core/settings';
import { documentSymbols, type DocumentSymbolInfo } from './core/features/symbols';
import { foldingRanges } from './core/features/folding';
import { selectionRanges } from './core/features/selectionRanges';
import { deploymentSummary } from './core/features/deploymentSummary';
import { DEPLOYMENT_REQUEST, PROCESSES_REQUEST, type DeploymentParams, type DeploymentStatusInfo, type ProcessesInfo } from './protocol';
import { codeLenses, codeLensOptionsFrom } from './core/features/codeLens';
import { hover } from './core/features/hover';
import { completion } from './core/features/completion';
import { codeActions } from './core/features/codeActions';
import { inlayHintOptionsFrom, inlayHints } from './core/features/inlayHints';
import type { Finding, FindingTag } from './core/rules/rule';
import type { Severity } from './core/model/types';
import { ruleDocsUrl } from './docsLocation';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DeploymentContext } from './core/deployment';
import { parse } from './core/model/parse';
import { DeploymentFinder } from './workspace';
import { ThisMachine } from './thisMachine';
import { DiskEncoding } from './diskEncoding';
import type { MachineView } from './core/machine';
import { registerNavigation } from './navigation';
import { hasSupervisordToAsk, liveLenses, supervisordLine, supervisordProcesses } from './liveLenses';
import { SupervisordStatus } from './supervisordStatus';

/** How long typing must pause before a changed document is checked again (initializationOptions.validateDelayMs). */
const DEFAULT_VALIDATE_DELAY_MS = 120;
let validateDelayMs = DEFAULT_VALIDATE_DELAY_MS;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let canAskConfiguration = false;
let canSnippet = false;
/** The client takes an insert and a replace range per completion item and picks one (VS Code by editor.suggest.insertMode). */
let canInsertReplace = false;
let canWatchFiles = false;
/** The client tells of workspace folders added and removed (workspace/didChangeWorkspaceFolders). */
let canChangeFolders = false;
/** The client fills in a code action's edit when it is chosen (codeAction/resolve): "Fix all" actions can leave theirs out. */
let canResolveEdits = false;
/** The client shows a diagnostic's related locations (publishDiagnostics.relatedInformation). */
let canRelate = false;
/** The diagnostic tags the client draws (faded, struck through); others are not sent. */
let tagsShown = new Set<DiagnosticTag>();
/** The client command that opens a rule's docs page, when the client has one (the VS Code extension does). */
let openRuleDocsCommand: string | undefined;
/** The client command that changes a `supervisor.*` setting (key, value), when the client has one. */
let setSettingCommand: string | undefined;
/** The `supervisor` section as the client answers it for each document, asked once (null: all defaults). */
const configCache = new Map<string, Promise<unknown>>();
/** The engine's settings read from it, one object per document (analyses are remembered per settings object). */
const settingsCache = new Map<string, Promise<Settings>>();
/** The client asks for inlay hints and code lenses again when told to (workspace/inlayHint/refresh, workspace/codeLens/refresh). */
let canRefreshInlayHints = false;
let canRefreshCodeLenses = false;
const analyses = new Map<string, { version: number; settings: Settings; generation: number; analysis: Analysis }>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Bumped whenever a file of some deployment may have changed: analyses of older generations are stale. */
let generation = 0;
let workspaceFolders: string[] = [];
const finder = () => new DeploymentFinder(workspaceFolders, openTextByPath);

function openTextByPath(file: string): string | undefined {
  for (const d of documents.all()) if (filePath(d.uri) === file) return d.getText();
  return undefined;
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * `supervisor.mainConfig` for a document: an absolute path to the main file of fragments whose deployment
 * lives outside the workspace. Asked for the document, as every setting: a folder of a multi-root
 * workspace may set its own.
 */
async function mainConfigFor(uri: string): Promise<string | undefined> {
  const c = (await configFor(uri)) as { mainConfig?: unknown } | null;
  return usableMainConfig(c?.mainConfig);
}

/** A supervisor.mainConfig value the server can use: an absolute path (else undefined). */
function usableMainConfig(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') ? value : undefined;
}

let deploymentFinder: DeploymentFinder | undefined;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<FindingTag, DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

connection.onInitialize((params): InitializeResult => {
  canAskConfiguration = !!params.capabilities.workspace?.configuration;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => filePath(f.uri)).filter((p): p is string => p !== undefined);
  if (!workspaceFolders.length && params.rootUri) {
    const root = filePath(params.rootUri);
    if (root) workspaceFolders = [root];
  }
  deploymentFinder = finder();
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canChangeFolders = !!params.capabilities.workspace?.workspaceFolders;
  canSnippet = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  canInsertReplace = !!params.capabilities.textDocument?.completion?.completionItem?.insertReplaceSupport;
  canResolveEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') ?? false;
  canRefreshInlayHints = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
  canRefreshCodeLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  canRelate = !!params.capabilities.textDocument?.publishDiagnostics?.relatedInformation;
  tagsShown = new Set(params.capabilities.textDocument?.publishDiagnostics?.tagSupport?.valueSet ?? []);
  const init = params.initializationOptions as { openRuleDocsCommand?: unknown; setSettingCommand?: unknown; validateDelayMs?: unknown } | undefined;
  openRuleDocsCommand = typeof init?.openRuleDocsCommand === 'string' ? init.openRuleDocsCommand : undefined;
  setSettingCommand = typeof init?.setSettingCommand === 'string' ? init.setSettingCommand : undefined;
  const delay = init?.validateDelayMs;
  validateDelayMs = typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : DEFAULT_VALIDATE_DELAY_MS;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full, save: { includeText: false } },
      hoverProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      completionProvider: { triggerCharacters: ['[', '=', '(', ',', '/'] },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentLinkProvider: { resolveProvider: false },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.SourceFixAll],
        resolveProvider: true,
      },
      // Folders added to a multi-root workspace hold deployments too: the server must hear of them.
      ...(canChangeFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    },
    serverInfo: { name: 'supervisor-language-server', version: '0.1.0' },
  };
});

/**
 * The files whose changes the server hears of: `.conf` and `.ini` in any case, as the workspace scan reads
 * them (CONFIG_EXTENSION). VS Code's globs match case-sensitively on Linux and have no flag to ignore case,
 * so each letter is a class (a plain `*.{conf,ini}` missed SUPERVISORD.CONF and worker.CONF).
 */
const WATCHED_CONFIGS = '**/*.{[cC][oO][nN][fF],[iI][nN][iI]}';

connection.onInitialized(() => {
  // Created, changed and deleted config files can change a deployment: ask to hear about them (also
  // without a folder yet: one may be added).
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_CONFIGS }] }).catch(() => undefined);
  }
  if (canChangeFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
      const gone = new Set(removed.map((f) => filePath(f.uri)));
      const kept = workspaceFolders.filter((f) => !gone.has(f));
      workspaceFolders = [...kept, ...added.map((f) => filePath(f.uri)).filter((p): p is string => p !== undefined && !kept.includes(p))];
      deploymentFinder = finder();
      deploymentChanged();
    });
  }
  if (canAskConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'supervisor' }).catch(() => undefined);
  }
});

function configFor(uri: string): Promise<unknown> {
  if (!canAskConfiguration) return Promise.resolve(null);
  let cached = configCache.get(uri);
  if (!cached) {
    // A failed request means "all defaults", as a null answer does.
    cached = connection.workspace.getConfiguration({ scopeUri: uri, section: 'supervisor' }).catch(() => null);
    configCache.set(uri, cached);
  }
  return cached;
}

function settingsFor(uri: string): Promise<Settings> {
  let cached = settingsCache.get(uri);
  if (!cached) {
    cached = configFor(uri).then((raw) => {
      const problems: string[] = [];
      const settings = settingsFrom(raw, problems);
      reportSettingProblems([...problems, ...serverSettingProblems(raw, settings)]);
      return settings;
    });
    settingsCache.set(uri, cached);
  }
  return cached;
}

/** The on/off settings besides validate.enable, all on by default: the server's and the client's (its section holds both). */
const SWITCHES = ['detectByContent', 'reloadReminder', 'inlayHints.units', 'inlayHints.processNames', 'codeLens.celeryWorkers', 'codeLens.processStatus'];

/** What is wrong with the settings the server reads besides the engine's: they would be ignored silently too. */
function serverSettingProblems(raw: unknown, settings: Settings): string[] {
  const c = (raw ?? {}) as { mainConfig?: unknown; machineChecks?: unknown };
  const problems: string[] = [];
  for (const key of SWITCHES) {
    const value = key.split('.').reduce<unknown>((v, part) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined), raw);
    if (value !== undefined && value !== null && typeof value !== 'boolean') problems.push(`supervisor.${key} is ${JSON.stringify(value)}, not true or false: it stays on.`);
  }
  for (const code of Object.keys(settings.rules)) {
    if (isKnownCode(code)) continue;
    const guess = closest(code, RULES.map((r) => r.code));
    problems.push(`supervisor.rules names ${JSON.stringify(code)}, which is not a rule code${guess ? ` (did you mean ${guess}?)` : ''}: it changes nothing.`);
  }
  if (c.mainConfig !== undefined && c.mainConfig !== null && c.mainConfig !== '' && usableMainConfig(c.mainConfig) === undefined) {
    problems.push(`supervisor.mainConfig is ${JSON.stringify(c.mainConfig)}, not an absolute path such as "/etc/supervisor/supervisord.conf": it is ignored.`);
  } else if (typeof c.mainConfig === 'string' && c.mainConfig !== '' && openTextByPath(c.mainConfig) === undefined && !isFile(c.mainConfig)) {
    problems.push(`supervisor.mainConfig is ${JSON.stringify(c.mainConfig)}, which is no file on this machine: fragments are checked without it.`);
  }
  if (c.machineChecks !== undefined && c.machineChecks !== null && !['auto', 'on', 'off'].includes(c.machineChecks as string)) {
    problems.push(`supervisor.machineChecks is ${JSON.stringify(c.machineChecks)}, not one of auto, on, off: auto is used.`);
  }
  return problems;
}

/** Whether `path` names a file on this machine (false for any error: a folder in its way, no access ...). */
function isFile(path: string): boolean {
  try {
    return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** Settings problems already shown: each once a session, not once per document. */
const settingProblemsShown = new Set<string>();

function reportSettingProblems(problems: string[]): void {
  for (const problem of problems) {
    if (settingProblemsShown.has(problem)) continue;
    settingProblemsShown.add(problem);
    connection.console.warn(problem);
    // A notification, not showWarningMessage's request: nothing waits for the message to be dismissed.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: problem });
  }
}

/** The disk, accounts and supervisord of the machine the server runs on. */
const machine = new ThisMachine();

/** Whether an open file's bytes on disk are UTF-8, which the text the editor sends cannot tell. */
const diskEncoding = new DiskEncoding();

/** The machine to check this document's paths and accounts against (supervisor.machineChecks), if any. */
async function machineFor(uri: string): Promise<MachineView | undefined> {
  const raw = (await configFor(uri)) as { machineChecks?: unknown } | null;
  return machine.checksFor(filePath(uri), raw?.machineChecks);
}

/** The analysis of the document's current version, computed at most once per version and settings. */
async function analysisOf(doc: TextDocument): Promise<Analysis> {
  const settings = await settingsFor(doc.uri);
  const cached = analyses.get(doc.uri);
  if (cached && cached.version === doc.version && cached.settings === settings && cached.generation === generation) return cached.analysis;
  const at = generation;
  const [context, checkedMachine] = await Promise.all([deploymentContext(doc), machineFor(doc.uri)]);
  const file = filePath(doc.uri);
  const text = doc.getText();
  const analysis = analyzeText(text, settings, context, checkedMachine, file, file ? diskEncoding.utf8ErrorOf(file, text) : undefined);
  // A document closed meanwhile leaves nothing behind (and one opened again under its URI is another).
  if (documents.get(doc.uri) === doc) analyses.set(doc.uri, { version: doc.version, settings, generation: at, analysis });
  return analysis;
}

/** The other files of the document's deployment, when it has one (file: documents only). */
async function deploymentContext(doc: TextDocument): Promise<DeploymentContext | undefined> {
  const file = filePath(doc.uri);
  if (!file || !deploymentFinder) return undefined;
  let found;
  try {
    // Without supervisor.mainConfig, the config of the supervisord on this machine that reads the file.
    found = deploymentFinder.deploymentOf(file, doc.getText(), (await mainConfigFor(doc.uri)) ?? machine.liveMainOf(file));
  } catch (err) {
    connection.console.error(`could not read the deployment of ${file}: ${String(err)}`);
    return undefined;
  }
  if (!found) return undefined;
  return {
    path: file,
    complete: found.complete,
    includes: found.includes,
    unread: found.unread,
    readAs: found.readAs,
    files: found.files.map((f) => ({ path: f.path, doc: f.path === file ? parse(doc.getText()) : parse(f.text) })),
  };
}

/** Something another file may depend on changed: re-check every open document (they may share a deployment). */
function deploymentChanged(except?: string): void {
  generation++;
  for (const d of documents.all()) if (d.uri !== except && d.uri.startsWith('file:')) schedule(d.uri, validateDelayMs);
  refreshViewsSoon();
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Inlay hints and code lenses show facts of the whole deployment (process names, the memmon listener
 * of another file): once typing pauses, ask the client to request those of every open file again.
 */
function refreshViewsSoon(delay = validateDelayMs): void {
  if (!canRefreshInlayHints && !canRefreshCodeLenses) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }, delay);
}

function toDiagnostic(f: Finding, uri: string): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocsUrl(f.code) },
    source: 'supervisor',
    message: f.message,
    ...(f.tag && tagsShown.has(TAG[f.tag]) ? { tags: [TAG[f.tag]] } : {}),
    ...(canRelate && f.related?.length
      ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: r.range }, message: r.message })) }
      : {}),
  };
}

async function validate(uri: string): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const analysis = await analysisOf(doc);
  // Publish only for the version we analysed, and only while the document is still open: the same
  // document, since one closed and opened again numbers its versions from 1 again.
  const now = documents.get(uri);
  if (now !== doc || now.version !== version) return;
  await connection.sendDiagnostics({ uri, version, diagnostics: analysis.findings.map((f) => toDiagnostic(f, uri)) });
}

function schedule(uri: string, delay: number): void {
  const pending = timers.get(uri);
  if (pending) clearTimeout(pending);
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      validate(uri).catch((err) => connection.console.error(`validation failed for ${uri}: ${String(err)}`));
    }, delay),
  );
}

/** The version each document was opened with: TextDocuments fires onDidChangeContent for the open too. */
const openedVersion = new Map<string, number>();
documents.onDidOpen((e) => {
  openedVersion.set(e.document.uri, e.document.version);
  schedule(e.document.uri, 0);
});
documents.onDidChangeContent((e) => {
  idleRefreshesLeft = IDLE_REFRESHES;
  // An opened file is checked at once; only edits wait for a pause in typing.
  if (openedVersion.get(e.document.uri) !== e.document.version) schedule(e.document.uri, validateDelayMs);
  if (e.document.uri.startsWith('file:') && documents.all().length > 1) deploymentChanged(e.document.uri);
});
// A save can change the file's bytes without an edit ("Save with Encoding"): what the disk says
// (invalid-utf8) is looked at again. The file watcher tells of it only in a workspace folder.
documents.onDidSave((e) => {
  analyses.delete(e.document.uri);
  schedule(e.document.uri, 0);
});
connection.onDidChangeWatchedFiles(() => {
  deploymentFinder?.invalidate();
  deploymentChanged();
});
documents.onDidClose((e) => {
  const pending = timers.get(e.document.uri);
  if (pending) clearTimeout(pending);
  timers.delete(e.document.uri);
  analyses.delete(e.document.uri);
  openedVersion.delete(e.document.uri);
  configCache.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  const file = filePath(e.document.uri);
  if (file) diskEncoding.forget(file);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Its unsaved edits are gone: the other files of its deployment now see it as it is on disk.
  if (e.document.uri.startsWith('file:') && documents.all().length > 0) deploymentChanged(e.document.uri);
});

connection.onDidChangeConfiguration(() => {
  configCache.clear();
  settingsCache.clear();
  refreshViewsSoon(0);
  generation++;
  for (const doc of documents.all()) schedule(doc.uri, 0);
});

connection.onHover(async ({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  const analysis = await analysisOf(doc);
  const info =
    suppressionHover(analysis.doc, position, (code) => ruleFor(code)?.summary, ruleDocsUrl) ??
    hover(analysis.doc, position, { deployment: analysis.deployment, settings: analysis.settings, ruleDocsUrl });
  return info ? { contents: { kind: 'markdown', value: info.markdown }, range: info.range } : null;
});


connection.languages.inlayHint.on(async ({ textDocument, range }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  const [analysis, options] = await Promise.all([analysisOf(doc), configFor(doc.uri).then(inlayHintOptionsFrom)]);
  return inlayHints(analysis.doc, analysis.deployment, range, options).map((h) => ({
    position: h.position,
    label: h.label,
    tooltip: h.tooltip,
    paddingLeft: true,
  }));
});

connection.onCodeLens(async ({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  const [analysis, options] = await Promise.all([analysisOf(doc), configFor(doc.uri).then(codeLensOptionsFrom)]);
  // An empty command id: VS Code shows the title as text that does nothing when clicked.
  const lenses = codeLenses(analysis.doc, analysis.deployment, analysis.settings, options).map((l) => ({ range: l.range, command: { title: l.title, command: '' } }));
  const file = filePath(doc.uri);
  const live = options.processStatus !== false && file ? await liveLenses(analysis, file, supervisordStatus) : [];
  // Processes change without an edit: while their state shows, ask for the lenses again now and then; and,
  // less often, while a supervisord the deployment names does not answer (yet): the lenses come once it starts.
  if (live.length) refreshLiveLensesSoon(LIVE_REFRESH_MS);
  else if (options.processStatus !== false && file && idleRefreshesLeft > 0 && hasSupervisordToAsk(analysis, file)) {
    idleRefreshesLeft--;
    refreshLiveLensesSoon(IDLE_REFRESH_MS);
  }
  return [...lenses, ...live];
});

/** What supervisord says of its processes, asked at most every 2 s per config. */
const supervisordStatus = new SupervisordStatus();
const LIVE_REFRESH_MS = 5_000;
const IDLE_REFRESH_MS = 10_000;
/** How many more times to ask while no supervisord answers: a minute after a file is opened or edited, not for as long as it stays open. */
const IDLE_REFRESHES = 6;
let idleRefreshesLeft = IDLE_REFRESHES;
let liveRefreshTimer: ReturnType<typeof setTimeout> | undefined;

function refreshLiveLensesSoon(delayMs: number): void {
  if (!canRefreshCodeLenses || liveRefreshTimer) return;
  liveRefreshTimer = setTimeout(() => {
    liveRefreshTimer = undefined;
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }, delayMs);
}

const COMPLETION_KIND = {
  section: CompletionItemKind.Module,
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  expansion: CompletionItemKind.Variable,
  folder: CompletionItemKind.Folder,
  file: CompletionItemKind.File,
} as const;

connection.onCompletion(async ({ textDocument, position, context }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  const analysis = await analysisOf(doc);
  const { items, isIncomplete } = completion(analysis.doc, position, {
    deployment: analysis.deployment,
    settings: analysis.settings,
    machine: machine.view,
    file: analysis.readAs,
  });
  // '/' asks only for the next folder's entries: nothing else is worth a popup there.
  if (context?.triggerCharacter === '/' && !items.every((c) => c.kind === 'folder' || c.kind === 'file')) return { isIncomplete: false, items: [] };
  return {
    isIncomplete,
    items: items.map((c) => {
      const snippet = canSnippet && c.snippet !== undefined;
      const newText = snippet ? c.snippet! : c.insertText;
      return {
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        sortText: c.sortText,
        insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        // In a word, the client chooses between replacing all of it and only what is left of the cursor.
        textEdit: canInsertReplace && c.insertRange ? { newText, insert: c.insertRange, replace: c.range } : { range: c.range, newText },
        additionalTextEdits: c.additionalTextEdits,
      };
    }),
  };
});

function toSymbol(s: DocumentSymbolInfo): import('vscode-languageserver/node').DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: s.kind === 'section' ? SymbolKind.Module : SymbolKind.Property,
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toSymbol),
  };
}

connection.onDocumentSymbol(async ({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  return documentSymbols((await analysisOf(doc)).doc).map(toSymbol);
});

connection.onRequest(DEPLOYMENT_REQUEST, async ({ textDocument }: DeploymentParams): Promise<DeploymentStatusInfo | null> => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  const [analysis, checked] = await Promise.all([analysisOf(doc), machineFor(doc.uri)]);
  const file = filePath(doc.uri);
  const supervisord = file === undefined ? undefined : await supervisordLine(analysis, file, supervisordStatus, (main) => machine.liveMainOf(main) !== undefined);
  // The client asks again every few seconds while this shows: a supervisord that (re)started brings its lenses back.
  if (supervisord && supervisord.state !== 'unreachable') refreshLiveLensesSoon(LIVE_REFRESH_MS);
  const live = supervisord === undefined ? {} : { supervisord: supervisord.text, supervisordState: supervisord.state };
  return { ...deploymentSummary(analysis.deployment), machineChecked: checked !== undefined, ...live };
});

connection.onRequest(PROCESSES_REQUEST, async ({ textDocument }: DeploymentParams): Promise<ProcessesInfo | null> => {
  const doc = documents.get(textDocument.uri);
  const file = doc && filePath(doc.uri);
  return doc && file ? supervisordProcesses(await analysisOf(doc), file, supervisordStatus) : null;
});

connection.onFoldingRanges(async ({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  return foldingRanges((await analysisOf(doc)).doc);
});

connection.onSelectionRanges(async ({ textDocument, positions }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  const analysis = await analysisOf(doc);
  // LSP wants each range as a chain through `parent`, innermost first.
  return positions.map((position) =>
    selectionRanges(analysis.doc, analysis.deployment, position).reduceRight<SelectionRange | undefined>((parent, range) => ({ range, parent }), undefined)!,
  );
});

/** What a deferred "Fix all" action needs to be computed again when the user picks it. */
interface DeferredEdit {
  uri: string;
  version: number;
  range: Range;
  only?: string[];
}

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[] | null> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const analysis = await analysisOf(doc);
  const only = params.context.only;
  const actions: CodeAction[] = codeActions(analysis, params.range, only).map((a) => {
    // An action over the whole file can carry thousands of edits and findings, and the editor asks on
    // every cursor move: send its title now, its edit when it is chosen, and only the findings in view.
    if (canResolveEdits && (a.findings.length > 1 || a.kind === 'source.fixAll')) {
      const data: DeferredEdit = { uri: doc.uri, version: doc.version, range: params.range, only };
      return { title: a.title, kind: a.kind, diagnostics: a.findings.filter((f) => rangesOverlap(f.range, params.range)).map((f) => toDiagnostic(f, doc.uri)), data };
    }
    return { title: a.title, kind: a.kind, diagnostics: a.findings.map((f) => toDiagnostic(f, doc.uri)), isPreferred: a.isPreferred, edit: { changes: { [doc.uri]: a.edits } } };
  });
  if (!only || only.includes(CodeActionKind.QuickFix)) {
    actions.push(...lineActions(analysis, params.range, doc.uri));
  }
  return actions;
});

connection.onCodeActionResolve(async (action: CodeAction): Promise<CodeAction> => {
  const data = action.data as DeferredEdit | undefined;
  const doc = data && documents.get(data.uri);
  // The document changed since the action was offered: no edit (the editor asks for fresh actions).
  if (!data || !doc || doc.version !== data.version) return action;
  const found = codeActions(await analysisOf(doc), data.range, data.only).find((a) => a.title === action.title && a.kind === action.kind);
  return found ? { ...action, edit: { changes: { [doc.uri]: found.edits } } } : action;
});

/**
 * For each code under the cursor: the setting change that makes it go away (when the finding names one),
 * "Disable <code> for this line" and "Open documentation for <code>".
 */
function lineActions(analysis: Analysis, range: Range, uri: string): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const f of analysis.findings) {
    if (f.code === 'internal-error' || f.range.end.line < range.start.line || f.range.start.line > range.end.line) continue;
    const key = `${f.code}\u0000${f.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const diagnostics = [toDiagnostic(f, uri)];
    if (f.setting && setSettingCommand) {
      const { key, value, condition } = f.setting;
      const title = `Set supervisor.${key} to ${value} (${condition})`;
      // The document too: the client writes the value where this file's comes from (a folder of a multi-root workspace may set its own).
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics, command: { title, command: setSettingCommand, arguments: [key, value, uri] } });
    }
    if (f.code !== 'unused-suppression') {
      const fix = disableForLineFix(analysis.doc, f);
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes: { [uri]: fix.edits } } });
    }
    if (openRuleDocsCommand) {
      const title = `Open documentation for ${f.code}`;
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics, command: { title, command: openRuleDocsCommand, arguments: [f.code] } });
    }
  }
  return actions;
}

registerNavigation(connection, { documents, analysisOf, filePath, deploymentFinder: () => deploymentFinder, machine: machine.view });

documents.listen(connection);
connection.listen();
