/**
 * Decoding a file's bytes as supervisor does: Python opens the config with the locale's encoding, which is
 * UTF-8 (also under LANG=C, by PEP 538 and 540), and stops at the first bytes it cannot decode. Only a
 * caller that reads bytes can know them (the CLI); an editor hands over text it has decoded already.
 */

/** The first bytes that are not UTF-8, in Python's words, and where the decoded text has U+FFFD for them. */
export interface Utf8Error {
  /** Offset in the decoded text. */
  offset: number;
  /** Offset in the bytes. */
  byteOffset: number;
  /** The first byte Python cannot decode. */
  byte: number;
  /** How many bytes its message names ("can't decode byte 0xe9", or "bytes in position 1-2" for more). */
  length: number;
  reason: 'invalid start byte' | 'invalid continuation byte' | 'unexpected end of data';
}

export interface DecodedText {
  /** Bad bytes replaced by U+FFFD; a byte order mark kept as U+FEFF, so the parser sees it (utf8-bom). */
  text: string;
  utf8Error?: Utf8Error;
}

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  // Bytes that are not UTF-8 always leave a U+FFFD; most files have none, and need no second look.
  const bad = text.includes('\ufffd') ? firstBadBytes(bytes) : undefined;
  if (!bad) return { text };
  const offset = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad.at)).length;
  return { text, utf8Error: { offset, byteOffset: bad.at, byte: bytes[bad.at], length: bad.length, reason: bad.reason } };
}

/** Where the bytes stop being UTF-8, as CPython's decoder tells it (a U+FFFD written as UTF-8 is valid). */
function firstBadBytes(bytes: Uint8Array): { at: number; length: number; reason: Utf8Error['reason'] } | undefined {
  for (let at = 0; at < bytes.length; ) {
    const lead = bytes[at];
    if (lead < 0x80) {
      at++;
      continue;
    }
    const continuations = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (!continuations) return { at, length: 1, reason: 'invalid start byte' };
    // The second byte's range leaves out overlong forms (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= continuations; k++) {
      if (at + k >= bytes.length) return { at, length: k, reason: 'unexpected end of data' };
      const next = bytes[at + k];
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return { at, length: k, reason: 'invalid continuation byte' };
    }
    at += continuations + 1;
  }
  return undefined;
}
