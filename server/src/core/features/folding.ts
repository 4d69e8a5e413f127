import { entryEndLine, entryStartLine, type SupervisorDocument } from '../model/document';

export interface FoldingRangeInfo {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

/**
 * A fold per section, per multi-line value, and per block of comment lines. A section folds from its
 * header to its last non-blank line before the next header, so the options commented out after its last
 * key (`;stopwaitsecs=600`) fold with it; a comment block right above the next header (no blank line
 * between) introduces that section and stays outside. Asked for after every edit: lines are read
 * without building a range or parts per entry.
 */
export function foldingRanges(doc: SupervisorDocument): FoldingRangeInfo[] {
  const ranges: FoldingRangeInfo[] = [];
  const commentLines = new Set<number>();
  let blockStart = -1;
  let previous = -2;
  const flush = () => {
    if (blockStart >= 0 && previous > blockStart) ranges.push({ startLine: blockStart, endLine: previous, kind: 'comment' });
  };
  for (const c of doc.comments) {
    if (c.inline) continue;
    const line = c.line;
    commentLines.add(line);
    if (line !== previous + 1) {
      flush();
      blockStart = line;
    }
    previous = line;
  }
  flush();
  const sections = doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    const header = section.headerLine;
    let end = header;
    for (const e of section.entries) {
      const last = entryEndLine(e);
      if (last > end) end = last;
      const first = entryStartLine(e);
      if (last > first) ranges.push({ startLine: first, endLine: last });
    }
    let last = section.endLine;
    while (last > header && isBlank(doc, last)) last--;
    // Comment lines that touch the next header are its introduction, not this section's.
    if (i + 1 < sections.length && last === section.endLine && commentLines.has(last)) {
      while (last > header && commentLines.has(last)) last--;
      while (last > header && isBlank(doc, last)) last--;
    }
    if (last > end) end = last;
    if (end > header) ranges.push({ startLine: header, endLine: end });
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}

/** Whether the line holds nothing but spaces and tabs. */
function isBlank(doc: SupervisorDocument, line: number): boolean {
  const text = doc.text;
  const end = line + 1 < doc.lineStarts.length ? doc.lineStarts[line + 1] : text.length;
  for (let at = doc.lineStarts[line] ?? end; at < end; at++) {
    const c = text.charCodeAt(at);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}
