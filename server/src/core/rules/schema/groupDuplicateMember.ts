import type { Finding } from '../rule';
import type { Range } from '../../model/types';
import { groupReadings } from './groups';
import { header, schemaRule } from './util';

/**
 * A program listed in two [group:x] sections, or twice in one (SUP012): supervisor accepts it and
 * starts the program's processes once per listing.
 */
export const groupDuplicateMember = schemaRule(
  'group-duplicate-member',
  'warning',
  'A program listed in two [group:x] sections (or twice in one): supervisor runs its processes twice.',
  (ctx) => {
    const findings: Finding[] = [];
    const seen = new Map<string, { header: string; range: Range }>();
    for (const g of groupReadings(ctx)) {
      const h = header(g.reading);
      for (const m of g.members) {
        if (!m.name) continue;
        const earlier = seen.get(m.name);
        if (earlier !== undefined) {
          findings.push({
            code: 'group-duplicate-member',
            severity: 'warning',
            message: `${m.name} is already listed in ${earlier.header}: supervisor accepts it, but starts ${m.name}'s processes once per listing, so they run twice. List each program in one group only.`,
            range: m.range,
            related: [{ range: earlier.range, message: `${m.name} in ${earlier.header}` }],
            fixes: [],
          });
        } else seen.set(m.name, { header: h, range: m.range });
      }
    }
    return findings;
  },
);
