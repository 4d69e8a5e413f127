/**
 * What the schema rules share about one file, computed once per document: the kind supervisor reads
 * each section as, the program behind each process section, whether the file is a template, and the
 * `%`-expansion reading of every value supervisor expands (what it expands to, or what goes wrong).
 */
import { lastEntry, type Entry, type Section, type SupervisorDocument } from '../../model/document';
import { keysElsewhere, nameOfLabel, type Deployment, type ProgramView } from '../../deployment';
import type { RuleContext } from '../rule';
import { EXPANSION_TYPES, keySpec, parsedSectionSpec, type ExpansionName, type KeySpec, type ResolvedSection, type SectionSpec } from '../../catalog/keys';
import { conversionError, parseInteger, scanFormat } from '../../catalog/datatypes';
import { detectTemplate, hasTemplateSyntax, type TemplateInfo } from './template';
import { ownEntry } from '../process/programKeys';

export interface SectionReading {
  index: number;
  section: Section;
  /** How supervisor reads the section; undefined when it ignores it. */
  readonly resolved?: ResolvedSection;
  /** The header holds template syntax. */
  templated: boolean;
  /** For program, fcgi-program and eventlistener sections. */
  program?: ProgramView;
}

export interface SchemaContext {
  doc: SupervisorDocument;
  deployment: Deployment;
  template?: TemplateInfo;
  sections: SectionReading[];
  isMainFile: boolean;
  hasInclude: boolean;
  /**
   * supervisor replaces every literal %(here)s in every section when [include] is in play: in a main
   * file with [include], and in every fragment (fragments are only ever read through [include]).
   */
  hereEverywhere: boolean;
  /** Entries a later entry of the same key overrides, in this file or a file read later (supervisor never reads them). */
  overridden: Set<Entry>;
}

const cache = new WeakMap<SupervisorDocument, SchemaContext>();

export function schemaContext({ doc, deployment }: RuleContext): SchemaContext {
  const hit = cache.get(doc);
  if (hit && hit.deployment === deployment) return hit;
  const template = detectTemplate(doc);
  const sections = new Array<SectionReading>(doc.sections.length);
  let hasInclude = false;
  for (let i = 0; i < doc.sections.length; i++) {
    const section = doc.sections[i];
    const spec = parsedSectionSpec(section);
    if (spec?.kind === 'include') hasInclude = true;
    const label = spec?.named ? section.label : undefined;
    sections[i] = new Reading(i, section, spec, label, !!template && hasTemplateSyntax(section.name), programOf(deployment, spec, i));
  }
  const isMainFile = deployment.isMainFile;
  const overridden = new Set<Entry>();
  for (const d of doc.duplicateKeys) overridden.add(d.earlier);
  // A key the same section sets again in a file read later (supervisor merges the files' sections).
  const external = deployment.external;
  if (external?.sectionNames.size) {
    for (const section of doc.sections) {
      const later = keysElsewhere(external, section.name)?.later;
      if (later?.size) for (const entry of section.entries) if (later.has(entry.key)) overridden.add(entry);
    }
  }
  const ctx: SchemaContext = { doc, deployment, template, sections, isMainFile, hasInclude, hereEverywhere: !isMainFile || hasInclude, overridden };
  cache.set(doc, ctx);
  return ctx;
}

/**
 * A section reading that is its own ResolvedSection (`resolved` is the reading itself when supervisor
 * reads the section): one object per section instead of two.
 */
class Reading implements SectionReading {
  constructor(
    readonly index: number,
    readonly section: Section,
    /** Only read through `resolved` (undefined when supervisor ignores the section). */
    readonly spec: SectionSpec | undefined,
    readonly label: string | undefined,
    readonly templated: boolean,
    readonly program: ProgramView | undefined,
  ) {}

  get resolved(): ResolvedSection | undefined {
    return this.spec === undefined ? undefined : (this as Reading & ResolvedSection);
  }
}

