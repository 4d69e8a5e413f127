/**
 * One pass over every value supervisor %-expands, shared by stray-percent, unknown-expansion,
 * expansion-not-allowed and percent-expanded-twice.
 */
import { valueSpanToRange, type Entry } from '../../model/document';
import type { Finding, Fix } from '../rule';
import type { Severity } from '../../model/types';
import { EXPANSION_NAMES, type KeySpec } from '../../catalog/keys';
import { entryIndex } from './entryIndex';
import { isEffective, isReadPerProcess, readValue, type PercentCode, type PercentProblem, type SchemaContext, type SectionReading } from './context';
import { checkText, isCheckedType } from './values';
import { closest, header, orList } from './util';

const CELERY_PLACEHOLDERS = 'hnIipd';

const cache = new WeakMap<SchemaContext, Map<PercentCode, Finding[]>>();

export function percentFindings(ctx: SchemaContext, code: PercentCode): Finding[] {
  let all = cache.get(ctx);
  if (!all) {
    all = new Map();
    const { readings, entries, specs } = entryIndex(ctx).percent;
    for (let i = 0; i < entries.length; i++) {
      const reading = readings[i];
      const entry = entries[i];
      const spec = specs[i];
      if (!isEffective(ctx, reading, entry)) continue;
      const { problems } = readValue(ctx, reading, spec, entry);
      for (const p of problems) {
        const f = toFinding(ctx, reading, spec, entry, p);
        const list = all.get(p.code) ?? [];
        list.push(f);
        all.set(p.code, list);
      }
    }
    cache.set(ctx, all);
  }
  return all.get(code) ?? [];
}

/**
 * A lone %s that supervisor accepts as formatting, but whose dump of names leaves a value the key's
 * type cannot take (an integer, a boolean, a port ...): then it refuses the file after all.
 */
function garblesTypedValue(ctx: SchemaContext, reading: SectionReading, spec: KeySpec, entry: Entry, p: PercentProblem): boolean {
  if (p.refused || !isCheckedType(spec)) return false;
  const standIn = readValue(ctx, reading, spec, entry).standIn;
  // With %(here)s too the value is no lone %s: Python refuses it ("not enough arguments").
  if (standIn === undefined || standIn.here) return false;
  const problem = checkText(ctx, reading, spec, standIn.text, false);
  return !!problem && !problem.acceptedButBroken;
}

function severityOf(reading: SectionReading, spec: KeySpec, p: PercentProblem, garbles: boolean): Severity {
  if (!p.refused && !garbles) return 'warning';
  if (reading.resolved!.spec.readBy !== 'supervisord') return 'warning';
  if (!isReadPerProcess(reading, spec)) return 'warning';
  return 'error';
}

function consequence(reading: SectionReading, spec: KeySpec): string {
  if (reading.resolved!.spec.readBy !== 'supervisord') return 'supervisorctl refuses the file';
  if (!isReadPerProcess(reading, spec)) return 'supervisor refuses the file as soon as numprocs is above 0';
  return 'supervisor refuses the file';
}

