import type { Rule } from './rule';
import { deleteEntry } from '../edits';
import type { Entry } from '../model/document';

/**
 * A key set twice in one section (or in two headers of the same section, which supervisor merges).
 * configparser with strict=False keeps the later value silently.
 */
export const duplicateKey: Rule = {
  code: 'duplicate-key',
  defaultSeverity: 'warning',
  summary: 'The same key twice in a section: supervisor keeps the later value silently.',
  check({ doc }) {
    const seen = new Map<string, Entry>();
    const findings = [];
    for (let i = 0; i < doc.sections.length; i++) {
      const section = doc.sections[i];
      const canonical = doc.sections[section.duplicateOf ?? i].name;
      for (const entry of section.entries) {
        const id = `${canonical}\u0000${entry.key}`;
        const earlier = seen.get(id);
        seen.set(id, entry);
        if (!earlier) continue;
        const problem = doc.problems.find((p) => p.code === 'duplicate-key' && p.range.start.line === entry.keyRange.start.line);
        if (!problem) continue;
        findings.push({
          code: 'duplicate-key',
          severity: problem.severity,
          message: problem.message,
          range: problem.range,
          fixes: [
            {
              title: `Remove the earlier '${earlier.rawKey}' (line ${earlier.keyRange.start.line + 1}), which supervisor ignores`,
              edits: deleteEntry(doc, earlier),
              isPreferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};
