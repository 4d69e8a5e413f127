/**
 * Ranges and edits inside a `command=` value. Command readers work in offsets of the entry's effective
 * value; these helpers turn those offsets into document ranges and edits that leave the rest of the
 * line (spacing, comments, continuation layout) as it was.
 */
import { lineText, valueOffsetToPosition, valueSpanToRange, type Entry, type SupervisorDocument } from './model/document';
import type { Range, TextEdit } from './model/types';
import type { CeleryCommand, CeleryOption } from './command/celery';
import { deleteLines } from './edits';

export function spanRange(entry: Entry, start: number, end: number): Range {
  return valueSpanToRange(entry, start, end);
}

export function optionRange(entry: Entry, option: CeleryOption): Range {
  return valueSpanToRange(entry, option.start, option.end);
}

/** Where findings about a missing option go: the `worker` token, or the whole command. */
export function subcommandRange(entry: Entry, celery: CeleryCommand): Range {
  if (celery.subcommandStart !== undefined && celery.subcommandEnd !== undefined) {
    return valueSpanToRange(entry, celery.subcommandStart, celery.subcommandEnd);
  }
  return entry.valueRange;
}

export function insertAt(entry: Entry, offset: number, text: string): TextEdit {
  const at = valueOffsetToPosition(entry, offset);
  return { range: { start: at, end: at }, newText: text };
}

export function replaceSpan(entry: Entry, start: number, end: number, text: string): TextEdit {
  return { range: valueSpanToRange(entry, start, end), newText: text };
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

/**
 * Removes [start, end) of the value together with the whitespace before it on the same line. When that
 * leaves a continuation line empty, the whole line goes.
 */
export function removeSpan(doc: SupervisorDocument, entry: Entry, start: number, end: number): TextEdit[] {
  const from = valueOffsetToPosition(entry, start);
  const to = valueOffsetToPosition(entry, end);
  const line = lineText(doc, from.line);
  const isContinuation = from.line !== entry.keyRange.start.line;
  if (from.line === to.line && isContinuation && isBlank(line.slice(0, from.character)) && isBlank(stripInlineComment(line.slice(to.character)))) {
    if (isBlank(line.slice(to.character))) return deleteLines(doc, [from.line]);
  }
  let startChar = from.character;
  while (startChar > 0 && (line[startChar - 1] === ' ' || line[startChar - 1] === '\t')) startChar--;
  if (startChar === 0 && isContinuation) {
    // Keep the indentation that makes this a continuation line; drop the space after the option instead.
    startChar = from.character;
    const after = lineText(doc, to.line);
    let endChar = to.character;
    while (endChar < after.length && (after[endChar] === ' ' || after[endChar] === '\t')) endChar++;
    return [{ range: { start: from, end: { line: to.line, character: endChar } }, newText: '' }];
  }
  return [{ range: { start: { line: from.line, character: startChar }, end: to }, newText: '' }];
}

function stripInlineComment(s: string): string {
  const m = /(^|\s)[;#]/.exec(s);
  return m ? s.slice(0, m.index) : s;
}

export function removeOption(doc: SupervisorDocument, entry: Entry, option: CeleryOption): TextEdit[] {
  return removeSpan(doc, entry, option.start, option.end);
}

export type OptionStyle = 'equals' | 'long' | 'short';

/** How this command writes options, so inserted ones look like the user's own. */
export function optionStyle(celery: CeleryCommand): OptionStyle {
  const all = [...celery.globalOptions, ...celery.options].filter((o) => o.form !== 'flag');
  if (all.some((o) => o.form === 'equals' && o.spelling.startsWith('--'))) return 'equals';
  if (all.length && all.every((o) => o.spelling.startsWith('--'))) return 'long';
  return 'short';
}

/** ` -l info`, ` --loglevel info` or ` --loglevel=info` depending on the style. */
export function formatOption(style: OptionStyle, long: string, short: string | undefined, value: string): string {
  if (style === 'equals') return ` ${long}=${value}`;
  if (style === 'long' || !short) return ` ${long} ${value}`;
  return ` ${short} ${value}`;
}
