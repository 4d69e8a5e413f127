import type { Finding, Rule } from '../rule';
import { valueSpanToRange } from '../../model/document';
import { dirname, hasMagic, includeEntry, type IncludePattern } from '../../include';
import { detectTemplate } from '../schema/template';

/**
 * Whether a pattern names files that travel with the main file: written relative to it (or with
 * %(here)s), or absolute inside its folder. `files = /etc/supervisor/conf.d/*.conf` in a config kept in
 * a repository names the server's disk, and a CI machine's own empty /etc/supervisor/conf.d says
 * nothing about it.
 */
function travelsWithMainFile(pattern: IncludePattern, mainFolder: string): boolean {
  return !pattern.text.startsWith('/') || pattern.absolute!.startsWith(`${mainFolder}/`);
}

/**
 * A files= pattern of [include] that matches no file: supervisor logs "No file matches via include"
 * and starts without it, so whatever the missing files define never runs. Judged only where the
 * pattern's directories exist and could be listed on this machine, and only for patterns that travel
 * with the main file: a config edited away from the server it runs on is not told that the server's
 * directories are missing or empty here.
 */
export const includeMatchesNothing: Rule = {
  code: 'include-matches-nothing',
  defaultSeverity: 'warning',
  summary: 'An [include] files= pattern that matches no file in an existing folder beside the main file: supervisor starts without it.',
  judges: (ctx) => !!ctx.deployment.external?.includes && !detectTemplate(ctx.doc),
  check({ doc, deployment }) {
    const external = deployment.external;
    const patterns = external?.includes;
    const entry = includeEntry(doc);
    // A template is rendered elsewhere before supervisor reads it: its patterns name nothing here yet.
    if (!external || !patterns || !entry || detectTemplate(doc)) return [];
    const mainFolder = dirname(external.path);
    const findings: Finding[] = [];
    for (const p of patterns) {
      // The resolution read this document's text: a pattern is where it was found, unless the text changed since.
      if (!p.matchesNothing || p.absolute === undefined || !travelsWithMainFile(p, mainFolder) || entry.value.slice(p.start, p.end) !== p.text) continue;
      const what = hasMagic(p.absolute) ? `No file on this machine matches ${p.absolute}` : `There is no file ${p.absolute} on this machine`;
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `${what}: supervisor logs "No file matches via include" and starts without it, so the programs it was meant to add never run. Check the directory and the pattern.`,
        range: valueSpanToRange(entry, p.start, p.end),
        fixes: [],
      });
    }
    return findings;
  },
};
