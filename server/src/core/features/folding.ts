import type { SupervisorDocument } from '../model/document';

export interface FoldingRangeInfo {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

/** A fold per section (header to last content line), per multi-line value, and per block of comment lines. */
export function foldingRanges(doc: SupervisorDocument): FoldingRangeInfo[] {
  const ranges: FoldingRangeInfo[] = [];
  for (const section of doc.sections) {
    let end = section.headerRange.start.line;
    for (const e of section.entries) {
      const last = e.parts[e.parts.length - 1].line;
      if (last > end) end = last;
      if (last > e.range.start.line) ranges.push({ startLine: e.range.start.line, endLine: last });
    }
    if (end > section.headerRange.start.line) ranges.push({ startLine: section.headerRange.start.line, endLine: end });
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