/** The program behind a process section (undefined for other sections, and for a second section of the same name). */
function programOf(deployment: Deployment, spec: SectionSpec | undefined, sectionIndex: number): ProgramView | undefined {
  const label = deployment.doc.sections[sectionIndex].label;
  if (!spec || label === undefined) return undefined;
  const kind = spec.kind;
  if (kind !== 'program' && kind !== 'fcgi-program' && kind !== 'eventlistener') return undefined;
  const p = deployment.byName.get(nameOfLabel(label));
  return p && p.kind === kind && p.sectionIndexes.includes(sectionIndex) ? p : undefined;
}

/** True when the value holds template syntax in a templated file: the checks leave it alone. */
export function isOpaqueTemplate(ctx: SchemaContext, text: string): boolean {
  return !!ctx.template && hasTemplateSyntax(text);
}

/**
 * The value supervisor uses for `key` in the section: its last entry across repeated headers (for a
 * program, else the file's [DEFAULT] one).
 */
export function effectiveEntry(ctx: SchemaContext, reading: SectionReading, key: string): Entry | undefined {
  if (reading.program) return reading.program.get(key);
  // Most headers are written once: their own last entry, without a map of every section by name.
  if (!repeatedNames(ctx).has(reading.section.name)) return lastEntry(reading.section, key);
  const sameName = sectionsByName(ctx).get(reading.section.name);
  if (!sameName) return undefined;
  return mergedEntries(sameName).get(key);
}

/** effectiveEntry written in the section itself (a program's [DEFAULT] key is not). */
export function ownEffectiveEntry(ctx: SchemaContext, reading: SectionReading, key: string): Entry | undefined {
  return reading.program ? ownEntry(reading.program, key) : effectiveEntry(ctx, reading, key);
}

const repeatedNamesOf = new WeakMap<SchemaContext, Set<string>>();

/** The header names written more than once in the file (the parser marks each later copy with duplicateOf). */
export function repeatedNames(ctx: SchemaContext): ReadonlySet<string> {
  let names = repeatedNamesOf.get(ctx);
  if (names) return names;
  names = new Set();
  for (let i = 0; i < ctx.sections.length; i++) {
    const section = ctx.sections[i].section;
    if (section.duplicateOf !== undefined) names.add(section.name);
  }
  repeatedNamesOf.set(ctx, names);
  return names;
}

/** The sections of each header name, in file order (built once per context, on first use). */
const sectionsByNameOf = new WeakMap<SchemaContext, Map<string, Section[]>>();
/** For a header repeated in the file, its keys merged as supervisor merges them (built once per header). */
const mergedOf = new WeakMap<readonly Section[], Map<string, Entry>>();

export function sectionsByName(ctx: SchemaContext): ReadonlyMap<string, readonly Section[]> {
  let byName = sectionsByNameOf.get(ctx);
  if (byName) return byName;
  byName = new Map();
  for (const { section } of ctx.sections) {
    const list = byName.get(section.name);
    if (list) list.push(section);
    else byName.set(section.name, [section]);
  }
  sectionsByNameOf.set(ctx, byName);
  return byName;
}

/** Every key of the sections, each to its last entry: a later entry wins, across repeated headers too. */
function mergedEntries(sections: readonly Section[]): Map<string, Entry> {
  let merged = mergedOf.get(sections);
  if (merged) return merged;
  merged = new Map();
  for (const section of sections) for (const entry of section.entries) merged.set(entry.key, entry);
  mergedOf.set(sections, merged);
  return merged;
}

/** Is this entry the one supervisor uses (not overridden by a later duplicate)? */
export function isEffective(ctx: SchemaContext, _reading: SectionReading, entry: Entry): boolean {
  return !ctx.overridden.has(entry);
}

// ---------------------------------------------------------------------------------------------
// %-expansion

export type PercentCode = 'stray-percent' | 'unknown-expansion' | 'expansion-not-allowed' | 'percent-expanded-twice';

