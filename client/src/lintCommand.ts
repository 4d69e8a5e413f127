/**
 * The supervisor-lint arguments of a task as tasks.json defines it. Pure: no `vscode` import, so it can
 * be unit-tested under plain node.
 */

/** What tasks.json gives: any JSON, whatever the task definition's schema says (it only marks the file). */
export interface LintTaskFields {
  paths?: unknown;
  args?: unknown;
}

/**
 * The options, then the files and folders to check (the workspace folder, `.`, when none is named). A
 * single string is one path or one option; anything else that is not a string is left out (spread as a
 * list, "paths": "deploy" was checked as the files d, e, p, l, o and y).
 */
export function lintArguments(definition: LintTaskFields): { args: string[]; paths: string[]; named: boolean } {
  const paths = words(definition.paths);
  return { args: words(definition.args), paths: paths.length ? paths : ['.'], named: paths.length > 0 };
}

function words(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}
