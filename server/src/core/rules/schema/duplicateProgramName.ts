import type { Finding } from '../rule';
import type { SectionReading } from './context';
import { groupReadings } from './groups';
import { schemaRule } from './util';
import { hashText, RepeatTable } from '../repeats';

const PROCESS_KINDS = ['program', 'fcgi-program', 'eventlistener'];

/** The name of the process group the section creates, if any: a grouped program creates none of its own. */
function groupNameOf(r: SectionReading, grouped: Set<string>): string | undefined {
  const resolved = r.resolved;
  if (!resolved || resolved.label === undefined || r.templated || r.section.duplicateOf !== undefined) return undefined;
  const kind = resolved.spec.kind;
  const label = resolved.label;
  const isGroupName = kind === 'group' || (PROCESS_KINDS.includes(kind) && !(kind !== 'eventlistener' && grouped.has(label)));
  return isGroupName ? label : undefined;
}

/**
 * Two process groups with one name: the same name under program:, fcgi-program: and eventlistener:,
 * or a [group:x] named like a program outside any group. supervisor accepts the file but starts only
 * one of them; the other is dropped silently.
 */
export const duplicateProgramName = schemaRule(
  'duplicate-program-name',
  'warning',
  'The same name under [program:], [fcgi-program:], [eventlistener:] or [group:]: supervisor runs only one of them.',
  (ctx) => {
    const findings: Finding[] = [];
    const first = new Map<string, SectionReading>();
    const grouped = new Set<string>();
    const groups = groupReadings(ctx);
    for (const g of groups) for (const m of g.members) grouped.add(m.name);
    // Only a name whose hash comes twice can be a duplicate: the others stay out of `first`.
    const sections = ctx.sections;
    const table = new RepeatTable(sections.length);
    for (let i = 0; i < sections.length; i++) {
      const label = groupNameOf(sections[i], grouped);
      if (label !== undefined) table.add(hashText(label));
    }
    for (let i = 0; i < sections.length; i++) {
      const r = sections[i];
      const label = groupNameOf(r, grouped);
      if (label === undefined) continue;
      if (!table.mayRepeat(hashText(label))) continue;
      const earlier = first.get(label);
      if (!earlier) {
        first.set(label, r);
        continue;
      }
      findings.push({
        code: 'duplicate-program-name',
        severity: 'warning',
        message: `[${r.section.name}] has the same name as [${earlier.section.name}] (line ${earlier.section.headerLine + 1}): supervisor accepts the file but keeps only one process group called ${label} and drops the other silently. Give them different names.`,
        range: r.section.nameRange,
        fixes: [],
      });
    }
    return findings;
  },
);
