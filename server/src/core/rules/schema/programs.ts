/** Reading of the process-control keys of a program section, after expansion. */
import type { Entry } from '../../model/document';
import { parseBoolean, pyInt } from '../../catalog/datatypes';
import { selection } from '../selection';
import { expandedValue, type SchemaContext, type SectionReading } from './context';

/** The integer supervisor reads for `key`, the fallback when absent, undefined when it cannot be known here. */
export function intKey(ctx: SchemaContext, reading: SectionReading, key: string, fallback: number): number | undefined {
  const e = reading.program?.get(key);
  if (!e) return fallback;
  const v = expandedValue(ctx, reading, reading.resolved!.spec.kind, key, e);
  if (v === undefined) return undefined;
  // pyInt is parseInteger's number without a result object per program.
  return pyInt(v);
}

export function boolKey(ctx: SchemaContext, reading: SectionReading, key: string): { entry: Entry; value: boolean } | undefined {
  const e = reading.program?.get(key);
  if (!e) return undefined;
  const v = expandedValue(ctx, reading, reading.resolved!.spec.kind, key, e);
  if (v === undefined) return undefined;
  const r = parseBoolean(v);
  return r.ok ? { entry: e, value: r.value } : undefined;
}

/** Each program section once (the first header of a program with repeated headers). */
export function programReadings(ctx: SchemaContext): SectionReading[] {
  let readings = programReadingsOf.get(ctx);
  if (!readings) {
    readings = selection(ctx.sections, isProgramReading);
    programReadingsOf.set(ctx, readings);
  }
  return readings;
}

function isProgramReading(r: SectionReading): boolean {
  return r.program !== undefined && !r.templated && r.program.sectionIndexes[0] === r.index;
}

/** Five rules walk the same program sections: selected once per analysis (callers never change the list). */
const programReadingsOf = new WeakMap<SchemaContext, SectionReading[]>();

/** Two rules read every program's numprocs: read once per analysis (callers never change the list). */
const numprocsOf = new WeakMap<SchemaContext, (number | undefined)[]>();

/** intKey(ctx, reading, 'numprocs', 1) of each of programReadings(ctx), in the same order. */
export function programNumprocs(ctx: SchemaContext): (number | undefined)[] {
  let numprocs = numprocsOf.get(ctx);
  if (numprocs) return numprocs;
  const readings = programReadings(ctx);
  numprocs = new Array<number | undefined>(readings.length);
  for (let i = 0; i < readings.length; i++) numprocs[i] = intKey(ctx, readings[i], 'numprocs', 1);
  numprocsOf.set(ctx, numprocs);
  return numprocs;
}
