/**
 * Offset ↔ position mapping inside a multi-line value by binary search over its parts, given where
 * each part starts in the joined value (`partStartOffsets`). A rule that reports many findings inside
 * one long value maps each in O(log parts) instead of walking every line before it.
 */
import type { ValuePart } from './document';
import type { Position } from './types';
import { partitionPoint } from '../partitionPoint';

/** Where each part's text starts in `parts.map(p => p.text).join('\n')`. */
export function partStartOffsets(parts: readonly ValuePart[]): Int32Array {
  const starts = new Int32Array(parts.length);
  let acc = 0;
  for (let i = 0; i < parts.length; i++) {
    starts[i] = acc;
    acc += parts[i].text.length + 1;
  }
  return starts;
}

/**
 * The position of `offset` in the joined value: in the first part whose end is at or after it, so an
 * offset on the joining '\n' is the end of the line before; clamped to the value's start and end
 * (NaN goes to the end). Undefined when there are no parts.
 */
export function positionInParts(parts: readonly ValuePart[], starts: Int32Array, offset: number): Position | undefined {
  const lastIndex = parts.length - 1;
  if (lastIndex < 0) return undefined;
  const last = parts[lastIndex];
  if (!(offset <= starts[lastIndex] + last.text.length)) return { line: last.line, character: last.startChar + last.text.length };
  // Part ends strictly increase (each part starts one '\n' after the previous one's end).
  const lo = partitionPoint(lastIndex, (i) => starts[i] + parts[i].text.length < offset);
  const part = parts[lo];
  return { line: part.line, character: part.startChar + Math.max(0, offset - starts[lo]) };
}

/**
 * The offset in the joined value of a position on the first part of its line, or -1 when no part is
 * on that line or the column falls outside that part's text. Parts must be in line order (the parser's are).
 */
export function offsetInParts(parts: readonly ValuePart[], starts: Int32Array, position: Position): number {
  const line = position.line;
  const lo = partitionPoint(parts.length, (i) => parts[i].line < line);
  const part = parts[lo];
  if (part === undefined || part.line !== line) return -1;
  const c = position.character - part.startChar;
  return c >= 0 && c <= part.text.length ? starts[lo] + c : -1;
}
