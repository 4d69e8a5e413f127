/**
 * The parser's Entry: four fields per key=value line (the section index and the columns packed into one
 * small integer), with the rare extra data kept aside, and ranges and parts built when asked.
 */
import type { Entry, ValuePart } from './document';
import { rangeOn, type Position, type Range } from './types';
import { offsetInParts, partStartOffsets, positionInParts } from './valueParts';

/**
 * What few entries need: a key written with capitals, columns or a section index too large to pack, or
 * continuation lines. Allocated only for those entries.
 */
class EntryExtra {
  /** The key as written, when it differs from the lower-cased key. */
  rawKey: string | undefined = undefined;
  /** Section index and columns, when `ParsedEntry.at` could not pack them (-1 otherwise). */
  sectionIndex = -1;
  keyStartCol = -1;
  delimCol = -1;
  valueStartCol = -1;
  separator: '=' | ':' = '=';
  /** Every line of a multi-line value (undefined for a one-line value). */
  parts: ValuePart[] | undefined = undefined;
  /** Where each of `parts` starts in the joined value: built at the first position lookup, for binary search. */
  partStarts: Int32Array | undefined = undefined;
  startLine = 0;
  startChar = 0;
  endLine = 0;
  endChar = 0;
}

// ParsedEntry.at: keyStartCol | (delimCol - keyEndCol) << 4 | (valueStartCol - delimCol - 1) << 9 | colon << 12
// | hasExtra << 13 | sectionIndex << 14: below 2^30, a small integer even where V8 compresses pointers
// (31-bit Smis). The key's length is not stored: keyEndCol is keyStartCol plus the raw key's length.
const KEY_START_BITS = 4;
const KEY_GAP_BITS = 5;
const VALUE_GAP_BITS = 3;
const KEY_GAP_SHIFT = KEY_START_BITS;
const VALUE_GAP_SHIFT = KEY_GAP_SHIFT + KEY_GAP_BITS;
const COLON_BIT = 1 << (VALUE_GAP_SHIFT + VALUE_GAP_BITS);
const EXTRA_BIT = COLON_BIT << 1;
const SECTION_SHIFT = 14;
const SECTION_LIMIT = 1 << (30 - SECTION_SHIFT);
/** `at` of an entry whose section index or columns did not fit: they are in its EntryExtra (and -1 has EXTRA_BIT set). */
const WIDE = -1;

/** The extra data of the few entries that have any (EXTRA_BIT set in their `at`). */
const extras = new WeakMap<ParsedEntry, EntryExtra>();

/**
 * One key=value line and its continuation lines: four fields, the key (interned), the value, the line,
 * and the section index with three columns packed into one small integer. The rare entry that needs
 * more (a key with capitals, huge columns, continuation lines) keeps it in `extras`. Ranges and parts
 * are built when asked.
 */
export class ParsedEntry implements Entry {
  constructor(
    readonly key: string,
    public value: string,
    readonly line: number,
    /** Packed section index, columns and flags (see above), or WIDE. */
    private at: number,
  ) {}

  private get x(): EntryExtra | undefined {
    return this.at & EXTRA_BIT ? extras.get(this) : undefined;
  }
  get sectionIndex(): number {
    const a = this.at;
    return a === WIDE ? this.x!.sectionIndex : a >>> SECTION_SHIFT;
  }
  private get keyStartCol(): number {
    const a = this.at;
    return a === WIDE ? this.x!.keyStartCol : a & ((1 << KEY_START_BITS) - 1);
  }
  private get keyEndCol(): number {
    return this.keyStartCol + this.rawKey.length;
  }
  private get delimCol(): number {
    const a = this.at;
    return a === WIDE ? this.x!.delimCol : this.keyEndCol + ((a >> KEY_GAP_SHIFT) & ((1 << KEY_GAP_BITS) - 1));
  }
  private get valueStartCol(): number {
    const a = this.at;
    return a === WIDE ? this.x!.valueStartCol : this.delimCol + 1 + ((a >> VALUE_GAP_SHIFT) & ((1 << VALUE_GAP_BITS) - 1));
  }

  get rawKey(): string {
    return this.x?.rawKey ?? this.key;
  }
  get separator(): '=' | ':' {
    const a = this.at;
    return a === WIDE ? this.x!.separator : a & COLON_BIT ? ':' : '=';
  }
  get keyRange(): Range {
    return rangeOn(this.line, this.keyStartCol, this.keyEndCol);
  }
  get separatorRange(): Range {
    const d = this.delimCol;
    return rangeOn(this.line, d, d + 1);
  }
  get valueRange(): Range {
    const x = this.x;
    if (x?.parts) return { start: { line: x.startLine, character: x.startChar }, end: { line: x.endLine, character: x.endChar } };
    const start = this.valueStartCol;
    return rangeOn(this.line, start, start + this.value.length);
  }
  get range(): Range {
    const x = this.x;
    if (x?.parts) return { start: { line: this.line, character: this.keyStartCol }, end: { line: x.endLine, character: x.endChar } };
    return rangeOn(this.line, this.keyStartCol, this.valueStartCol + this.value.length);
  }
  get parts(): ValuePart[] {
    return this.x?.parts ?? [{ line: this.line, startChar: this.valueStartCol, text: this.value }];
  }

