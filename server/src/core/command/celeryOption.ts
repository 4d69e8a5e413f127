/** How a Celery command reading stores each option it finds (commands keep thousands of them). */
import { REMOVED_WORKER_OPTIONS, type CeleryOptionSpec, type RemovedCeleryOption } from './celeryOptions';
import type { CeleryOption } from './celery';

/** The Celery 4 worker options Celery 5 removed, by the spelling written. */
export const REMOVED_BY_SPELLING: ReadonlyMap<string, RemovedCeleryOption> = new Map(REMOVED_WORKER_OPTIONS.map((r) => [r.spelling, r]));

/** Option.layout: the form in the two low bits, then one bit per flag, then the name's length and the value's gap. */
const FORMS: readonly CeleryOption['form'][] = ['flag', 'separate', 'equals', 'glued'];
const FORM_MASK = 3;
const KNOWN = 1 << 2;
const HAS_VALUE = 1 << 3;
const INVALID_EQUALS = 1 << 4;
const REMOVED = 1 << 5;
const MISPLACED = 1 << 6;
const BEFORE_SUBCOMMAND = 1 << 7;
const MISSING_VALUE = 1 << 8;
const UNEXPECTED_VALUE = 1 << 9;
const COMBINED = 1 << 10;
const COMBINED_HEAD = 1 << 11;
/** nameEnd and valueStart live in WIDE_SPANS: one of them did not fit the layout. */
const WIDE = 1 << 12;
const FLAGS_MASK = (1 << 13) - 1;
/** nameEnd - start, then valueStart - nameEnd, in 8 bits each (the layout stays a small integer). */
const NAME_SHIFT = 13;
const GAP_SHIFT = 21;
const SPAN_LIMIT = 1 << 8;

/** The inner offsets of the rare option whose name or gap is too long for the layout. */
const WIDE_SPANS = new WeakMap<Option, { nameEnd: number; valueStart: number | undefined }>();

/**
 * A CeleryOption in seven fields (every command keeps several): the form, the flags and the inner
 * offsets (nameEnd and valueStart, relative and short) share one small integer, and what follows from
 * other fields is computed when read: nameStart is start, valueEnd is end (a value always runs to the
 * option's end), since comes from the spec and the spelling, and removedAlias from the removed
 * spelling. A flag that is not set reads undefined, as an absent field did.
 */
export class Option implements CeleryOption {
  // The name is a field of its own, not read from the spec: the specs have many shapes, and rules ask
  // every option for its name.
  name: string;
  spelling: string;
  spec: CeleryOptionSpec | undefined = undefined;
  value: string | undefined = undefined;
  start: number;
  end: number;
  private layout = 0;
  constructor(name: string, spelling: string, start: number, end: number, nameEnd: number, known: boolean) {
    this.name = name;
    this.spelling = spelling;
    this.start = start;
    this.end = end;
    this.layOut(nameEnd, known);
  }

  /** Packs the name's end and `known` into `layout` (a span too long to pack goes to WIDE_SPANS). */
  private layOut(nameEnd: number, known: boolean): void {
    const length = nameEnd - this.start;
    this.layout = (known ? KNOWN : 0) | (length >= 0 && length < SPAN_LIMIT ? length << NAME_SHIFT : 0);
    if (length < 0 || length >= SPAN_LIMIT) this.setInner(nameEnd, undefined);
  }

  /** Makes this option read as `new Option(...)` with these arguments would (see readingOption). */
  reset(name: string, spelling: string, start: number, end: number, nameEnd: number, known: boolean): void {
    if (this.layout & WIDE) WIDE_SPANS.delete(this);
    this.name = name;
    this.spelling = spelling;
    this.spec = undefined;
    this.value = undefined;
    this.start = start;
    this.end = end;
    this.layOut(nameEnd, known);
  }

