import type { Position, Range, Severity } from './types';
import { ParsedEntry } from './entry';
import { partitionPoint } from '../partitionPoint';

/** One physical line's share of an entry's value, after comment and whitespace stripping. */
export interface ValuePart {
  line: number;
  /** UTF-16 column where `text` starts on that line. */
  startChar: number;
  text: string;
}

export interface Entry {
  /** Lower-cased, as configparser's optionxform does. */
  key: string;
  /** As written. */
  rawKey: string;
  keyRange: Range;
  separator: '=' | ':';
  separatorRange: Range;
  /**
   * What supervisor's parser returns with raw=True: continuation lines joined with '\n',
   * inline comments stripped, `%(...)s` not expanded.
   */
  value: string;
  /** Where each line of `value` sits in the text; `value === parts.map(p => p.text).join('\n')`. */
  parts: ValuePart[];
  /** From the first to the last character of the value (empty range after the separator when the value is empty). */
  valueRange: Range;
  /** From the key to the end of the value. */
  range: Range;
  /** Index of the owning section in `SupervisorDocument.sections`. */
  sectionIndex: number;
}

export interface Section {
  /** The text inside the brackets, e.g. `program:worker`. */
  name: string;
  /** The part before the first ':' (`program`), or the whole name (`supervisord`). */
  kind: string;
  /** The part after the first ':' (`worker`), undefined for unnamed sections. */
  label: string | undefined;
  /** `[` to `]` inclusive. */
  headerRange: Range;
  /** The header's line (cheaper than headerRange.start.line). */
  headerLine: number;
  /** The name inside the brackets. */
  nameRange: Range;
  entries: Entry[];
  /** Last line that belongs to this section (the line before the next header, or the document's last line). */
  endLine: number;
  /** Index of an earlier section with the same name (supervisor merges the two; later keys win). */
  duplicateOf?: number;
}

export interface Comment {
  range: Range;
  /** range.start.line, without computing the columns. */
  line: number;
  /** Including the `;` or `#`. */
  text: string;
  /** True for a comment after a value or header on the same line. */
  inline: boolean;
}

export interface Problem {
  code: string;
  message: string;
  range: Range;
  severity: Severity;
}

/** A key set again in the same section: supervisor keeps `entry` and ignores `earlier`. */
export interface DuplicateKey {
  entry: Entry;
  earlier: Entry;
}

export interface SupervisorDocument {
  text: string;
  lineCount: number;
  sections: Section[];
  comments: Comment[];
  /** Findings of the parser itself (parse errors, duplicates). */
  problems: Problem[];
  duplicateKeys: DuplicateKey[];
  /** The entries whose value goes on over continuation lines, in file order (the few a multi-line check needs to read). */
  multiLineEntries: readonly Entry[];
  /** True when supervisor would refuse to read the file at all. */
  unreadable: boolean;
  /** The line ending the file mostly uses, for edits that insert lines. */
  eol: '\n' | '\r\n' | '\r';
  /** Offset in `text` where each line starts. */
  lineStarts: number[];
}

/** The text of one line, without its line break. */
export function lineText(doc: SupervisorDocument, line: number): string {
  const start = doc.lineStarts[line];
  if (start === undefined) return '';
  let end = line + 1 < doc.lineStarts.length ? doc.lineStarts[line + 1] : doc.text.length;
  while (end > start && (doc.text.charCodeAt(end - 1) === 10 || doc.text.charCodeAt(end - 1) === 13)) end--;
  return doc.text.slice(start, end);
}

/** The entry supervisor uses for `key` in this section: the last one written (strict=False). */
export function lastEntry(section: Section, key: string): Entry | undefined {
  const entries = section.entries;
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === key) return entries[i];
  return undefined;
}

/**
 * Maps an offset into `entry.value` to a document position (offsets past a line end clamp to it; an
 * offset on the '\n' joining two lines is the end of the first). O(log lines) for the parser's entries.
 */
export function valueOffsetToPosition(entry: Entry, offset: number): Position {
  if (entry instanceof ParsedEntry) return entry.positionAt(offset);
  // Any other Entry (built by hand): walk its parts.
  let acc = 0;
  for (const part of entry.parts) {
    const end = acc + part.text.length;
    if (offset <= end) return { line: part.line, character: part.startChar + Math.max(0, offset - acc) };
    acc = end + 1;
  }
  const last = entry.parts[entry.parts.length - 1];
  return last ? { line: last.line, character: last.startChar + last.text.length } : entry.valueRange.end;
}

