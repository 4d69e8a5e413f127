/** The [group:x] sections of a file and the names their programs= lists. */
import { valueSpanToRange, type Entry } from '../../model/document';
import type { Range } from '../../model/types';
import { keySpec } from '../../catalog/keys';
import { effectiveEntry, isEffective, isOpaqueTemplate, readValue, type SchemaContext, type SectionReading } from './context';

export interface GroupMember {
  name: string;
  /** Where the name is written (the whole value when it holds expansions). */
  range: Range;
  /** Offsets of the item in the value, when the value is written without expansions. */
  start?: number;
  end?: number;
}

export interface GroupReading {
  reading: SectionReading;
  entry?: Entry;
  members: GroupMember[];
}

const readingsOf = new WeakMap<SchemaContext, GroupReading[]>();

/** Computed once per analysis (three rules ask; callers never change the lists). */
export function groupReadings(ctx: SchemaContext): GroupReading[] {
  let readings = readingsOf.get(ctx);
  if (!readings) readingsOf.set(ctx, (readings = groupReadingsUncached(ctx)));
  return readings;
}

function groupReadingsUncached(ctx: SchemaContext): GroupReading[] {
  const out: GroupReading[] = [];
  for (let i = 0; i < ctx.sections.length; i++) {
    const reading = ctx.sections[i];
    if (reading.resolved?.spec.kind !== 'group' || reading.templated || reading.section.duplicateOf !== undefined) continue;
    const entry = effectiveEntry(ctx, reading, 'programs');
    const members: GroupMember[] = [];
    // A programs= that a file read later sets again is not the group's list: that file's is.
    if (entry && isEffective(ctx, reading, entry) && !isOpaqueTemplate(ctx, entry.value)) {
      const expanded = readValue(ctx, reading, keySpec('group', 'programs')!, entry).expanded;
      if (expanded !== undefined && expanded !== '') {
        const exact = expanded === entry.value;
        let start = 0;
        for (;;) {
          const comma = expanded.indexOf(',', start);
          const end = comma === -1 ? expanded.length : comma;
          const item = expanded.slice(start, end);
          const lead = item.length - item.trimStart().length;
          const name = item.trim();
          const s = start + lead;
          const e = s + name.length;
          members.push({ name, range: exact ? valueSpanToRange(entry, name ? s : Math.max(0, start - 1), name ? e : Math.max(1, end)) : entry.valueRange, start: exact ? start : undefined, end: exact ? end : undefined });
          if (comma === -1) break;
          start = comma + 1;
        }
      }
    }
    out.push({ reading, entry, members });
  }
  return out;
}
