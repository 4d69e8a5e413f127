import type { Finding } from '../rule';
import type { SectionReading } from './context';
import { groupReadings } from './groups';
import { schemaRule } from './util';

const PROCESS_KINDS = ['program', 'fcgi-program', 'eventlistener'];

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
    const candidates = ctx.sections.filter((r) => r.resolved && r.resolved.label !== undefined && !r.templated && r.section.duplicateOf === undefined);
    for (const r of candidates) {
      const kind = r.resolved!.spec.kind;
      const label = r.resolved!.label!;
      // The name of the group the section creates: a grouped program creates none of its own.
      const isGroupName = kind === 'group' || (PROCESS_KINDS.includes(kind) && !(kind !== 'eventlistener' && grouped.has(label)));
      if (!isGroupName) continue;
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
