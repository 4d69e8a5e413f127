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
