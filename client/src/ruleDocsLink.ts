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

/** A rule in "Supervisor: Open Rule Documentation"'s list. */
export interface RulePickItem {
  label: string;
  /** What the rule finds and its default severity, from the extension's own `supervisor.rules` setting. */
  detail?: string;
}

/**
 * The rules whose pages ship with the extension (`codes`), sorted, each with the description the
 * `supervisor.rules` setting gives it in the extension's package.json (generated from the rules).
 */
export function rulePickItems(codes: readonly string[], packageJSON: unknown): RulePickItem[] {
  const described = settingDescriptions(packageJSON);
  return [...codes].sort().map((code) => (described[code] ? { label: code, detail: described[code] } : { label: code }));
}

function settingDescriptions(packageJSON: unknown): Record<string, string> {
  const rules = (packageJSON as { contributes?: { configuration?: { properties?: Record<string, { properties?: Record<string, { description?: unknown }> }> } } })
    ?.contributes?.configuration?.properties?.['supervisor.rules']?.properties;
  const out: Record<string, string> = {};
  for (const [code, spec] of Object.entries(rules ?? {})) if (typeof spec?.description === 'string') out[code] = spec.description;
  return out;
}
