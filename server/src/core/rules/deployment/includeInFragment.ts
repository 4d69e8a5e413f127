import type { Finding, Rule } from '../rule';

/**
 * supervisor reads [include] only in the main configuration file; an [include] in a file that the main
 * file includes is ignored (checked with supervisor 4.2.5). Judged only when the file is analysed as
 * part of its deployment, where we know which file is the main one.
 */
export const includeInFragment: Rule = {
  code: 'include-in-fragment',
  defaultSeverity: 'warning',
  summary: 'An [include] section in a file that is itself included: supervisor ignores it and reads none of its files.',
  judges: (ctx) => !!ctx.deployment.external,
  check({ doc, deployment }) {
    const main = deployment.external?.mainFile;
    if (main === undefined) return [];
    const findings: Finding[] = [];
    for (const s of doc.sections) {
      if (s.name !== 'include' || s.duplicateOf !== undefined) continue;
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `supervisor reads [include] only in the main file (${main}); this file is included from there, so its [include] is ignored and none of its files= patterns is read. Move the patterns to the [include] of ${main}.`,
        range: s.headerRange,
        fixes: [],
      });
    }
    return findings;
  },
};
