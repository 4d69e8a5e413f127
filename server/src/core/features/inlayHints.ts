/**
 * Inlay hints: a bare number in a unit people misread, shown in the unit they think in, and the process
 * names a process_name template expands to.
 * - `--max-memory-per-child 262144` is KiB: "= 256 MB" (writing 256 for 256 MB is the tuning guide's
 *   classic mistake);
 * - byte sizes of supervisor keys and memmon limits without a suffix are bytes: "= 50 MB", "= 256 bytes";
 * - seconds (stopwaitsecs, startsecs, --time-limit, --soft-time-limit, memmon -u) of a minute or more:
 *   "= 10 min";
 * - `process_name=%(program_name)s_%(process_num)02d`: "→ worker_00 … worker_03".
 * Only hints that lie in the requested range are computed.
 */
import { valueSpanToRange, type Entry, type SupervisorDocument } from '../model/document';
import { comparePositions, type Position, type Range } from '../model/types';
import type { Deployment } from '../deployment';
import { keySpecsOf, parsedSectionSpec } from '../catalog/keys';
import { parseByteSize } from '../catalog/datatypes';
import type { CeleryOption } from '../command/celery';
import type { MemmonCommand } from '../command/memmon';
import { describeBytes, describeSeconds } from '../units';
import { partitionPoint } from '../partitionPoint';
import { editorSwitch } from '../settings';
import { entryHere } from '../rules/process/programKeys';

export type InlayHintKind = 'unit' | 'processNames';

export interface InlayHintInfo {
  /** Where the label goes: right after the value it explains. */
  position: Position;
  label: string;
  tooltip: string;
  kind: InlayHintKind;
}

export interface InlayHintOptions {
  /** Sizes and durations in readable units (default true). */
  units?: boolean;
  /** What process_name templates expand to (default true). */
  processNames?: boolean;
}

/** Names shown before the ellipsis of a long process list. */
const SHOWN_NAMES = 2;
/** Names listed in the tooltip. */
const TOOLTIP_NAMES = 12;
/** Seconds below which a duration needs no translation. */
const MINUTE = 60;

const DIGITS = /^\d+$/;

/** The `supervisor.inlayHints` settings from the client's `supervisor` section (a missing or odd value: on). */
export function inlayHintOptionsFrom(config: unknown): InlayHintOptions {
  return { units: editorSwitch(config, 'inlayHints', 'units'), processNames: editorSwitch(config, 'inlayHints', 'processNames') };
}

export function inlayHints(doc: SupervisorDocument, deployment: Deployment, range: Range, options: InlayHintOptions = {}): InlayHintInfo[] {
  const hints: InlayHintInfo[] = [];
  const add = (hint: InlayHintInfo | undefined) => {
    if (hint && comparePositions(range.start, hint.position) <= 0 && comparePositions(hint.position, range.end) <= 0) hints.push(hint);
  };
  if (options.units !== false) {
    for (const entry of entriesIn(doc, range)) add(keyUnitHint(entry));
    // Programs share a command they take from [DEFAULT]: its hints once.
    const seen = new Set<Entry>();
    for (const p of deployment.programs) {
      const command = p.command;
      if (!command || seen.has(command) || !touches(command, range)) continue;
      seen.add(command);
      if (p.celery) for (const option of [...p.celery.globalOptions, ...p.celery.options]) add(celeryUnitHint(command, option));
      if (p.memmon) for (const hint of memmonUnitHints(command, p.memmon)) add(hint);
    }
  }
  if (options.processNames !== false) {
    for (const p of deployment.programs) {
      // Not another file's [DEFAULT] process_name: the hint would go at a place in that file.
      const entry = entryHere(p, 'process_name');
      if (!entry || entry.value.indexOf('%') < 0 || !p.processNames?.length || !touches(entry, range)) continue;
      add(processNamesHint(entry, p.processNames, p.numprocs));
    }
  }
  return hints.sort((a, b) => comparePositions(a.position, b.position));
}

