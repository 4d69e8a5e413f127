/**
 * Where a finding's code links to in the Problems panel and in its hover. The server links each code to its
 * page shipped with the extension (`file:.../docs/rules/<code>.md`), which VS Code opens as Markdown source
 * in an editable editor; the client links it to `supervisor.openRuleDocs` instead, which shows the page
 * rendered, as the quick fix "Open documentation for <code>" does. Pure: no `vscode` import.
 */

/** The `command:` URI that opens `code`'s page rendered, for a link to that page; undefined for any other link. */
export function ruleDocsCommandUri(command: string, code: string, target: { scheme: string; path: string }): string | undefined {
  if (target.scheme !== 'file' || !target.path.endsWith(`/docs/rules/${code}.md`)) return undefined;
  return `command:${command}?${encodeURIComponent(JSON.stringify([code]))}`;
}
