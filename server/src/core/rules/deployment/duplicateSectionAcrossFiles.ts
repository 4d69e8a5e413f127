import type { Finding, Rule } from '../rule';
import type { Entry, SupervisorDocument } from '../../model/document';

/** The effective entries of every header named `name` in a document, by key (later ones win). */
function entriesOf(doc: SupervisorDocument, name: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const s of doc.sections) if (s.name === name) for (const e of s.entries) out.set(e.key, e);
  return out;
}

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 6).join(', ');
  return keys.length > 6 ? `${shown} and ${keys.length - 6} more` : shown;
}

/**
 * The same section in two files of one deployment. supervisor does not refuse it: its parser merges
 * the two key by key, and the file read later wins for keys set in both (checked with supervisor
 * 4.2.5). Reported in the later file, on its header, naming the earlier file and the values that win.
 */
export const duplicateSectionAcrossFiles: Rule = {
  code: 'duplicate-section-across-files',
  defaultSeverity: 'warning',
  summary: 'A section defined in an earlier file of the deployment too: supervisor merges the two silently, this file winning.',
  judges: (ctx) => !!ctx.deployment.external,
  check({ doc, deployment }) {
    const earlier = deployment.external?.earlier ?? [];
    if (!earlier.length) return [];
    const findings: Finding[] = [];
    for (const s of doc.sections) {
      // An [include] in an included file is include-in-fragment's business.
      if (s.duplicateOf !== undefined || s.name === 'include') continue;
      const first = earlier.find((f) => f.doc.sections.some((x) => x.name === s.name));
      if (!first) continue;
      const header = first.doc.sections.find((x) => x.name === s.name)!;
      const theirs = new Map<string, Entry>();
      for (const f of earlier) for (const [k, e] of entriesOf(f.doc, s.name)) theirs.set(k, e);
      const ours = entriesOf(doc, s.name);
      const overridden = [...ours.keys()].filter((k) => theirs.has(k) && theirs.get(k)!.value !== ours.get(k)!.value);
      const kept = [...theirs.keys()].filter((k) => !ours.has(k));
      const parts = [
        overridden.length ? `the values here win for ${listKeys(overridden)}` : 'no key is set to different values in both',
        ...(kept.length ? [`${listKeys(kept)} still come${kept.length === 1 ? 's' : ''} from ${first.path}`] : []),
      ];
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `[${s.name}] is also defined in ${first.path} (line ${header.headerLine + 1}), which supervisor reads before this file. It merges the two sections silently, key by key: ${parts.join('; ')}. Keep one [${s.name}] in one file.`,
        range: s.headerRange,
        related: [{ file: first.path, range: header.headerRange, message: `[${s.name}] in ${first.path}, read before this file` }],
        fixes: [],
      });
    }
    return findings;
  },
};