/** memmon sizes without a suffix (bytes) and -u in seconds. */
function* memmonUnitHints(command: Entry, m: MemmonCommand): Generator<InlayHintInfo | undefined> {
  for (const limit of [...m.programs, ...m.groups, ...(m.any ? [m.any] : [])]) {
    if (DIGITS.test(limit.size) && limit.bytes !== undefined) yield sizeHint(command, limit.sizeEnd, limit.bytes, 'memmon reads a size without KB, MB or GB as bytes.');
  }
  for (const option of m.others) {
    if (option.option === '-u' && option.value !== undefined && option.valueEnd !== undefined && DIGITS.test(option.value)) {
      yield durationHint(command, option.valueEnd, Number(option.value), 'memmon -u: how long a process must have run before memmon restarts it for its memory, in seconds.');
    }
  }
}

/** The entries of the sections that overlap the range (sections are in line order). */
function* entriesIn(doc: SupervisorDocument, range: Range): Generator<{ entry: Entry; kind: string | undefined }> {
  const sections = doc.sections;
  for (let i = partitionPoint(sections.length, (k) => sections[k].endLine < range.start.line); i < sections.length; i++) {
    const section = sections[i];
    if (section.headerLine > range.end.line) break;
    const kind = parsedSectionSpec(section)?.kind;
    for (const entry of section.entries) if (touches(entry, range)) yield { entry, kind };
  }
}

function touches(entry: Entry, range: Range): boolean {
  return comparePositions(entry.range.start, range.end) <= 0 && comparePositions(range.start, entry.range.end) <= 0;
}

function keyUnitHint({ entry, kind }: { entry: Entry; kind: string | undefined }): InlayHintInfo | undefined {
  const spec = kind === undefined ? undefined : keySpecsOf(kind)?.get(entry.key);
  if (!spec) return undefined;
  const value = entry.value.trim();
  if (!DIGITS.test(value)) return undefined;
  if (spec.type === 'byte_size') {
    const size = parseByteSize(value);
    if (!size.ok || size.value === 0) return undefined;
    return sizeHint(entry, entry.value.length, size.value, `${spec.name} without KB, MB or GB is in bytes.`);
  }
  if (spec.unit === 'seconds') return durationHint(entry, entry.value.length, Number(value), `${spec.name} is in seconds.`);
  return undefined;
}

function celeryUnitHint(command: Entry, option: CeleryOption): InlayHintInfo | undefined {
  const unit = option.spec?.unit;
  const value = option.value;
  if (!unit || value === undefined || option.valueEnd === undefined || option.invalidEquals) return undefined;
  if (unit === 'KiB') {
    if (!DIGITS.test(value) || Number(value) === 0) return undefined;
    return sizeHint(command, option.valueEnd, Number(value) * 1024, `${option.name} is in KiB: the limit of each pool process.`);
  }
  if (!/^\d+(\.\d*)?$/.test(value)) return undefined;
  return durationHint(command, option.valueEnd, Number(value), `${option.name} is in seconds.`);
}

function sizeHint(entry: Entry, valueEnd: number, bytes: number, tooltip: string): InlayHintInfo {
  const { text, exact } = describeBytes(bytes);
  return { position: valueSpanToRange(entry, valueEnd, valueEnd).end, label: `${exact ? '=' : '≈'} ${text}`, tooltip, kind: 'unit' };
}

function durationHint(entry: Entry, valueEnd: number, seconds: number, tooltip: string): InlayHintInfo | undefined {
  if (!(seconds >= MINUTE)) return undefined;
  const { text, exact } = describeSeconds(seconds);
  return { position: valueSpanToRange(entry, valueEnd, valueEnd).end, label: `${exact ? '=' : '≈'} ${text}`, tooltip, kind: 'unit' };
}

function processNamesHint(entry: Entry, names: readonly string[], numprocs: number): InlayHintInfo {
  // The deployment expands at most a thousand names: past that, the last one is not known here.
  const last = names.length === numprocs ? names[names.length - 1] : `(${numprocs} processes)`;
  const shown = names.length <= SHOWN_NAMES + 1 && names.length === numprocs ? names.join(', ') : `${names.slice(0, SHOWN_NAMES).join(', ')} … ${last}`;
  const listed = names.slice(0, TOOLTIP_NAMES).join(', ') + (numprocs > TOOLTIP_NAMES ? `, ... (${numprocs} in all)` : '');
  return {
    position: valueSpanToRange(entry, entry.value.length, entry.value.length).end,
    label: `→ ${shown}`,
    tooltip: `The process${numprocs === 1 ? ' is' : 'es are'} named ${listed}: the names supervisorctl and memmon -p use.`,
    kind: 'processNames',
  };
}
