/**
 * Whether the file behind an open document is UTF-8 on disk. supervisor reads the bytes, and stops at
 * the first one that is not UTF-8 (invalid-utf8); the editor hands the server text it has decoded
 * already (U+FFFD for such bytes, or Latin-1 text when the editor guessed that encoding). So the server
 * looks at the bytes itself: once per change of the file on disk (its size and time), not per keystroke.
 */
import * as fs from 'node:fs';
import { decodeUtf8, type Utf8Error } from './core/model/utf8';

interface DiskReading {
  mtimeMs: number;
  size: number;
  /** The bytes decoded as UTF-8, with U+FFFD where they are not. */
  text: string;
  utf8Error?: Utf8Error;
  /** The line of the first bad byte, and its byte offset in that line (one character per byte in Latin-1). */
  line: number;
  byteInLine: number;
}

/** Files larger than this are not read again here (the CLI still checks them). */
const MAX_BYTES = 4 * 1024 * 1024;

export class DiskEncoding {
  private readonly readings = new Map<string, DiskReading>();

  /**
   * Where `text` (the document's) has the first byte that is not UTF-8 in the file on disk, or undefined
   * when the file is UTF-8, unreadable or too large. Text that differs from the disk (edited, or decoded
   * in another encoding) gets the line of the bad byte and, when the line has one character per byte, its column.
   */
  utf8ErrorOf(file: string, text: string): Utf8Error | undefined {
    const reading = this.read(file);
    if (!reading?.utf8Error) return undefined;
    if (reading.text === text) return reading.utf8Error;
    const starts = lineStarts(text, reading.line + 1);
    if (starts.length <= reading.line) return undefined;
    const start = starts[reading.line];
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    return { ...reading.utf8Error, offset: start + (reading.byteInLine < length ? reading.byteInLine : 0) };
  }

  forget(file: string): void {
    this.readings.delete(file);
  }

  private read(file: string): DiskReading | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.readings.delete(file);
      return undefined;
    }
    if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
    const known = this.readings.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const { text, utf8Error } = decodeUtf8(bytes);
    const bad = utf8Error?.byteOffset ?? 0;
    let line = 0;
    let lineStart = 0;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < bad; i = bytes.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const reading: DiskReading = { mtimeMs: stat.mtimeMs, size: stat.size, text, line, byteInLine: bad - lineStart, ...(utf8Error ? { utf8Error } : {}) };
    this.readings.set(file, reading);
    return reading;
  }
}

/** The offsets where the first `count` lines of `text` start. */
function lineStarts(text: string, count: number): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1 && starts.length < count; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}
