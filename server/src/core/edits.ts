/** Building blocks for quick fixes: edits that touch only what they mean to change. */
import { lineText, type Entry, type SupervisorDocument } from './model/document';
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