export interface PercentProblem {
  code: PercentCode;
  /** false: supervisor accepts it (a lone %s inserts a dump of its names), so it is only a warning. */
  refused: boolean;
  /** Offsets into entry.value. */
  start: number;
  end: number;
  /** Python's error text, for the message. */
  detail: string;
  name?: string;
  /** The directive is `%(name)` plus a bad conversion: adding `s` would fix it. */
  missingConversion?: boolean;
  /** A numeric conversion (%d, %x, %f ...) applied to a name whose value is text. */
  typeError?: boolean;
  /** Which expansion pass found it (2 = the second expansion of a value expanded twice). */
  pass: 1 | 2;
  /** A %%(here)s where supervisor replaces %(here)s before expanding: a lone % before the folder is left. */
  escapedHere?: boolean;
}

export interface ValueReading {
  /** The value as supervisor sees it after expansion; undefined when it depends on the server (ENV_X, here, host name) or fails. */
  expanded?: string;
  /** The expanded text with server-side values stood in by `x`, and for each character its offset in the raw value. */
  rendered?: { text: string; map?: number[] };
  /**
   * When the dump of a lone %s and %(here)s are all that is not known here: the value supervisor
   * converts for the key, with DUMP_STAND_IN and HERE_STAND_IN in their places, and which of them it holds.
   */
  standIn?: { text: string; dump: boolean; here: boolean };
  problems: PercentProblem[];
}

interface PassOutput {
  out: string;
  /** For each output character, the offset in the raw value it comes from. */
  map: number[];
  unknown: boolean;
  /** A name only the server knows, other than here, was stood in. */
  serverSide: boolean;
  /** A lone %s put the dump of the expansion names in. */
  dump: boolean;
  /** %(here)s was stood in by HERE_STAND_IN. */
  here: boolean;
}

/**
 * What a lone %s inserts, for the checks: Python formats the whole expansion dict, whose names and
 * values depend on the server, but whose text always starts with `{`.
 */
export const DUMP_STAND_IN = "{'here': 'x'}";

/** What %(here)s expands to, for the checks: the config file's folder, an absolute path (so it holds a `/`). */
export const HERE_STAND_IN = '/here';

/** The names a key may use, as a set (ENV_X handled separately). */
function allowedNames(ctx: SchemaContext, names: readonly ExpansionName[]): Set<string> {
  const set = new Set<string>(names);
  if (ctx.hereEverywhere) set.add('here');
  return set;
}

function formatNumber(value: number, spec: string, conversion: string): string {
  let flags = '';
  let k = 0;
  while (k < spec.length && '-+ #0'.includes(spec[k])) flags += spec[k++];
  let width = 0;
  while (k < spec.length && spec[k] >= '0' && spec[k] <= '9') width = width * 10 + Number(spec[k++]);
  let body: string;
  if (conversion === 'x' || conversion === 'X') body = Math.abs(value).toString(16);
  else if (conversion === 'o') body = Math.abs(value).toString(8);
  else body = String(Math.abs(Math.trunc(value)));
  if (conversion === 'X') body = body.toUpperCase();
  const sign = value < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (sign.length + body.length >= width) return sign + body;
  if (flags.includes('-')) return (sign + body).padEnd(width, ' ');
  if (flags.includes('0')) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width, ' ');
}

/** Python's %s of `text` with the directive's flags, width and precision (`spec`, between % and the conversion). */
function formatText(text: string, spec: string): string {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?/.exec(spec)!;
  const width = m[2] ? Number(m[2]) : 0;
  const body = m[3] !== undefined ? text.slice(0, Number(m[3] || 0)) : text;
  return m[1].includes('-') ? body.padEnd(width, ' ') : body.padStart(width, ' ');
}

/**
 * Where [include] is in play supervisor replaces the text %(here)s in every value with the folder
 * before it expands anything (expand_here), the one in %%(here)s too: a lone % before a path is left.
 */
