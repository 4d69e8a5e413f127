import type { Finding, RelatedLocation } from '../rule';
import type { Range } from '../../model/types';
import type { SchemaContext, SectionReading } from './context';
import { groupReadings } from './groups';
import { schemaRule } from './util';
import { hashText, RepeatTable } from '../repeats';
import { nameOfLabel } from '../../deployment';

const PROCESS_KINDS = ['program', 'fcgi-program', 'eventlistener'];

/**
 * The name of the process group the section creates, if any: a grouped program creates none of its own.
 * supervisor strips the name ([program: w] makes the group w), but a group lists a program by its exact label.
 */
function groupNameOf(r: SectionReading, grouped: Set<string>): string | undefined {
  const resolved = r.resolved;
  if (!resolved || resolved.label === undefined || r.templated || r.section.duplicateOf !== undefined) return undefined;
  return createsGroup(resolved.spec.kind, resolved.label, grouped) ? nameOfLabel(resolved.label) : undefined;
}

/** Whether a section of this kind creates a process group of its label's name (a listener does even when a group lists it). */
function createsGroup(kind: string, label: string, grouped: Set<string>): boolean {
  return kind === 'group' || kind === 'eventlistener' || (PROCESS_KINDS.includes(kind) && !grouped.has(label));
}

/** A process group an earlier file of the deployment creates: its header, file and line. */
interface EarlierGroup {
  sectionName: string;
  file: string;
  line: number;
  headerRange: Range;
}

/**
 * The process group names the files read before this one create, first definition first. supervisor
 * reads every file into one parser, so these clash with this file's names as a second header in the
 * same file would; a header with the same section name is merged instead (duplicate-section-across-files).
 */
function earlierGroupNames(ctx: SchemaContext, grouped: Set<string>): Map<string, EarlierGroup> {
  const names = new Map<string, EarlierGroup>();
  for (const f of ctx.deployment.external?.earlier ?? []) {
    for (const s of f.doc.sections) {
      const label = s.label;
      if (label === undefined || label.includes('%(') || s.duplicateOf !== undefined || names.has(nameOfLabel(label))) continue;
      if (createsGroup(s.kind, label, grouped)) names.set(nameOfLabel(label), { sectionName: s.name, file: f.path, line: s.headerLine, headerRange: s.headerRange });
    }
  }
  return names;
}

/**
 * Two process groups with one name: the same name under program:, fcgi-program: and eventlistener:,
 * or a [group:x] named like a program outside any group, in this file or against a file of the
 * deployment read before it. supervisor accepts the file but starts only one of them; the other is
 * dropped silently.
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
    // A [group:] of another file groups this file's programs too: supervisor reads the files as one.
    for (const g of ctx.deployment.external?.groups ?? []) for (const name of g.programs) grouped.add(name);
    const earlier = earlierGroupNames(ctx, grouped);
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
      const before = earlier.get(label);
      if (before && before.sectionName !== r.section.name) {
        findings.push(clash(r, `[${before.sectionName}] in ${before.file} (line ${before.line + 1})`, label, { file: before.file, range: before.headerRange, message: `[${before.sectionName}] in ${before.file}` }));
        continue;
      }
      if (!table.mayRepeat(hashText(label))) continue;
      const earlierHere = first.get(label);
      if (!earlierHere) {
        first.set(label, r);
        continue;
      }
      findings.push(clash(r, `[${earlierHere.section.name}] (line ${earlierHere.section.headerLine + 1})`, label, { range: earlierHere.section.headerRange, message: `[${earlierHere.section.name}]` }));
    }
    return findings;
  },
);

function clash(r: SectionReading, other: string, label: string, otherHeader: RelatedLocation): Finding {
  return {
    code: 'duplicate-program-name',
    severity: 'warning',
    message: `[${r.section.name}] has the same name as ${other}: supervisor accepts the file but keeps only one process group called ${label} and drops the other silently. Give them different names.`,
    range: r.section.nameRange,
    related: [otherHeader],
    fixes: [],
  };
}
