import type { Finding, Rule } from './rule';
import { deleteEntry } from '../edits';
import { INDENTED_SECTION_HEADER, swallowedBetween, swallowedHeaders } from './indentedSectionHeader';

/**
 * A key set twice in one section (or in two headers of the same section, which supervisor merges).
 * configparser with strict=False keeps the later value silently. The parser records the pairs.
 * Not reported when a swallowed section header sits between the two (indented-section-header says
 * why, and its fix makes the later key another section's), unless that rule is off.
 */
export const duplicateKey: Rule = {
  code: 'duplicate-key',
  defaultSeverity: 'warning',
  summary: 'The same key twice in a section: supervisor keeps the later value silently.',
  check({ doc, settings }) {
    const findings: Finding[] = [];
    const swallowing = settings.rules[INDENTED_SECTION_HEADER] !== 'off' && swallowedHeaders(doc).length > 0;
    let p = 0;
    for (const { entry, earlier } of doc.duplicateKeys) {
      // The parser's problems list holds the message, in the same order as the pairs.
      while (p < doc.problems.length && doc.problems[p].code !== 'duplicate-key') p++;
      const problem = doc.problems[p++];
      if (swallowing && earlier.sectionIndex === entry.sectionIndex && swallowedBetween(doc, earlier.keyRange.start.line, entry.keyRange.start.line)) continue;
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
