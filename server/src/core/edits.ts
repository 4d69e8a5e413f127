/** Building blocks for quick fixes: edits that touch only what they mean to change. */
import { lineText, sectionIndexAt, type Entry, type SupervisorDocument } from './model/document';
import type { TextEdit } from './model/types';

/**
 * Removes whole lines, line breaks included; the lines must be sorted and distinct. Consecutive lines go
 * as one edit: at the end of a file without a final line break, each would take the break before it,
 * which is the break the line before it removes too.
 */
export function deleteLines(doc: SupervisorDocument, lines: number[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (let k = 0; k < lines.length; k++) {
    const first = lines[k];
    while (k + 1 < lines.length && lines[k + 1] === lines[k] + 1) k++;
    const last = lines[k];
    if (last + 1 < doc.lineCount) {
      edits.push({ range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' });
      continue;
    }
    // The last line has no break after it: take the one before the first instead.
    const start = first > 0 ? { line: first - 1, character: lineText(doc, first - 1).length } : { line: first, character: 0 };
    edits.push({ range: { start, end: { line: last, character: lineText(doc, last).length } }, newText: '' });
  }
  return edits;
}

/** Removes an entry: its key line and its continuation lines, keeping comment lines that sit between them. */
export function deleteEntry(doc: SupervisorDocument, entry: Entry): TextEdit[] {
  const lines = [...new Set(entry.parts.map((p) => p.line))];
  return deleteLines(doc, lines);
}

/** Inserts whole lines after `line`, in the file's own line ending. */
export function insertLinesAfter(doc: SupervisorDocument, line: number, newLines: string[]): TextEdit {
  const eol = doc.eol;
  const end = { line, character: lineText(doc, line).length };
  return { range: { start: end, end }, newText: newLines.map((l) => eol + l).join('') };
}

/**
 * Inserts `key=value` lines after `line`, indented as the key line they follow (right after a header,
 * as the key line after them). configparser reads a line indented deeper than the key line before it as
 * that value's continuation: an unindented key among indented ones would swallow the keys after it.
 */
export function insertKeyLinesAfter(doc: SupervisorDocument, line: number, keyLines: string[]): TextEdit {
  const indent = keyIndentation(doc, line);
  return insertLinesAfter(doc, line, indent ? keyLines.map((l) => indent + l) : keyLines);
}

/** The indentation of the last key line at or above `line` in its section, else of the section's first key line ('' for none). */
export function keyIndentation(doc: SupervisorDocument, line: number): string {
  const index = sectionIndexAt(doc, line);
  if (index < 0) return '';
  const entries = doc.sections[index].entries;
  let entry: Entry | undefined = entries[0];
  for (const e of entries) {
    if (e.keyRange.start.line > line) break;
    entry = e;
  }
  if (!entry) return '';
  const indent = lineText(doc, entry.keyRange.start.line).slice(0, entry.keyRange.start.character);
  return indent.trim() === '' ? indent : '';
}

/**
 * Appends lines at the end of the file, separated from what is there by one blank line. A file without
 * a final line break stays without one.
 */
export function appendLines(doc: SupervisorDocument, lines: string[]): TextEdit {
  const eol = doc.eol;
  const last = doc.lineCount - 1;
  const lastText = lineText(doc, last);
  if (last === 0 && lastText === '') return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: lines.join(eol) + eol };
  if (lastText === '') {
    const blankBefore = lineText(doc, last - 1).trim() === '';
    return { range: { start: { line: last, character: 0 }, end: { line: last, character: 0 } }, newText: (blankBefore ? '' : eol) + lines.join(eol) + eol };
  }
  // After a line that holds text, or only blanks: a header there would be indented, a continuation line.
  const end = { line: last, character: lastText.length };
  return { range: { start: end, end }, newText: eol + eol + lines.join(eol) };
}

/** The last line of a section that holds content (not trailing blank or comment lines). */
export function lastContentLine(doc: SupervisorDocument, sectionIndex: number): number {
  const section = doc.sections[sectionIndex];
  let last = section.headerRange.start.line;
  for (const e of section.entries) {
    const l = e.parts[e.parts.length - 1].line;
    if (l > last) last = l;
  }
  return last;
}
