/**
 * The LSP adapter: open documents, settings, and the mapping between LSP requests and the core.
 * Works over stdio (`--stdio`), node IPC or sockets; nothing here is VS Code-specific.
 */
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  InsertTextFormat,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeActionParams,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, type Analysis } from './core/analyze';
import { disableForLineFix } from './core/suppression';
import { suppressionHover } from './core/features/suppressionHover';
import { ruleFor } from './core/rules';
import type { Range } from './core/model/types';
import { settingsFrom, type Settings } from './core/settings';
import { documentSymbols, type DocumentSymbolInfo } from './core/features/symbols';
import { foldingRanges } from './core/features/folding';
import { hover } from './core/features/hover';
import { completion } from './core/features/completion';
import { codeActions } from './core/features/codeActions';
import type { Finding } from './core/rules/rule';
import type { Severity } from './core/model/types';
import { ruleDocsUrl } from './docsLocation';

const VALIDATE_DELAY_MS = 120;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let canAskConfiguration = false;
let canSnippet = false;
/** The client command that opens a rule's docs page, when the client has one (the VS Code extension does). */
let openRuleDocsCommand: string | undefined;
const settingsCache = new Map<string, Promise<Settings>>();
const analyses = new Map<string, { version: number; settings: Settings; analysis: Analysis }>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

connection.onInitialize((params): InitializeResult => {
  canAskConfiguration = !!params.capabilities.workspace?.configuration;
  canSnippet = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  const init = params.initializationOptions as { openRuleDocsCommand?: unknown } | undefined;
  openRuleDocsCommand = typeof init?.openRuleDocsCommand === 'string' ? init.openRuleDocsCommand : undefined;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full, save: false },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      completionProvider: { triggerCharacters: ['[', '=', '(', ','] },
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.SourceFixAll],
      },
    },
    serverInfo: { name: 'supervisor-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canAskConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'supervisor' }).catch(() => undefined);
  }
});

function settingsFor(uri: string): Promise<Settings> {
  if (!canAskConfiguration) return Promise.resolve(settingsFrom(undefined));
  let cached = settingsCache.get(uri);
  if (!cached) {
    // A null answer (or a failed request) means "all defaults".
    cached = connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'supervisor' })
      .then(settingsFrom, () => settingsFrom(undefined));
    settingsCache.set(uri, cached);
  }
  return cached;
}

/** The analysis of the document's current version, computed at most once per version and settings. */
async function analysisOf(doc: TextDocument): Promise<Analysis> {
  const settings = await settingsFor(doc.uri);
  const cached = analyses.get(doc.uri);
  if (cached && cached.version === doc.version && cached.settings === settings) return cached.analysis;
  const analysis = analyzeText(doc.getText(), settings);
  analyses.set(doc.uri, { version: doc.version, settings, analysis });
  return analysis;
}

function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocsUrl(f.code) },
    source: 'supervisor',
    message: f.message,
  };
}

async function validate(uri: string): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const analysis = await analysisOf(doc);
  // Publish only for the version we analysed, and only while the document is still open.
  const now = documents.get(uri);
  if (!now || now.version !== version) return;
  await connection.sendDiagnostics({ uri, version, diagnostics: analysis.findings.map(toDiagnostic) });
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

documents.onDidOpen((e) => schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => schedule(e.document.uri, VALIDATE_DELAY_MS));
documents.onDidClose((e) => {
  const pending = timers.get(e.document.uri);
  if (pending) clearTimeout(pending);
  timers.delete(e.document.uri);
  analyses.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
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

const COMPLETION_KIND = {
  section: CompletionItemKind.Module,
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  expansion: CompletionItemKind.Variable,
} as const;

connection.onCompletion(async ({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  return completion((await analysisOf(doc)).doc, position).map((c) => {
    const snippet = canSnippet && c.snippet !== undefined;
    return {
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
      sortText: c.sortText,
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: c.range, newText: snippet ? c.snippet! : c.insertText },
    };
  });
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

connection.onFoldingRanges(async ({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return null;
  return foldingRanges((await analysisOf(doc)).doc);
});

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[] | null> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const analysis = await analysisOf(doc);
  const actions: CodeAction[] = codeActions(analysis, params.range, params.context.only).map((a) => ({
    title: a.title,
    kind: a.kind,
    diagnostics: a.findings.map(toDiagnostic),
    isPreferred: a.isPreferred,
    edit: { changes: { [doc.uri]: a.edits } },
  }));
  const only = params.context.only;
  if (!only || only.includes(CodeActionKind.QuickFix)) {
    actions.push(...lineActions(analysis, params.range, doc.uri));
  }
  return actions;
});

/** "Disable <code> for this line" and "Open documentation for <code>" for each code under the cursor. */
function lineActions(analysis: Analysis, range: Range, uri: string): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const f of analysis.findings) {
    if (f.code === 'internal-error' || f.range.end.line < range.start.line || f.range.start.line > range.end.line) continue;
    const key = `${f.code}\u0000${f.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const diagnostics = [toDiagnostic(f)];
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

documents.listen(connection);
connection.listen();
