/**
 * The word of a command line under the cursor, and the word before it: what completion inside a
 * command needs to know (after `-P`, a pool; after memmon's `-p`, a process name). Also the entry that
 * typing at a position goes into, and the ranges an item completing a word replaces.
 */
import { lineText, positionToValueOffset, valueSpanToRange, type Entry, type Section, type SupervisorDocument } from '../model/document';
import type { Position, Range } from '../model/types';
import { resolveSection, type KeySpec } from '../catalog/keys';
import type { CompletionInfo } from './completion';

/** The ranges of an item that completes the word the cursor is in. */
export type WordRanges = Pick<CompletionInfo, 'range' | 'insertRange'>;

/** The word from `start` to `end` on the cursor's line: all of it, and up to the cursor. */
export function wordRanges(start: Position, cursor: Position, end: Position): WordRanges {
  return { range: { start, end }, insertRange: { start, end: cursor } };
}

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
  /** The cursor is past the end of a value line, after spaces the value does not keep (or on a blank line that continues it). */
  pastEnd: boolean;
  /** The range a completion from `from` to `to` (offsets in the value; the cursor by default) replaces. */
  rangeFrom(from: number, to?: number): Range;
  /** The ranges of a completion of the word from `from` to `to` (the end of the word by default): all of it, and up to the cursor. */
  wordRangesFrom(from: number, to?: number): WordRanges;
}

/** Where typing at a position goes in a value: the offset, and whether the cursor is past a line's end there. */
export interface ValueOffset {
  offset: number;
  /** Past the end of a value line, after spaces the value does not keep, or on a blank line below the value. */
  pastEnd: boolean;
}

/** Where typing at `position` goes in the value of `entry`, or undefined when the position is not in it. */
export function valueOffsetTypedAt(entry: Entry, position: Position): ValueOffset | undefined {
  const offset = positionToValueOffset(entry, position);
  if (offset >= 0) return { offset, pastEnd: false };
  let acc = 0;
  for (const p of entry.parts) {
    if (p.line === position.line && position.character > p.startChar + p.text.length) return { offset: acc + p.text.length, pastEnd: true };
    acc += p.text.length + 1;
  }
  // A blank line below the value, which entryTypedAt found to continue it: typing there adds to its end.
  const last = entry.parts[entry.parts.length - 1];
  return last && position.line > last.line ? { offset: entry.value.length, pastEnd: true } : undefined;
}

/** The word under `position` in the command `entry`, or undefined when the position is not in its value. */
export function commandWordAt(entry: Entry, position: Position): CommandWord | undefined {
  const typed = valueOffsetTypedAt(entry, position);
  if (!typed) return undefined;
  const { offset, pastEnd } = typed;
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
  const rangeFrom = (from: number, to = at) => (pastEnd ? { start: position, end: position } : valueSpanToRange(entry, from, to));
  return {
    offset,
    wordStart,
    word: value.slice(wordStart, offset),
    wordEnd,
    previous: value.slice(prevStart, prevEnd),
    pastEnd,
    rangeFrom,
    wordRangesFrom: (from, to = wordEnd) => ({ range: rangeFrom(from, to), insertRange: rangeFrom(from) }),
  };
}

/** The section's `key` entry that has a line at `line` (a command continued over lines has several). */
export function entryOnLine(section: Section, key: string, line: number): Entry | undefined {
  return section.entries.find((e) => e.key === key && e.parts.some((p) => p.line === line));
}

/**
 * The section's `key` entry that typing at `position` goes into: the entry with a line there, or the
 * one a blank line below it continues when the cursor is indented more than its key (configparser
 * joins such a line to the value once it holds text; blank and comment lines between do not end it).
 * On a blank line the cursor must be indented more than the key, inside the value too: text typed at
 * the margin starts a key.
 */
export function entryTypedAt(doc: SupervisorDocument, section: Section, key: string, position: Position): Entry | undefined {
  const on = entryOnLine(section, key, position.line);
  if (lineText(doc, position.line).trim() !== '') return on;
  if (on) return position.character > on.keyRange.start.character ? on : undefined;
  let above: Entry | undefined;
  for (const e of section.entries) if (e.range.end.line < position.line && (!above || e.range.end.line > above.range.end.line)) above = e;
  if (!above || above.key !== key || position.character <= above.keyRange.start.character) return undefined;
  for (let line = above.range.end.line + 1; line < position.line; line++) {
    const text = lineText(doc, line).trim();
    if (text !== '' && !text.startsWith(';') && !text.startsWith('#')) return undefined;
  }
  return above;
}

/**
 * The entry of a pattern list (`[include] files=`) that an indented line at `position` continues, with
 * its key's spec: configparser joins the line to the value, and supervisor splits the patterns at any
 * blank, new lines included. An indented blank line below the value is one, as typing there continues it.
 */
export function continuedPatternList(doc: SupervisorDocument, section: Section, position: Position): { entry: Entry; spec: KeySpec } | undefined {
  for (const spec of resolveSection(section.name)?.spec.keys ?? []) {
    if (spec.type !== 'glob_list') continue;
    const entry = entryTypedAt(doc, section, spec.name, position);
    if (entry && entry.keyRange.start.line !== position.line) return { entry, spec };
  }
  return undefined;
}
