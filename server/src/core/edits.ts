/** Building blocks for quick fixes: edits that touch only what they mean to change. */
import { lineText, type Entry, type SupervisorDocument } from './model/document';
import type { TextEdit } from './model/types';

/** Removes whole lines, line breaks included; the lines must be sorted and distinct. */
export function deleteLines(doc: SupervisorDocument, lines: number[]): TextEdit[] {
  return lines.map((line) => {
    if (line + 1 < doc.lineCount) {
      return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' };
    }
    // The last line has no break after it: take the one before it instead.
    const start = line > 0 ? { line: line - 1, character: lineText(doc, line - 1).length } : { line, character: 0 };
    return { range: { start, end: { line, character: lineText(doc, line).length } }, newText: '' };
  });
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
