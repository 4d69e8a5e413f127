/**
 * [fcgi-program:x] sections a [group:y] lists. supervisor 4.2 builds a group's members with
 * processes_from_section(..., ProcessConfig) and leaves them out of its fcgi-program loop: a grouped
 * fcgi-program runs as a plain [program:x], and its socket= and socket_* keys are never read (nor is
 * socket= required). Its keys are then checked as a program's.
 */
import { lastEntry } from '../../model/document';
import type { Range } from '../../model/types';
import { sectionSpec, type SectionSpec } from '../../catalog/keys';
import type { SchemaContext, SectionReading } from './context';
import { groupReadings } from './groups';

export interface FcgiGroup {
  /** `[group:x]` as written. */
  header: string;
  /** The other file of the deployment the group is in; this file when absent. */
  file?: string;
  /** Where the group lists the program: the item of programs= in this file, the group's programs= in another. */
  range: Range;
}

const PROGRAM = sectionSpec('program')!;

/** The group of each fcgi-program label, by the names groups list: built once per analysis, on first use. */
const groupsOf = new WeakMap<SchemaContext, Map<string, FcgiGroup>>();

function listedGroups(ctx: SchemaContext): Map<string, FcgiGroup> {
  let groups = groupsOf.get(ctx);
  if (groups) return groups;
  groups = new Map();
  for (const g of groupReadings(ctx)) {
    const header = `[${g.reading.section.name}]`;
    for (const m of g.members) if (m.name && !groups.has(m.name)) groups.set(m.name, { header, range: m.range });
  }
  const external = ctx.deployment.external;
  if (external) {
    for (const g of external.groups) {
      const section = external.files.find((f) => f.path === g.file)?.doc.sections[g.sectionIndex];
      if (!section) continue;
      const range = lastEntry(section, 'programs')?.valueRange ?? section.headerRange;
      const header = `[${section.name}]`;
      for (const p of g.programs) if (!groups.has(p)) groups.set(p, { header, file: g.file, range });
    }
  }
  groupsOf.set(ctx, groups);
  return groups;
}

/**
 * The group that lists this [fcgi-program:x] (supervisor finds members by section name, so the label
 * as written), or undefined. A name that is also a [program:x] is left out: supervisor refuses that
 * group as ambiguous, and group-unknown-program reports it.
 */
export function fcgiGroupOf(ctx: SchemaContext, reading: SectionReading): FcgiGroup | undefined {
  const label = reading.section.label;
  if (reading.resolved?.spec.kind !== 'fcgi-program' || label === undefined) return undefined;
  const group = listedGroups(ctx).get(label);
  if (!group) return undefined;
  const program = `program:${label}`;
  if (ctx.doc.sections.some((s) => s.name === program) || ctx.deployment.external?.sectionNames.has(program)) return undefined;
  return group;
}

/** The section spec whose keys supervisor reads in this section: [program:x]'s for a grouped fcgi-program. */
export function keysReadIn(ctx: SchemaContext, reading: SectionReading): SectionSpec {
  const spec = reading.resolved!.spec;
  return spec.kind === 'fcgi-program' && fcgiGroupOf(ctx, reading) ? PROGRAM : spec;
}
