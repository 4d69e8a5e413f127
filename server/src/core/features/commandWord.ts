/**
 * The word of a command line under the cursor, and the word before it: what completion inside a
 * command needs to know (after `-P`, a pool; after memmon's `-p`, a process name).
 */
import { positionToValueOffset, valueSpanToRange, type Entry, type Section } from '../model/document';
import type { Position, Range } from '../model/types';

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n';
/** Where a word ends after the cursor: a blank, or the quote or operator of a shell script (`bash -c "... -P gev|"`). */
const endsWord = (c: string) => isSpace(c) || c === '"' || c === "'" || c === ';' || c === '&' || c === '|' || c === '<' || c === '>';

export interface CommandWord {
  /** The cursor's offset in the command value. */
  offset: number;
  /** Where the word under the cursor starts (the cursor itself when a new word starts there). */
  wordStart: number;
  /** The word up to the cursor. */
  word: string;
  /** Where the word under the cursor ends (the cursor itself at its end, or past the end of the value). */
  wordEnd: number;
  /** The whole word before it. */
  previous: string;
  /** The cursor is past the end of a value line, after spaces the value does not keep. */
  pastEnd: boolean;
  /** The range a completion from `from` to `to` (offsets in the value; the cursor by default) replaces. */
  rangeFrom(from: number, to?: number): Range;
}

/** The word under `position` in the command `entry`, or undefined when the position is not in its value. */
export function commandWordAt(entry: Entry, position: Position): CommandWord | undefined {
  let offset = positionToValueOffset(entry, position);
  let pastEnd = false;
  if (offset < 0) {
    let acc = 0;
    for (const p of entry.parts) {
      if (p.line === position.line && position.character > p.startChar + p.text.length) {
        offset = acc + p.text.length;
        pastEnd = true;
      }
      acc += p.text.length + 1;
    }
    if (offset < 0) return undefined;
  }
  const value = entry.value;
  let wordStart = offset;
  while (!pastEnd && wordStart > 0 && !isSpace(value[wordStart - 1])) wordStart--;
  let prevEnd = wordStart;
  while (prevEnd > 0 && isSpace(value[prevEnd - 1])) prevEnd--;
  let prevStart = prevEnd;
  while (prevStart > 0 && !isSpace(value[prevStart - 1])) prevStart--;
  let wordEnd = offset;
  while (!pastEnd && wordEnd < value.length && !endsWord(value[wordEnd])) wordEnd++;
  const at = offset;
  return {
    offset,
    wordStart,
    word: value.slice(wordStart, offset),
    wordEnd,
    previous: value.slice(prevStart, prevEnd),
    pastEnd,
    rangeFrom: (from, to = at) => (pastEnd ? { start: position, end: position } : valueSpanToRange(entry, from, to)),
  };
}

/** The section's `key` entry that has a line at `line` (a command continued over lines has several). */
export function entryOnLine(section: Section, key: string, line: number): Entry | undefined {
  return section.entries.find((e) => e.key === key && e.parts.some((p) => p.line === line));
}
