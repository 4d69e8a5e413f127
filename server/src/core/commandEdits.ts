/**
 * Ranges and edits inside a `command=` value. Command readers work in offsets of the entry's effective
 * value; these helpers turn those offsets into document ranges and edits that leave the rest of the
 * line (spacing, comments, continuation layout) as it was.
 */
import { lineText, valueOffsetToPosition, valueSpanToRange, type Entry, type SupervisorDocument } from './model/document';
import type { Range, TextEdit } from './model/types';
import type { CeleryCommand, CeleryOption } from './command/celery';
import { deleteLines } from './edits';
import { splitArgv } from './command/argv';
import { runuserCommand } from './command/invocation';

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

/**
 * Inserts option words (Celery's ` -l info`, a wrapper's ` --foreground`) at `offset` of the command.
 * Behind `runuser -u USER` without `--`, runuser would read them as its own and refuse them, and the
 * worker would never start (runuser-without-double-dash): `-- ` goes before the program too, unless a
 * `--` before `offset` already ends runuser's options. Two such fixes touch the same place, so Fix all
 * applies one per pass.
 */
export function insertOptionWords(entry: Entry, celery: CeleryCommand, offset: number, text: string): TextEdit[] {
  const edit = insertAt(entry, offset, text);
  if (celery.viaShell || !entry.value.includes('runuser')) return [edit];
  const tokens = splitArgv(entry.value).tokens;
  const run = runuserCommand(tokens);
  if (!run || run.dashDash || tokens[run.program].start > offset) return [edit];
  // getopt takes the first `--` as the end of runuser's options (`runuser -u app celery -- worker`).
  for (let k = run.program + 1; k < tokens.length && tokens[k].start < offset; k++) if (tokens[k].text === '--') return [edit];
  return [insertAt(entry, tokens[run.program].start, '-- '), edit];
}

/**
 * Replaces [start, end) of the value with `text`. Across lines, the parts are edited one by one (the
 * first takes the text, the others lose what the span covers), so comment lines between the value's
 * lines and an inline comment ending one of them stay: the words are the same, as line breaks only
 * separate them.
 */
export function replaceSpan(entry: Entry, start: number, end: number, text: string): TextEdit[] {
  const range = valueSpanToRange(entry, start, end);
  if (range.start.line === range.end.line) return [{ range, newText: text }];
  return spanPieces(entry, start, end).map((piece, k) => ({ range: valueSpanToRange(entry, piece.start, piece.end), newText: k === 0 ? text : '' }));
}

/**
 * [start, end) cut at the value's line breaks: one piece per line it covers (the first may be empty when
 * the span starts at a line's end, so that text put there has a place). One edit over several lines
 * would also delete what lies between their value text: comment lines, and an inline comment ending a line.
 */
function spanPieces(entry: Entry, start: number, end: number): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let at = 0;
  for (const part of entry.parts) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + part.text.length);
    if (from < to || (from === to && pieces.length === 0 && from === start)) pieces.push({ start: from, end: to });
    at += part.text.length + 1;
  }
  return pieces;
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

/**
 * Removes [start, end) of the value together with the whitespace before it on the same line. When that
 * leaves a continuation line empty, the whole line goes. Across lines, each line's share goes this way.
 */
export function removeSpan(doc: SupervisorDocument, entry: Entry, start: number, end: number): TextEdit[] {
  return removeSpans(doc, entry, [{ start, end }]);
}

/**
 * Removes several spans of one value in one set of edits, each as removeSpan would. Spans that only
 * spaces separate on a line go as one: removed one by one, the first option of a continuation line
 * takes the space after it (the indentation stays) and the next option the same space before it, and
 * an editor refuses the whole edit for that overlap. Lines left empty go as whole lines.
 */
export function removeSpans(doc: SupervisorDocument, entry: Entry, spans: readonly { start: number; end: number }[]): TextEdit[] {
  const value = entry.value;
  // Removed line by line, so comment lines and inline comments between a span's lines stay.
  const sorted = spans.flatMap((s) => spanPieces(entry, s.start, s.end).filter((p) => p.start < p.end)).sort((a, b) => a.start - b.start);
  const emptied: number[] = [];
  const edits: TextEdit[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const start = sorted[k].start;
    let end = sorted[k].end;
    while (k + 1 < sorted.length && /^[ \t]*$/.test(value.slice(end, sorted[k + 1].start))) end = Math.max(end, sorted[++k].end);
    const line = emptiedLine(doc, entry, start, end);
    if (line === undefined) edits.push(removalEdit(doc, entry, start, end));
    else emptied.push(line);
  }
  return [...deleteLines(doc, emptied), ...edits];
}

/** The continuation line that holds nothing but [start, end) (and spaces), or undefined. */
function emptiedLine(doc: SupervisorDocument, entry: Entry, start: number, end: number): number | undefined {
  const from = valueOffsetToPosition(entry, start);
  const to = valueOffsetToPosition(entry, end);
  if (from.line !== to.line || from.line === entry.keyRange.start.line) return undefined;
  const line = lineText(doc, from.line);
  return isBlank(line.slice(0, from.character)) && isBlank(line.slice(to.character)) ? from.line : undefined;
}

/** [start, end) and the whitespace before it, or after it at the start of a continuation line. */
function removalEdit(doc: SupervisorDocument, entry: Entry, start: number, end: number): TextEdit {
  const from = valueOffsetToPosition(entry, start);
  const to = valueOffsetToPosition(entry, end);
  const line = lineText(doc, from.line);
  const isContinuation = from.line !== entry.keyRange.start.line;
  let startChar = from.character;
  while (startChar > 0 && (line[startChar - 1] === ' ' || line[startChar - 1] === '\t')) startChar--;
  if (startChar === 0 && isContinuation) {
    // Keep the indentation that makes this a continuation line; drop the space after the option instead.
    const after = lineText(doc, to.line);
    let endChar = to.character;
    while (endChar < after.length && (after[endChar] === ' ' || after[endChar] === '\t')) endChar++;
    return { range: { start: from, end: { line: to.line, character: endChar } }, newText: '' };
  }
  return { range: { start: { line: from.line, character: startChar }, end: to }, newText: '' };
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