function toFinding(ctx: SchemaContext, reading: SectionReading, spec: KeySpec, entry: Entry, p: PercentProblem): Finding {
  const garbles = garblesTypedValue(ctx, reading, spec, entry, p);
  const severity = severityOf(reading, spec, p, garbles);
  const refuses = consequence(reading, spec);
  const where = `${header(reading)} ${entry.key}`;
  const raw = entry.value;
  const text = raw.slice(p.start, p.end);
  const range = valueSpanToRange(entry, p.start, p.end);
  const fixes: Fix[] = [];
  const escape = spec.expandedTwice ? '%%%%' : '%%';
  const replace = (start: number, end: number, newText: string) => ({ range: valueSpanToRange(entry, start, end), newText });
  let message: string;
  if (p.escapedHere) {
    message = `With [include] in play supervisor replaces every %(here)s in the file with the config file's folder before it expands the values, the one inside ${text} too: a lone % before the folder's path is left, and ${refuses} ("${p.detail}"). Write %(here)s for the folder; supervisor has no way to write the text %(here)s itself here.`;
  } else if (p.code === 'percent-expanded-twice') {
    message = `supervisor 4.2.x expands ${entry.key} twice, so the %% here turns into a lone % before the second expansion and ${refuses} ("${p.detail}"). Write %%%% for a literal %.`;
    fixes.push({ title: 'Write %%%% (a literal % after two expansions)', edits: [replace(p.start, p.start + 2, '%%%%')], isPreferred: true });
  } else if (p.code === 'unknown-expansion') {
    const allowed = allowedList(ctx, spec);
    const guess = closest(p.name!, allowed.filter((n) => n !== 'ENV_X'), 4);
    message = `%(${p.name})s is not a name supervisor can expand, and ${refuses} ("${p.detail}").${guess ? ` Did you mean %(${guess})s?` : ''} In ${where} supervisor knows ${orList(allowed.map((n) => `%(${n})s`))}.`;
    if (guess) {
      const nameStart = p.start + 2;
      fixes.push({ title: `Change to %(${guess})s`, edits: [replace(nameStart, nameStart + p.name!.length, guess)], isPreferred: true });
    }
  } else if (p.code === 'expansion-not-allowed') {
    const allowed = allowedList(ctx, spec);
    const second = p.pass === 1 && spec.secondExpansions?.includes(p.name as never);
    message = `supervisor does not offer %(${p.name})s in ${where}, and ${refuses} ("${p.detail}"). There it knows ${orList(allowed.map((n) => `%(${n})s`))}.${
      second ? ` In 4.2.x this value is expanded twice and the second expansion knows ${p.name}: write %%(${p.name})s.` : ''
    }`;
    if (second) fixes.push({ title: `Write %%(${p.name})s (expanded by the second pass)`, edits: [replace(p.start, p.start + 1, '%%')], isPreferred: true });
  } else if (p.missingConversion) {
    message = `${text} lacks its conversion letter, and ${refuses} ("${p.detail}"). Write %(${p.name})s${p.name === 'process_num' ? ' (or %(process_num)02d for 00, 01, ...)' : ''}.`;
    const at = p.start + p.name!.length + 3;
    fixes.push({ title: `Write %(${p.name})s`, edits: [replace(at, at, 's')], isPreferred: true });
    fixes.push({ title: `Escape the % as ${escape}`, edits: [replace(p.start, p.start + 1, escape)] });
  } else {
    const placeholder = raw[p.start + 1];
    const celery = entry.key === 'command' && !!reading.program?.celery && placeholder !== undefined && CELERY_PLACEHOLDERS.includes(placeholder);
    const twice = spec.expandedTwice ? ` (4.2.x expands ${entry.key} twice, so it takes four)` : '';
    if (celery) {
      message = `Celery's %${placeholder} placeholder must be written ${escape}${placeholder} in supervisor: supervisor expands % signs itself and ${refuses} ("${p.detail}"). Celery then receives %${placeholder}.`;
    } else if (garbles) {
      message = `supervisor reads ${text} as a format directive and puts a dump of all its expansion names here ({'here': ..., ...}), which is no valid ${entry.key} value: ${refuses}. A literal % must be written ${escape}${twice}.`;
    } else if (!p.refused) {
      message = `supervisor reads ${text} as a format directive and puts a dump of all its expansion names here (it accepts the file, but the value is garbled). A literal % must be written ${escape}${twice}.`;
    } else if (p.typeError) {
      message = `${text} does not work here: ${refuses} ("${p.detail}"). %(${p.name})s is text, so it takes the s conversion.`;
    } else {
      message = `A literal % must be written ${escape} in supervisor${twice}: ${refuses} ("${p.detail}").`;
    }
    if (p.typeError) {
      const conv = p.end - 1;
      fixes.push({ title: `Write %(${p.name})s`, edits: [replace(p.start + p.name!.length + 3, conv + 1, 's')], isPreferred: true });
    } else if (!garbles) {
      // Escaped, a typed key's value would still be no number, boolean ...: no fix to offer there.
      fixes.push({ title: `Escape the % as ${escape}`, edits: [replace(p.start, p.start + 1, escape)], isPreferred: true });
    }
  }
  return { code: p.code, severity, message, range, fixes };
}

/** The names a key offers, for messages. */
function allowedList(ctx: SchemaContext, spec: KeySpec): string[] {
  const names: string[] = EXPANSION_NAMES.filter((n) => spec.expansions.includes(n as never) || (n === 'here' && ctx.hereEverywhere));
  return [...names, 'ENV_X'];
}