  /** `valueOffsetToPosition`: a one-line value without building `parts`, a multi-line one by binary search. */
  positionAt(offset: number): Position {
    const parts = this.x?.parts;
    if (parts) return positionInParts(parts, this.partStarts(), offset)!;
    const length = this.value.length;
    return { line: this.line, character: this.valueStartCol + (offset <= 0 ? 0 : offset < length ? offset : length) };
  }

  /** `positionToValueOffset`: the offset in `value` of a position on one of its lines, or -1. */
  valueOffsetAt(position: Position): number {
    const parts = this.x?.parts;
    if (parts) return offsetInParts(parts, this.partStarts(), position);
    if (position.line !== this.line) return -1;
    const c = position.character - this.valueStartCol;
    return c >= 0 && c <= this.value.length ? c : -1;
  }

  /** The start offsets of a multi-line value's parts, built once (call only when `x.parts` is set). */
  private partStarts(): Int32Array {
    const x = this.x!;
    return (x.partStarts ??= partStartOffsets(x.parts!));
  }

  /** Attaches extra data (at most once, right after construction or at the first continuation line). */
  attach(x: EntryExtra): void {
    extras.set(this, x);
    if (this.at !== WIDE) this.at |= EXTRA_BIT;
  }

  /** Adds a continuation line (and the blank lines before it, which configparser keeps); `finish` joins the value. */
  continueWith(blankLines: number[], blankCount: number, line: number, startChar: number, text: string): void {
    let x = this.x;
    if (!x) this.attach((x = new EntryExtra()));
    let parts = x.parts;
    if (!parts) {
      const valueStartCol = this.valueStartCol;
      parts = x.parts = [{ line: this.line, startChar: valueStartCol, text: this.value }];
      if (this.value === '') {
        // The key line had an empty value: the value starts on its first non-empty line.
        x.startLine = line;
        x.startChar = startChar;
      } else {
        x.startLine = this.line;
        x.startChar = valueStartCol;
      }
    }
    for (let i = 0; i < blankCount; i += 2) parts.push({ line: blankLines[i], startChar: blankLines[i + 1], text: '' });
    parts.push({ line, startChar, text });
    x.endLine = line;
    x.endChar = startChar + text.length;
  }

  /** Joins a multi-line value once its last line is known (call only after `continueWith`). */
  finish(): void {
    const parts = this.x!.parts!;
    let value = parts[0].text;
    for (let i = 1; i < parts.length; i++) value += `\n${parts[i].text}`;
    this.value = value;
  }
}

/**
 * A new entry from its line-relative columns (`rawKey` when the key was written with other than lower
 * case): packs the section index and columns when they fit, and gives the entry its extra record when
 * it needs one.
 */
export function makeEntry(
  key: string,
  rawKey: string | undefined,
  value: string,
  sectionIndex: number,
  line: number,
  keyStartCol: number,
  keyEndCol: number,
  delimCol: number,
  valueStartCol: number,
  isColon: boolean,
): ParsedEntry {
  let x: EntryExtra | undefined;
  if (rawKey !== undefined) (x = new EntryExtra()).rawKey = rawKey;
  const keyGap = delimCol - keyEndCol;
  const valueGap = valueStartCol - delimCol - 1;
  let at: number;
  if (keyStartCol < 1 << KEY_START_BITS && keyGap < 1 << KEY_GAP_BITS && valueGap < 1 << VALUE_GAP_BITS && sectionIndex < SECTION_LIMIT) {
    at = keyStartCol | (keyGap << KEY_GAP_SHIFT) | (valueGap << VALUE_GAP_SHIFT) | (isColon ? COLON_BIT : 0) | (sectionIndex << SECTION_SHIFT);
  } else {
    at = WIDE;
    x ??= new EntryExtra();
    x.sectionIndex = sectionIndex;
    x.keyStartCol = keyStartCol;
    x.delimCol = delimCol;
    x.valueStartCol = valueStartCol;
    x.separator = isColon ? ':' : '=';
  }
  const entry = new ParsedEntry(key, value, line, at);
  if (x) entry.attach(x);
  return entry;
}