function escapedHere(raw: string, problems: PercentProblem[]): void {
  for (const d of scanFormat(raw)) {
    if (d.kind === 'escape' && raw.startsWith('(here)s', d.end)) {
      problems.push({ code: 'stray-percent', refused: true, start: d.start, end: d.end + 7, detail: "unsupported format character '/' (0x2f)", pass: 1, escapedHere: true });
    }
  }
}

function runPass(
  raw: string,
  rawMap: number[] | undefined,
  allowed: Set<string>,
  known: ReadonlyMap<string, string | number>,
  pass: 1 | 2,
  problems: PercentProblem[],
): PassOutput {
  const map: number[] = [];
  let out = '';
  let unknown = false;
  let serverSide = false;
  let dump = false;
  let here = false;
  let at = 0;
  let used = 0;
  const origin = (i: number) => (rawMap ? rawMap[i] : i);
  const push = (text: string, from: number) => {
    out += text;
    for (let k = 0; k < text.length; k++) map.push(from);
  };
  for (const d of scanFormat(raw)) {
    for (let k = at; k < d.start; k++) {
      out += raw[k];
      map.push(origin(k));
    }
    at = d.end;
    const start = origin(d.start);
    const end = origin(d.end - 1) + 1;
    if (d.kind === 'escape') {
      push('%', origin(d.start));
      continue;
    }
    used++;
    if (d.kind === 'broken') {
      const named = d.name !== undefined && (allowed.has(d.name) || d.name.startsWith('ENV_')) && d.message !== 'incomplete format key';
      problems.push({ code: 'stray-percent', refused: true, start, end, detail: d.message!, name: d.name, missingConversion: named, pass });
      unknown = true;
      continue;
    }
    if (d.kind === 'positional') {
      const accepted = used === 1 && 'sra'.includes(d.conversion!) && !d.star;
      problems.push({ code: 'stray-percent', refused: !accepted, start, end, detail: accepted ? `%${d.conversion} inserts a dump of all the names supervisor knows` : 'not enough arguments for format string', pass });
      unknown = true;
      if (accepted) {
        dump = true;
        push(formatText(DUMP_STAND_IN, raw.slice(d.start + 1, d.end - 1)), start);
      }
      continue;
    }
    const name = d.name!;
    if (d.star) {
      problems.push({ code: 'stray-percent', refused: true, start, end, detail: '* wants int', pass });
      unknown = true;
      continue;
    }
    const isEnv = name.startsWith('ENV_');
    if (!isEnv && !allowed.has(name)) {
      problems.push({ code: EXPANSION_TYPES.has(name) ? 'expansion-not-allowed' : 'unknown-expansion', refused: true, start, end, detail: `contains names ('${name}') which cannot be expanded`, name, pass });
      unknown = true;
      continue;
    }
    const type = isEnv ? 'str' : EXPANSION_TYPES.get(name) ?? 'str';
    const typeError = conversionError(d.conversion!, type);
    if (typeError) {
      problems.push({ code: 'stray-percent', refused: true, start, end, detail: typeError, name, typeError: true, pass });
      unknown = true;
      continue;
    }
    const value = known.get(name);
    if (value === undefined) {
      // A server-side value (ENV_X, here, host name): assume it renders without % signs.
      unknown = true;
      if (name === 'here') {
        here = true;
        const conversion = d.conversion!;
        push(formatText(conversion === 's' ? HERE_STAND_IN : `'${HERE_STAND_IN}'`, raw.slice(d.start + name.length + 3, d.end - 1)), start);
        continue;
      }
      serverSide = true;
      push('x', start);
      continue;
    }
    const spec = raw.slice(d.start + name.length + 3, d.end - 1);
    push(typeof value === 'number' && d.conversion !== 's' && d.conversion !== 'r' && d.conversion !== 'a' ? formatNumber(value, spec, d.conversion!) : String(value), start);
  }
  for (let k = at; k < raw.length; k++) {
    out += raw[k];
    map.push(origin(k));
  }
  return { out, map, unknown, serverSide, dump, here };
}

