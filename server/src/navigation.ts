/**
 * Navigation for the LSP adapter: go to definition, find references, highlights and rename of program
 * and group names across the files of a deployment, links on [include] patterns and log files, and Go
 * to Symbol in Workspace. The answers come from core/features/ (programNames.ts, logFileLinks.ts,
 * symbols.ts); this file maps them.
 */
import { DocumentHighlightKind, ErrorCodes, type DocumentLink, ResponseError, SymbolKind, type Connection, type Position, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import type { Analysis } from './core/analyze';
import { buildDeployment, filesInReadOrder, type Deployment } from './core/deployment';
import { definitionsIn, highlightsAt, isOwnGroup, isValidProgramName, nameUseAt, nameUses, refersTo, renameClash, renameEdits, type NamedDocument } from './core/features/programNames';
import { workspaceSymbols } from './core/features/symbols';
import { logFileLinks } from './core/features/logFileLinks';
import { includeEntry, joinPath, dirname, fnmatch, hasMagic, splitPatterns } from './core/include';
import { valueSpanToRange, type SupervisorDocument } from './core/model/document';
import { parse } from './core/model/parse';
import type { DeploymentFinder } from './workspace';
import type { MachineView, PathKind } from './core/machine';

/** What the handlers need from the server: its open documents, their analyses and the workspace. */
export interface NavigationHost {
  documents: TextDocuments<TextDocument>;
  analysisOf(doc: TextDocument): Promise<Analysis>;
  /** The local path of a file: URI, undefined for other schemes. */
  filePath(uri: string): string | undefined;
  deploymentFinder(): DeploymentFinder | undefined;
  /** This machine's disk: log links go to files that exist on it. */
  machine: MachineView;
}

export function registerNavigation(connection: Connection, host: NavigationHost): void {
  /** The program or group name at a position, with the document's analysis (definition, references, rename). */
  async function nameAt(uri: string, position: Position) {
    const doc = host.documents.get(uri);
    if (!doc) return undefined;
    const analysis = await host.analysisOf(doc);
    const use = nameUseAt(analysis.doc, analysis.deployment, position);
    return use && { uri, analysis, use };
  }

  connection.onDefinition(async ({ textDocument, position }) => {
    const at = await nameAt(textDocument.uri, position);
    if (!at) return null;
    const { analysis, use } = at;
    const out = [];
    for (const d of deploymentDocs(at.uri, analysis)) for (const range of definitionsIn(d.doc, use)) out.push({ uri: d.uri, range });
    return out.length ? out : null;
  });

  connection.onReferences(async ({ textDocument, position, context }) => {
    const at = await nameAt(textDocument.uri, position);
    if (!at) return null;
    const { analysis, use } = at;
    const out = [];
    const ownGroup = isOwnGroup(analysis.deployment, use.name);
    for (const d of deploymentDocs(at.uri, analysis)) {
      for (const u of nameUses(d.doc, d.deployment)) {
        if (refersTo(u, use, ownGroup) && (context.includeDeclaration || !u.definition)) out.push({ uri: d.uri, range: u.range });
      }
    }
    return out;
  });

  connection.onDocumentHighlight(async ({ textDocument, position }) => {
    const doc = host.documents.get(textDocument.uri);
    if (!doc) return null;
    const analysis = await host.analysisOf(doc);
    return highlightsAt(analysis.doc, analysis.deployment, position).map((u) => ({
      range: u.range,
      kind: u.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
  });

  connection.onPrepareRename(async ({ textDocument, position }) => {
    const use = (await nameAt(textDocument.uri, position))?.use;
    return use && use.range.start.line === use.range.end.line ? { range: use.range, placeholder: use.name } : null;
  });

  connection.onRenameRequest(async ({ textDocument, position, newName }) => {
    const at = await nameAt(textDocument.uri, position);
    if (!at) return null;
    const { analysis, use } = at;
    if (!isValidProgramName(newName)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' cannot be a ${use.kind} name: no spaces, brackets, commas, colons, '=' or '%'.`);
    }
    const docs = deploymentDocs(at.uri, analysis);
    const clash = renameClash(docs, use, newName);
    if (clash) {
      const where = clash.uri === at.uri ? `line ${clash.line + 1}` : `${fileNameOf(clash.uri)}, line ${clash.line + 1}`;
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `'${newName}' is already the name of [${clash.sectionName}] (${where}): supervisor would merge the two or run only one of them. Choose another name.`,
      );
    }
    return { changes: renameEdits(docs, use, newName) };
  });

  /**
   * Links on the files= patterns of [include] that name existing files (a glob links to its first
   * match), and on log file paths that exist on this machine (the first process's that does).
   */
  connection.onDocumentLinks(async ({ textDocument }) => {
    const doc = host.documents.get(textDocument.uri);
    if (!doc) return null;
    const file = host.filePath(doc.uri);
    const analysis = await host.analysisOf(doc);
    const links: DocumentLink[] = [];
    const entry = file === undefined ? undefined : includeEntry(analysis.doc);
    const files = analysis.deployment.external?.files.map((f) => f.path) ?? [];
    // The main file's patterns as its deployment resolved them, %(here)s expanded (supervisor does too).
    const resolved = analysis.deployment.external?.includes;
    for (const p of entry ? splitPatterns(entry.value) : []) {
      const absolute = p.text.includes('%') ? resolved?.find((r) => r.start === p.start && r.text === p.text)?.absolute : joinPath(dirname(file!), p.text);
      if (absolute === undefined) continue;
      const target = hasMagic(absolute) ? files.find((f) => matchesPattern(f, absolute)) : files.includes(absolute) ? absolute : undefined;
      if (target) links.push({ range: valueSpanToRange(entry!, p.start, p.end), target: pathToFileURL(target).href, tooltip: target });
    }
    let stats = MAX_LOG_STATS;
    for (const log of logFileLinks(analysis.doc, analysis.deployment, analysis.readAs)) {
      const target = log.paths.find((p) => --stats >= 0 && isFile(host.machine.kind(p)));
      if (target) links.push({ range: log.range, target: pathToFileURL(target).href, tooltip: `Open the log ${target}` });
      if (stats < 0) break;
    }
    return links;
  });

  /** Parsed workspace files by path (by URI when not a file), kept while their text is unchanged: Go to Symbol asks on every keystroke. */
  const parsedForSymbols = new Map<string, { text: string; doc: SupervisorDocument }>();
  const parsedFor = (key: string, text: string): SupervisorDocument => {
    const cached = parsedForSymbols.get(key);
    if (cached?.text === text) return cached.doc;
    const doc = parse(text);
    parsedForSymbols.set(key, { text, doc });
    return doc;
  };

  /**
   * Go to Symbol in Workspace: the sections of the open documents, as edited, and of the workspace's
   * supervisor configs. Each file once, by its path: VS Code writes some paths' URIs otherwise than
   * Node does (`a[b] (1).conf` as `a%5Bb%5D%20%281%29.conf`); an open file keeps the editor's URI.
   */
  connection.onWorkspaceSymbol(({ query }) => {
    const texts = new Map<string, { uri: string; text: string }>();
    for (const d of host.documents.all()) texts.set(host.filePath(d.uri) ?? d.uri, { uri: d.uri, text: d.getText() });
    for (const f of host.deploymentFinder()?.workspaceConfigs() ?? []) {
      if (!texts.has(f.path)) texts.set(f.path, { uri: pathToFileURL(f.path).href, text: f.text });
    }
    for (const key of parsedForSymbols.keys()) if (!texts.has(key)) parsedForSymbols.delete(key);
    const files = [...texts].map(([key, { uri, text }]) => ({ uri, doc: parsedFor(key, text) }));
    return workspaceSymbols(files, query).map((s) => ({
      name: s.name,
      kind: SymbolKind.Module,
      location: { uri: s.uri, range: s.range },
      containerName: fileNameOf(s.uri),
    }));
  });
}

/** The other documents of a deployment, by the analysis's deployment: definition, references and rename each ask. */
const otherDocsOf = new WeakMap<Deployment, NamedDocument[]>();

/**
 * The documents of the analysis's deployment with their URIs, this one first. Each other file is read
 * with the whole deployment, as its own analysis is: its memmon -p worker_00 names the program of
 * another file whose process_name makes that name.
 */
function deploymentDocs(uri: string, analysis: Analysis): NamedDocument[] {
  const self = { uri, doc: analysis.doc, deployment: analysis.deployment };
  const external = analysis.deployment.external;
  if (!external) return [self];
  let others = otherDocsOf.get(analysis.deployment);
  if (!others) {
    const files = filesInReadOrder(external, analysis.doc);
    const context = (path: string) => ({ files, path, complete: external.complete });
    others = external.files.map((f) => ({ uri: pathToFileURL(f.path).href, doc: f.doc, deployment: buildDeployment(f.doc, context(f.path)) }));
    otherDocsOf.set(analysis.deployment, others);
  }
  return [self, ...others];
}

/** Log files checked for existence per request: a file with thousands of programs links the first ones. */
const MAX_LOG_STATS = 2_000;

function isFile(kind: PathKind): boolean {
  return kind === 'file' || kind === 'executable';
}

/** Whether a path is among a glob's matches: same number of components, each matching. */
function matchesPattern(file: string, pattern: string): boolean {
  const a = file.split('/');
  const b = pattern.split('/');
  return a.length === b.length && a.every((part, i) => fnmatch(part, b[i]) && !(part.startsWith('.') && hasMagic(b[i]) && !b[i].startsWith('.')));
}

/** The last segment of a URI (`file:///etc/supervisor/conf.d/celery.conf` -> `celery.conf`), for display. */
function fileNameOf(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
