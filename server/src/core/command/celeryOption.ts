/** How a Celery command reading stores each option it finds (commands keep thousands of them). */
import { REMOVED_WORKER_OPTIONS, type CeleryOptionSpec, type RemovedCeleryOption } from './celeryOptions';
import type { CeleryOption } from './celery';

/** The Celery 4 worker options Celery 5 removed, by the spelling written. */
export const REMOVED_BY_SPELLING: ReadonlyMap<string, RemovedCeleryOption> = new Map(REMOVED_WORKER_OPTIONS.map((r) => [r.spelling, r]));

/** Option.bits: the form in the two low bits, then one bit per flag. */
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

/**
 * A CeleryOption in nine fields (every command keeps several): the form and the flags share one small
 * integer, and what follows from other fields is computed when read: nameStart is start, valueEnd is
 * end (a value always runs to the option's end), since comes from the spec and the spelling, and
 * removedAlias from the removed spelling. A flag that is not set reads undefined, as an absent field did.
 */
export class Option implements CeleryOption {
  name: string;
  spelling: string;
  spec: CeleryOptionSpec | undefined = undefined;
  value: string | undefined = undefined;
  start: number;
  end: number;
  nameEnd: number;
  valueStart: number | undefined = undefined;
  private bits: number;
  constructor(name: string, spelling: string, start: number, end: number, nameEnd: number, known: boolean) {
    this.name = name;
    this.spelling = spelling;
    this.start = start;
    this.end = end;
    this.nameEnd = nameEnd;
    this.bits = known ? KNOWN : 0;
  }

  private flag(bit: number): true | undefined {
    return this.bits & bit ? true : undefined;
  }
  private set(bit: number, on: boolean | undefined): void {
    this.bits = on ? this.bits | bit : this.bits & ~bit;
  }

  get form(): CeleryOption['form'] {
    return FORMS[this.bits & FORM_MASK];
  }
  set form(form: CeleryOption['form']) {
    this.bits = (this.bits & ~FORM_MASK) | FORMS.indexOf(form);
  }
  get known(): boolean {
    return (this.bits & KNOWN) !== 0;
  }
  set known(on: boolean) {
    this.set(KNOWN, on);
  }
  get nameStart(): number {
    return this.start;
  }
  get valueEnd(): number | undefined {
    return this.bits & HAS_VALUE ? this.end : undefined;
  }
  /** Records the value and its raw span (which runs to the option's end). */
  setValue(value: string, start: number, end: number): void {
    this.value = value;
    this.valueStart = start;
    this.end = end;
    this.bits |= HAS_VALUE;
  }
  get since(): string | undefined {
    const spec = this.spec;
    if (spec === undefined || !(this.bits & KNOWN)) return undefined;
    return spec.aliasSince?.[this.spelling] ?? spec.since;
  }
  get removedAlias(): string | undefined {
    return this.bits & REMOVED ? REMOVED_BY_SPELLING.get(this.spelling)?.replacement : undefined;
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
