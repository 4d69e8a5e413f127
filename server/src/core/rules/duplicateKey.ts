import type { Finding, Rule } from './rule';
import { deleteEntry } from '../edits';

/**
 * A key set twice in one section (or in two headers of the same section, which supervisor merges).
 * configparser with strict=False keeps the later value silently. The parser records the pairs.
 */
export const duplicateKey: Rule = {
  code: 'duplicate-key',
  defaultSeverity: 'warning',
  summary: 'The same key twice in a section: supervisor keeps the later value silently.',
  check({ doc }) {
    const findings: Finding[] = [];
    let p = 0;
    for (const { entry, earlier } of doc.duplicateKeys) {
      // The parser's problems list holds the message, in the same order as the pairs.
      while (p < doc.problems.length && doc.problems[p].code !== 'duplicate-key') p++;
      const problem = doc.problems[p++];
      findings.push({
        code: 'duplicate-key',
        severity: problem.severity,
        message: problem.message,
        range: entry.keyRange,
        related: [{ range: earlier.keyRange, message: `The earlier ${earlier.rawKey}=, which supervisor ignores` }],
        fixes: [
          {
            title: `Remove the earlier '${earlier.rawKey}' (line ${earlier.keyRange.start.line + 1}), which supervisor ignores`,
            edits: deleteEntry(doc, earlier),
            isPreferred: true,
          },
        ],
      });
    }
    return findings;
  },
};
