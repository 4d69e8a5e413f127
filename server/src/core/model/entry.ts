/**
 * The parser's Entry: five fields per key=value line (the columns packed into one small integer), with
 * the rare extra data kept aside, and ranges and parts built when asked.
 */
import type { Entry, ValuePart } from './document';
import { rangeOn, type Position, type Range } from './types';

/**
 * What few entries need: a key written with capitals, columns too wide to pack, or continuation lines.
 * Allocated only for those entries.
 */
class EntryExtra {
  /** The key as written, when it differs from the lower-cased key. */
  rawKey: string | undefined = undefined;
  /** Columns, when `ParsedEntry.cols` could not pack them (-1 otherwise). */
  keyStartCol = -1;
  keyEndCol = -1;
  delimCol = -1;
  valueStartCol = -1;
  separator: '=' | ':' = '=';
  /** Every line of a multi-line value (undefined for a one-line value). */
  parts: ValuePart[] | undefined = undefined;
  startLine = 0;
  startChar = 0;
  endLine = 0;
  endChar = 0;
}

// ParsedEntry.cols: keyStartCol | keyLength << 9 | (delimCol - keyEndCol) << 17 | (valueStartCol - delimCol - 1) << 22
// | colon << 27 | hasExtra << 28: below 2^29, a small integer even where V8 compresses pointers (31-bit Smis).
const KEY_START_BITS = 9;
const KEY_LENGTH_BITS = 8;
const KEY_GAP_BITS = 5;
const VALUE_GAP_BITS = 5;
const KEY_LENGTH_SHIFT = KEY_START_BITS;
const KEY_GAP_SHIFT = KEY_LENGTH_SHIFT + KEY_LENGTH_BITS;
const VALUE_GAP_SHIFT = KEY_GAP_SHIFT + KEY_GAP_BITS;
const COLON_BIT = 1 << (VALUE_GAP_SHIFT + VALUE_GAP_BITS);
const EXTRA_BIT = COLON_BIT << 1;
/** `cols` of an entry whose columns did not fit: they are in its EntryExtra (and -1 has EXTRA_BIT set). */
const WIDE = -1;

/** The extra data of the few entries that have any (EXTRA_BIT set in their `cols`). */
const extras = new WeakMap<ParsedEntry, EntryExtra>();

/**
 * One key=value line and its continuation lines: five fields, the key (interned), the value, the
 * section, the line and the four columns packed into one small integer. The rare entry that needs more
 * (a key with capitals, huge columns, continuation lines) keeps it in `extras`. Ranges and parts are
 * built when asked.
 */
export class ParsedEntry implements Entry {
  constructor(
    readonly key: string,
    public value: string,
    readonly sectionIndex: number,
    readonly line: number,
    /** Packed columns and flags (see above), or WIDE. */
    private cols: number,
  ) {}

  private get x(): EntryExtra | undefined {
    return this.cols & EXTRA_BIT ? extras.get(this) : undefined;
  }
  private get keyStartCol(): number {
    const c = this.cols;
    return c === WIDE ? this.x!.keyStartCol : c & ((1 << KEY_START_BITS) - 1);
  }
  private get keyEndCol(): number {
    const c = this.cols;
    return c === WIDE ? this.x!.keyEndCol : (c & ((1 << KEY_START_BITS) - 1)) + ((c >> KEY_LENGTH_SHIFT) & ((1 << KEY_LENGTH_BITS) - 1));
  }
  private get delimCol(): number {
    const c = this.cols;
    return c === WIDE ? this.x!.delimCol : this.keyEndCol + ((c >> KEY_GAP_SHIFT) & ((1 << KEY_GAP_BITS) - 1));
  }
  private get valueStartCol(): number {
    const c = this.cols;
    return c === WIDE ? this.x!.valueStartCol : this.delimCol + 1 + ((c >> VALUE_GAP_SHIFT) & ((1 << VALUE_GAP_BITS) - 1));
  }

  get rawKey(): string {
    return this.x?.rawKey ?? this.key;
  }
  get separator(): '=' | ':' {
    const c = this.cols;
    return c === WIDE ? this.x!.separator : c & COLON_BIT ? ':' : '=';
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

  /**
   * `valueOffsetToPosition` for a one-line value, without building `parts`; undefined when the value
   * has continuation lines.
   */
  oneLinePosition(offset: number): Position | undefined {
    if (this.cols & EXTRA_BIT && this.x?.parts) return undefined;
    const length = this.value.length;
    return { line: this.line, character: this.valueStartCol + (offset <= 0 ? 0 : offset < length ? offset : length) };
  }

  /** Attaches extra data (at most once, right after construction or at the first continuation line). */
  attach(x: EntryExtra): void {
    extras.set(this, x);
    if (this.cols !== WIDE) this.cols |= EXTRA_BIT;
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
 * case): packs the columns when they fit, and gives the entry its extra record when it needs one.
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
  const keyLength = keyEndCol - keyStartCol;
  const keyGap = delimCol - keyEndCol;
  const valueGap = valueStartCol - delimCol - 1;
  let cols: number;
  if (keyStartCol < 1 << KEY_START_BITS && keyLength < 1 << KEY_LENGTH_BITS && keyGap < 1 << KEY_GAP_BITS && valueGap < 1 << VALUE_GAP_BITS) {
    cols = keyStartCol | (keyLength << KEY_LENGTH_SHIFT) | (keyGap << KEY_GAP_SHIFT) | (valueGap << VALUE_GAP_SHIFT) | (isColon ? COLON_BIT : 0);
  } else {
    cols = WIDE;
    x ??= new EntryExtra();
    x.keyStartCol = keyStartCol;
    x.keyEndCol = keyEndCol;
    x.delimCol = delimCol;
    x.valueStartCol = valueStartCol;
    x.separator = isColon ? ':' : '=';
  }
  const entry = new ParsedEntry(key, value, sectionIndex, line, cols);
  if (x) entry.attach(x);
  return entry;
}
