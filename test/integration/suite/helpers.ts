/**
 * Helpers of the extension-host suite: fixtures, waiting for the language server, positions by text.
 * Every wait polls with a deadline, so a missing answer fails with a message instead of hanging.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'supervisor-celery-tools.supervisor-celery';
export const LANGUAGE_ID = 'supervisor';

/** The repository: out/test/integration/suite is four levels below it. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const EXAMPLE = path.join(REPO_ROOT, 'examples', 'supervisor.conf');

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

let serverReady: Promise<void> | undefined;

/**
 * Activates the extension and waits until its language server answers: activate() returns before the
 * client has started, and requests sent before that reach no provider of this extension.
 */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = extension();
  await ext.activate();
  serverReady ??= (async () => {
    const doc = await openSupervisor('supervisord.conf');
    await diagnosticsWhen(doc.uri, 'the language server to report on supervisord.conf', (ds) => ds.length > 0, 15_000);
  })();
  await serverReady;
  return ext;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open (test/fixtures/workspace)');
  return folder.uri;
}

export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** The open document for `uri` as VS Code knows it now (a language change replaces the object). */
export function currentDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** Opens a fixture (or any file) and waits until it is a supervisor document. */
export async function openSupervisor(relativeOrUri: string | vscode.Uri, show = false): Promise<vscode.TextDocument> {
  const uri = typeof relativeOrUri === 'string' ? fixtureUri(relativeOrUri) : relativeOrUri;
  await vscode.workspace.openTextDocument(uri);
  const doc = await waitFor(`${uri.path} to be a supervisor document`, () => {
    const d = currentDocument(uri);
    return d?.languageId === LANGUAGE_ID ? d : undefined;
  });
  if (show) await vscode.window.showTextDocument(doc);
  return doc;
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function supervisorDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'supervisor');
}

/** Waits until the diagnostics of `uri` satisfy `ok`, and returns them. */
export async function diagnosticsWhen(
  uri: vscode.Uri,
  what: string,
  ok: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 10_000,
): Promise<vscode.Diagnostic[]> {
  try {
    return await waitFor(what, () => {
      const diagnostics = supervisorDiagnostics(uri);
      return ok(diagnostics) ? diagnostics : undefined;
    }, timeoutMs);
  } catch (err) {
    const now = supervisorDiagnostics(uri).map(describeDiagnostic).join('\n  ');
    throw new Error(`${(err as Error).message}\ndiagnostics of ${path.basename(uri.path)} now:\n  ${now || '(none)'}`);
  }
}

/** Waits for a diagnostic with `code`, optionally on the line that holds `lineText`. */
export async function diagnosticWith(doc: vscode.TextDocument, code: string, lineText?: string): Promise<vscode.Diagnostic> {
  const line = lineText === undefined ? undefined : lineOf(doc, lineText);
  const found = await diagnosticsWhen(doc.uri, `${code}${lineText ? ` on "${lineText}"` : ''}`, (ds) =>
    ds.some((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line)),
  );
  return found.find((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line))!;
}

export function describeDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  const severity = vscode.DiagnosticSeverity[d.severity];
  return `${codeOf(d)} ${severity} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** Zero-based number of the first line containing `text` (after line `from`). */
export function lineOf(doc: vscode.TextDocument, text: string, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text.includes(text)) return i;
  }
  throw new Error(`no line contains "${text}" in ${path.basename(doc.uri.path)}`);
}

/**
 * The range of `needle` in the document. `within` narrows the search to the first line containing
 * it, e.g. rangeOf(doc, 'worker', 'celery -A proj worker --concurrency').
 */
export function rangeOf(doc: vscode.TextDocument, needle: string, within?: string): vscode.Range {
  const text = doc.getText();
  let from = 0;
  if (within !== undefined) {
    from = doc.offsetAt(new vscode.Position(lineOf(doc, within), 0)) + doc.lineAt(lineOf(doc, within)).text.indexOf(within);
  }
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `"${needle}" not found in ${path.basename(doc.uri.path)}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

/** A position `offset` characters into `needle`. */
export function positionIn(doc: vscode.TextDocument, needle: string, offset = 1, within?: string): vscode.Position {
  return rangeOf(doc, needle, within).start.translate(0, offset);
}

export function sameRange(actual: vscode.Range, expected: vscode.Range, what = 'range'): void {
  const show = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  assert.equal(show(actual), show(expected), what);
}

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  return content.value;
}

export async function hoversAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map(markdownOf)).join('\n---\n');
}

export async function codeActionsAt(
  doc: vscode.TextDocument,
  range: vscode.Range,
  kind?: vscode.CodeActionKind,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    range,
    kind?.value,
    // Resolve every action as the editor does when one is chosen: "Fix all" sends its edit only then.
    1000,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

export function actionTitled(actions: vscode.CodeAction[], title: string | RegExp): vscode.CodeAction {
  const found = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  assert.ok(found, `no code action ${String(title)}; offered: ${actions.map((a) => JSON.stringify(a.title)).join(', ') || 'none'}`);
  return found;
}

/** Applies a code action the way the editor does: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit || action.command, `code action "${action.title}" has neither an edit nor a command`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** The document's text now, to put back later with restore(). */
export interface Snapshot {
  doc: vscode.TextDocument;
  text: string;
}

export function snapshot(doc: vscode.TextDocument): Snapshot {
  return { doc, text: doc.getText() };
}

/**
 * Puts a document back to the snapshot's text, in the editor and on disk. Works whether or not the
 * change was saved meanwhile (by auto save, say), so later tests always start from the fixture.
 */
export async function restore({ doc, text }: Snapshot): Promise<void> {
  if (doc.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${path.basename(doc.uri.path)}`);
  }
  if (doc.isDirty) assert.ok(await doc.save(), `could not save ${path.basename(doc.uri.path)}`);
  assert.equal(doc.getText(), text);
}

/** Sets a `supervisor.*` setting in the workspace (undefined removes it) and waits until VS Code has it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('supervisor');
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  await waitFor(`setting supervisor.${key} to apply`, () => {
    const now = vscode.workspace.getConfiguration('supervisor').inspect(key)?.workspaceValue;
    return JSON.stringify(now) === JSON.stringify(value);
  });
}

export interface CliFinding {
  code: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The findings of the extension's own command-line linter (dist/cli.js) for a file on disk. */
export function cliFindings(file: string): CliFinding[] {
  const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, '--format', 'json', '--no-fixes', file], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  } catch (err) {
    // Exit status 1 means "the file has an error": the output is still the report.
    const e = err as { status?: number; stdout?: string };
    if (e.status !== 1 || !e.stdout) throw err;
    out = e.stdout;
  }
  const report = JSON.parse(out) as { files: { findings: CliFinding[] }[] };
  return report.files[0].findings;
}

const SEVERITY_NAME: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A diagnostic as the CLI prints it: code, severity and 1-based range. */
export function asCliKey(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)} ${SEVERITY_NAME[d.severity]} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

export function cliKey(f: CliFinding): string {
  return `${f.code} ${f.severity} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
}