export function valueSpanToRange(entry: Entry, start: number, end: number): Range {
  return { start: valueOffsetToPosition(entry, start), end: valueOffsetToPosition(entry, end) };
}

/** Maps a document position inside the value back to an offset into `entry.value`, or -1. O(log lines) for the parser's entries. */
export function positionToValueOffset(entry: Entry, position: Position): number {
  if (entry instanceof ParsedEntry) return entry.valueOffsetAt(position);
  let acc = 0;
  for (const part of entry.parts) {
    if (part.line === position.line) {
      const c = position.character - part.startChar;
      if (c >= 0 && c <= part.text.length) return acc + c;
      return -1;
    }
    acc += part.text.length + 1;
  }
  return -1;
}

/** The section a line belongs to: the last header at or above it. */
export function sectionIndexAt(doc: SupervisorDocument, line: number): number {
  const sections = doc.sections;
  return partitionPoint(sections.length, (i) => sections[i].headerLine <= line) - 1;
}

function startLine(entry: Entry): number {
  return entry instanceof ParsedEntry ? entry.line : entry.keyRange.start.line;
}

/** The line of the entry's key: `entry.range.start.line` without building a range for a parsed entry. */
export function entryStartLine(entry: Entry): number {
  return startLine(entry);
}

/** The last line of the entry's value: that of its last part, without building the parts of a one-line parsed entry. */
export function entryEndLine(entry: Entry): number {
  if (entry instanceof ParsedEntry && entry.value.indexOf('\n') === -1) return entry.line;
  const parts = entry.parts;
  return parts[parts.length - 1].line;
}

/** Whether `line` is a line of the entry's value (a one-line parsed entry without building its parts). */
function onLine(entry: Entry, line: number): boolean {
  if (entry instanceof ParsedEntry && entry.value.indexOf('\n') === -1) return entry.line === line;
  return entry.parts.some((p) => p.line === line);
}

/** The entry of `section` whose value has a line `line`, if any (entries are in line order). */
export function entryOnLine(section: Section, line: number): Entry | undefined {
  const entries = section.entries;
  // The last entry that starts at or before the line is the only one that can hold it.
  const entry = entries[partitionPoint(entries.length, (i) => startLine(entries[i]) <= line) - 1];
  return entry !== undefined && onLine(entry, line) ? entry : undefined;
}

const defaultsMemo = new WeakMap<SupervisorDocument, ReadonlyMap<string, Entry>>();

/**
 * configparser's [DEFAULT] section, which lends its keys to every section that does not set them: the
 * last entry of each key across every [DEFAULT] header, as configparser merges them (empty without one).
 * Read once per document.
 */
export function defaultEntries(doc: SupervisorDocument): ReadonlyMap<string, Entry> {
  let found = defaultsMemo.get(doc);
  if (!found) {
    const entries = new Map<string, Entry>();
    for (const s of doc.sections) if (s.name === 'DEFAULT') for (const e of s.entries) entries.set(e.key, e);
    defaultsMemo.set(doc, (found = entries));
  }
  return found;
}

const holdingMemo = new WeakMap<SupervisorDocument, Map<string, readonly Entry[]>>();

/**
 * The entries on whose lines `char` (a character, or any text without a line break) occurs, in file
 * order: every entry whose value holds it, and maybe a few more (the character in an inline comment). Found by scanning the text, not by reading each entry, so a
 * rule about a rare character (`$`, `~`) costs next to nothing in a file that has none.
 */
export function entriesHolding(doc: SupervisorDocument, char: string): readonly Entry[] {
  let byChar = holdingMemo.get(doc);
  if (!byChar) holdingMemo.set(doc, (byChar = new Map()));
  let found = byChar.get(char);
  if (found) return found;
  const { text, sections } = doc;
  const entries: Entry[] = [];
  let at = text.indexOf(char);
  while (at >= 0) {
    const lineStarts = doc.lineStarts; // built only once the character is found
    const line = partitionPoint(lineStarts.length, (i) => lineStarts[i] <= at) - 1;
    const section = sections[sectionIndexAt(doc, line)];
    const entry = section && entryOnLine(section, line);
    if (entry && entry !== entries[entries.length - 1]) entries.push(entry);
    at = line + 1 < lineStarts.length ? text.indexOf(char, lineStarts[line + 1]) : -1;
  }
  byChar.set(char, (found = entries));
  return found;
}