  /** A new option that reads the same in every field. */
  copy(): Option {
    const c = new Option(this.name, this.spelling, this.start, this.end, this.start, false);
    c.spec = this.spec;
    c.value = this.value;
    c.layout = this.layout;
    const wide = this.layout & WIDE ? WIDE_SPANS.get(this) : undefined;
    if (wide !== undefined) WIDE_SPANS.set(c, { nameEnd: wide.nameEnd, valueStart: wide.valueStart });
    return c;
  }

  private flag(bit: number): true | undefined {
    return this.layout & bit ? true : undefined;
  }
  private set(bit: number, on: boolean | undefined): void {
    this.layout = on ? this.layout | bit : this.layout & ~bit;
  }

  /** Packs nameEnd and valueStart into the layout, or into WIDE_SPANS when they do not fit. */
  private setInner(nameEnd: number, valueStart: number | undefined): void {
    const name = nameEnd - this.start;
    const gap = valueStart === undefined ? 0 : valueStart - nameEnd;
    const flags = this.layout & FLAGS_MASK & ~WIDE;
    if (name >= 0 && name < SPAN_LIMIT && gap >= 0 && gap < SPAN_LIMIT) {
      if (this.layout & WIDE) WIDE_SPANS.delete(this);
      this.layout = flags | (name << NAME_SHIFT) | (gap << GAP_SHIFT);
    } else {
      this.layout = flags | WIDE;
      WIDE_SPANS.set(this, { nameEnd, valueStart });
    }
  }

  get form(): CeleryOption['form'] {
    return FORMS[this.layout & FORM_MASK];
  }
  set form(form: CeleryOption['form']) {
    this.layout = (this.layout & ~FORM_MASK) | FORMS.indexOf(form);
  }
  get known(): boolean {
    return (this.layout & KNOWN) !== 0;
  }
  set known(on: boolean) {
    this.set(KNOWN, on);
  }
  get nameStart(): number {
    return this.start;
  }
  get nameEnd(): number {
    const layout = this.layout;
    if (layout & WIDE) return WIDE_SPANS.get(this)!.nameEnd;
    return this.start + ((layout >> NAME_SHIFT) & (SPAN_LIMIT - 1));
  }
  get valueStart(): number | undefined {
    const layout = this.layout;
    if (!(layout & HAS_VALUE)) return undefined;
    if (layout & WIDE) return WIDE_SPANS.get(this)!.valueStart;
    return this.start + ((layout >> NAME_SHIFT) & (SPAN_LIMIT - 1)) + ((layout >> GAP_SHIFT) & (SPAN_LIMIT - 1));
  }
  get valueEnd(): number | undefined {
    return this.layout & HAS_VALUE ? this.end : undefined;
  }
  /** Records the value and its raw span (which runs to the option's end). */
  setValue(value: string, start: number, end: number): void {
    const layout = this.layout;
    const gap = start - this.start - ((layout >> NAME_SHIFT) & (SPAN_LIMIT - 1));
    this.value = value;
    this.end = end;
    if (!(layout & WIDE) && gap >= 0 && gap < SPAN_LIMIT) this.layout = layout | HAS_VALUE | (gap << GAP_SHIFT);
    else {
      const nameEnd = this.nameEnd;
      this.layout = layout | HAS_VALUE;
      this.setInner(nameEnd, start);
    }
  }
  get since(): string | undefined {
    const spec = this.spec;
    if (spec === undefined || !(this.layout & KNOWN)) return undefined;
    return spec.aliasSince?.[this.spelling] ?? spec.since;
  }
  /** A hash of the offsets and the flags (sameAs compares the rest). */
  contentHash(): number {
    const h = Math.imul(Math.imul(this.start, 31) + this.end, 0x9e3779b1) ^ this.layout;
    return h ^ (h >>> 15);
  }
  /** Whether the two read the same in every field. */
  sameAs(o: Option): boolean {
    return (
      this.start === o.start &&
      this.end === o.end &&
      this.layout === o.layout &&
      this.name === o.name &&
      this.spec === o.spec &&
      this.spelling === o.spelling &&
      this.value === o.value &&
      !(this.layout & WIDE)
    );
  }
  get removedAlias(): string | undefined {
    return this.layout & REMOVED ? REMOVED_BY_SPELLING.get(this.spelling)?.replacement : undefined;
  }
  get invalidEquals(): boolean | undefined {
    return this.flag(INVALID_EQUALS);
  }
  set invalidEquals(on: boolean | undefined) {
    this.set(INVALID_EQUALS, on);
  }
  get removed(): boolean | undefined {
    return this.flag(REMOVED);
  }
  set removed(on: boolean | undefined) {
    this.set(REMOVED, on);
  }
  get misplaced(): boolean | undefined {
    return this.flag(MISPLACED);
  }
  set misplaced(on: boolean | undefined) {
    this.set(MISPLACED, on);
  }
  get beforeSubcommand(): boolean | undefined {
    return this.flag(BEFORE_SUBCOMMAND);
  }
  set beforeSubcommand(on: boolean | undefined) {
    this.set(BEFORE_SUBCOMMAND, on);
  }
  get missingValue(): boolean | undefined {
    return this.flag(MISSING_VALUE);
  }
  set missingValue(on: boolean | undefined) {
    this.set(MISSING_VALUE, on);
  }
  get unexpectedValue(): boolean | undefined {
    return this.flag(UNEXPECTED_VALUE);
  }
  set unexpectedValue(on: boolean | undefined) {
    this.set(UNEXPECTED_VALUE, on);
  }
  get combined(): boolean | undefined {
    return this.flag(COMBINED);
  }
  set combined(on: boolean | undefined) {
    this.set(COMBINED, on);
  }
  get combinedHead(): boolean | undefined {
    return this.flag(COMBINED_HEAD);
  }
  set combinedHead(on: boolean | undefined) {
    this.set(COMBINED_HEAD, on);
  }
}