/** The values of the names supervisor knows for this section (the first process's, for process_num). */
function knownValues(reading: SectionReading): Map<string, string | number> {
  const known = new Map<string, string | number>();
  const p = reading.program;
  if (p) {
    known.set('program_name', p.name);
    known.set('group_name', p.group);
    known.set('numprocs', p.numprocs);
    const startEntry = p.get('numprocs_start');
    const start = startEntry ? parseInteger(startEntry.value) : undefined;
    known.set('process_num', start === undefined ? 0 : start.ok ? start.value : 0);
  } else if (reading.resolved?.label !== undefined) {
    known.set('program_name', nameOfLabel(reading.resolved.label));
  }
  return known;
}

const readings = new WeakMap<Entry, ValueReading>();

/**
 * readValue(...).expanded without building a reading for the usual value (no %, not a template),
 * which supervisor reads as written; the key's spec is looked up only when the value needs expanding.
 */
export function expandedValue(ctx: SchemaContext, reading: SectionReading, kind: string, key: string, entry: Entry): string | undefined {
  const raw = entry.value;
  if (raw.indexOf('%') === -1 && !ctx.template) return raw;
  return readValue(ctx, reading, keySpec(kind, key)!, entry).expanded;
}

/**
 * Runs supervisor's expansion over a value: the problems it meets and, when every name is known
 * here, the expanded text. Values with template syntax in a templated file are left alone.
 */
const NO_PROBLEMS: PercentProblem[] = [];

/**
 * `remember`: false for an entry read in another section than its own (a [DEFAULT] key), whose reading
 * depends on that section: not kept as the entry's reading.
 */
export function readValue(ctx: SchemaContext, reading: SectionReading, spec: KeySpec, entry: Entry, remember = true): ValueReading {
  const raw0 = entry.value;
  if (raw0.indexOf('%') === -1 && !ctx.template) return { expanded: raw0, rendered: { text: raw0 }, problems: NO_PROBLEMS };
  const hit = remember ? readings.get(entry) : undefined;
  if (hit) return hit;
  let result: ValueReading;
  const raw = entry.value;
  if (isOpaqueTemplate(ctx, raw)) result = { problems: [] };
  else if (raw.indexOf('%') === -1) result = { expanded: raw, rendered: { text: raw }, problems: [] };
  else {
    const problems: PercentProblem[] = [];
    if (ctx.hereEverywhere) escapedHere(raw, problems);
    const known = knownValues(reading);
    let pass = runPass(raw, undefined, allowedNames(ctx, spec.expansions), known, 1, problems);
    if (spec.expandedTwice && !problems.some((p) => p.refused)) {
      const second: PercentProblem[] = [];
      const first = pass;
      pass = runPass(pass.out, pass.map, allowedNames(ctx, spec.secondExpansions ?? spec.expansions), known, 2, second);
      pass.unknown ||= first.unknown; // the first pass's stand-ins (ENV_X read as 'x') are no known text in the second
      pass.dump ||= first.dump;
      pass.serverSide ||= first.serverSide;
      pass.here ||= first.here;
      for (const p of second) {
        // A %% the user wrote becomes a lone % for the second pass: the 4.2.x double expansion.
        if (p.code === 'stray-percent' && raw[p.start] === '%' && raw[p.start + 1] === '%') p.code = 'percent-expanded-twice';
        problems.push(p);
      }
    }
    const refused = problems.some((p) => p.refused);
    result = { expanded: pass.unknown || problems.length ? undefined : pass.out, rendered: refused ? undefined : { text: pass.out, map: pass.map }, problems };
    if (!refused && (pass.dump || pass.here) && !pass.serverSide) result.standIn = { text: pass.out, dump: pass.dump, here: pass.here };
  }
  if (remember) readings.set(entry, result);
  return result;
}

/** Does supervisor look at this key's value at all in this section? (numprocs=0 skips the per-process keys.) */
export function isReadPerProcess(reading: SectionReading, spec: KeySpec): boolean {
  if (!spec.perProcess || !reading.program) return true;
  return reading.program.numprocs > 0;
}
