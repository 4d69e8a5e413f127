import { entryEndLine, entryStartLine, type SupervisorDocument } from '../model/document';

export interface FoldingRangeInfo {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

/**
 * A fold per section (header to last content line), per multi-line value, and per block of comment lines.
 * Asked for after every edit: lines are read without building a range or parts per entry.
 */
export function foldingRanges(doc: SupervisorDocument): FoldingRangeInfo[] {
  const ranges: FoldingRangeInfo[] = [];
  for (const section of doc.sections) {
    const header = section.headerLine;
    let end = header;
    for (const e of section.entries) {
      const last = entryEndLine(e);
      if (last > end) end = last;
      const first = entryStartLine(e);
      if (last > first) ranges.push({ startLine: first, endLine: last });
    }
    if (end > header) ranges.push({ startLine: header, endLine: end });
  }
  let blockStart = -1;
  let previous = -2;
  const flush = () => {
    if (blockStart >= 0 && previous > blockStart) ranges.push({ startLine: blockStart, endLine: previous, kind: 'comment' });
  };
  for (const c of doc.comments) {
    if (c.inline) continue;
    const line = c.line;
    if (line !== previous + 1) {
      flush();
      blockStart = line;
    }
    previous = line;
  }
  flush();
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