/**
 * Options kept by readings lately, by content: the workers of a file tend to write the same options
 * at the same offsets (`celery -A proj worker -l info ...`), and readings are kept across analyses, so
 * an option equal to one kept already is that one (options are read-only once read). A direct-mapped
 * table: a collision replaces the slot, so it stays small and costs no search.
 */
const SHARED_SLOTS = 4096;
const sharedOptions: (Option | undefined)[] = new Array<Option | undefined>(SHARED_SLOTS).fill(undefined);

/**
 * The options of the command being read, reused from reading to reading: most options of a file equal
 * one kept already (see sharedOptions), so they are read into these and only a new one is copied
 * (keptOption). Not reentrant: one reading at a time, each starting with startReading.
 */
const readingOptions: Option[] = [];
let readingUsed = 0;
const MAX_READING_OPTIONS = 64;

/** Starts a reading: its options reuse those of the previous one (all kept or dropped by now). */
export function startReading(): void {
  readingUsed = 0;
}

/** An option for the reading under way, as `new Option(...)` would make it; it must go through keptOption before the reading is kept. */
export function readingOption(name: string, spelling: string, start: number, end: number, nameEnd: number, known: boolean): Option {
  if (readingUsed < readingOptions.length) {
    const o = readingOptions[readingUsed++];
    o.reset(name, spelling, start, end, nameEnd, known);
    return o;
  }
  const o = new Option(name, spelling, start, end, nameEnd, known);
  if (readingOptions.length < MAX_READING_OPTIONS) {
    readingOptions.push(o);
    readingUsed++;
  }
  return o;
}

/** The kept option equal to `o` (see sharedOptions), else a copy of `o`, kept from now on. */
export function keptOption(o: Option): Option {
  const slot = o.contentHash() & (SHARED_SLOTS - 1);
  const known = sharedOptions[slot];
  if (known !== undefined && known.sameAs(o)) return known;
  const kept = o.copy();
  sharedOptions[slot] = kept;
  return kept;
}

/** Forgets the kept options (with the readings that keep them, see clearAnalysisCaches). */
export function clearSharedOptions(): void {
  sharedOptions.fill(undefined);
}
