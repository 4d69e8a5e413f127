/**
 * supervisor turns `command=` into an argv with `shlex.split(command)` (Python shlex, posix=True,
 * comments=False, whitespace_split=True). This is a faithful re-implementation that also remembers
 * where every character of every token came from, so findings can point into the original text.
 *
 * Everything works in offset space: UTF-16 indexes into the string that was split. Pure TS, linear
 * time, never throws.
 */

export interface ArgToken {
  /** The token after quote and escape removal (what the program receives in argv). */
  text: string;
  /** Raw span of the token in the split string, including quotes and backslashes. */
  start: number;
  end: number;
  /** offsets[i] is the raw offset of text[i] (for an escaped character: of the character, not the backslash). */
  offsets: number[];
}

export interface ArgvError {
  /** Exactly Python's shlex message: 'No closing quotation' or 'No escaped character'. */
  message: string;
  /** The opening quote that is never closed, or the trailing backslash. */
  offset: number;
}

export interface ArgvResult {
  /** Tokens completed before the error (the token being read when the error happened is not included). */
  tokens: ArgToken[];
  error?: ArgvError;
}

/** A token whose text is exactly its raw span: offsets are computed, not stored. */
class PlainToken implements ArgToken {
  constructor(
    public text: string,
    public start: number,
    public end: number,
  ) {}
  get offsets(): number[] {
    const out = new Array<number>(this.text.length);
    for (let k = 0; k < out.length; k++) out[k] = this.start + k;
    return out;
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** shlex's default whitespace: ' \t\r\n'. */
export function isShlexWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/** What makes shlex do more than cut at spaces: other whitespace, quotes, backslashes. */
const NOT_PLAIN = /[\t\n\r'"\\]/;

/**
 * The tokens of splitArgvTransient: one list and its token objects, rewritten by every call. Emptied
 * with pop, which keeps the list's room.
 */
const transientTokens: ArgToken[] = [];
const transientPool: PlainToken[] = [];
const transientResult: ArgvResult = { tokens: transientTokens };

/**
 * splitArgv for a caller that keeps neither the result nor any token past its next call (the token
 * texts are ordinary strings and may be kept): the usual command (spaces between plain tokens) is
 * split into token objects reused from call to call. Not reentrant.
 */
export function splitArgvTransient(s: string): ArgvResult {
  if (typeof s !== 'string' || NOT_PLAIN.test(s)) return splitArgv(s);
  while (transientTokens.length > 0) transientTokens.pop();
  splitPlain(s, transientTokens, transientPool);
  return transientResult;
}

/**
 * The usual command (spaces separate the tokens, and each token is its raw text), split into `tokens`.
 * With a pool, token objects come from it (and new ones join it up to a limit).
 */
function splitPlain(s: string, tokens: ArgToken[], pool?: PlainToken[]): void {
  const n = s.length;
  let i = 0;
  let count = 0;
  while (i < n) {
    if (s.charCodeAt(i) === SPACE) {
      i++;
      continue;
    }
    let j = s.indexOf(' ', i);
    if (j < 0) j = n;
    // A short option ('-A', '-l') is a shared string, not one made per command.
    const c1 = j - i === 2 && s.charCodeAt(i) === 0x2d ? s.charCodeAt(i + 1) : 128;
    const text = c1 < 128 ? DASH_CHAR[c1] : s.slice(i, j);
    let tok: PlainToken;
    if (pool && count < pool.length) {
      tok = pool[count];
      tok.text = text;
      tok.start = i;
      tok.end = j;
    } else {
      tok = new PlainToken(text, i, j);
      if (pool && pool.length < MAX_TRANSIENT_TOKENS) pool.push(tok);
    }
    tokens.push(tok);
    count++;
    i = j;
  }
}

/** '-' and an ASCII character, for every ASCII character. */
const DASH_CHAR: readonly string[] = Array.from({ length: 128 }, (_, c) => '-' + String.fromCharCode(c));

/** Token objects kept for reuse (a longer command makes the rest anew). */
const MAX_TRANSIENT_TOKENS = 256;

/** `shlex.split(s)` with posix=True, comments=False, whitespace_split=True. */
export function splitArgv(s: string): ArgvResult {
  const tokens: ArgToken[] = [];
  if (typeof s !== 'string') return { tokens };
  const n = s.length;
  let i = 0;
  if (!NOT_PLAIN.test(s)) {
    splitPlain(s, tokens);
    return { tokens };
  }
  while (i < n) {
    if (isShlexWhitespace(s.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    // Most tokens have no quotes or escapes: take them as one slice without a per-character offset table.
    let j = i;
    for (; j < n; j++) {
      const c = s.charCodeAt(j);
      if (isShlexWhitespace(c) || c === SQUOTE || c === DQUOTE || c === BACKSLASH) break;
    }
    if (j >= n || isShlexWhitespace(s.charCodeAt(j))) {
      tokens.push(new PlainToken(s.slice(start, j), start, j));
      i = j;
      continue;
    }
    let text = '';
    const offsets: number[] = [];
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isShlexWhitespace(c)) break;
      if (c === SQUOTE) {
        const open = i;
        i++;
        const from = i;
        while (i < n && s.charCodeAt(i) !== SQUOTE) {
          offsets.push(i);
          i++;
        }
        if (i >= n) return { tokens, error: { message: 'No closing quotation', offset: open } };
        text += s.slice(from, i);
        i++;
        continue;
      }
      if (c === DQUOTE) {
        const open = i;
        i++;
        for (;;) {
          if (i >= n) return { tokens, error: { message: 'No closing quotation', offset: open } };
          const d = s.charCodeAt(i);
          if (d === DQUOTE) {
            i++;
            break;
          }
          if (d === BACKSLASH) {
            if (i + 1 >= n) return { tokens, error: { message: 'No escaped character', offset: i } };
            const e = s.charCodeAt(i + 1);
            // In posix mode only the quote itself and the backslash can be escaped inside "...".
            if (e !== DQUOTE && e !== BACKSLASH) {
              text += '\\';
              offsets.push(i);
            }
            text += s[i + 1];
            offsets.push(i + 1);
            i += 2;
            continue;
          }
          text += s[i];
          offsets.push(i);
          i++;
        }
        continue;
      }
      if (c === BACKSLASH) {
        if (i + 1 >= n) return { tokens, error: { message: 'No escaped character', offset: i } };
        text += s[i + 1];
        offsets.push(i + 1);
        i += 2;
        continue;
      }
      text += s[i];
      offsets.push(i);
      i++;
    }
    tokens.push({ text, start, end: i, offsets });
  }
  return { tokens };
}

/**
 * Raw offset of the boundary before text[k] (k in 0..text.length). The raw characters between two text
 * characters (closing/opening quotes, a backslash) belong to the following character, so the spans of
 * consecutive ranges tile the token exactly: boundary(0) = start, boundary(length) = end.
 */
export function tokenBoundary(tok: ArgToken, k: number): number {
  const len = tok.text.length;
  if (!(k > 0)) return tok.start;
  if (k >= len) return tok.end;
  if (tok instanceof PlainToken) return tok.start + k;
  return tok.offsets[k - 1] + 1;
}

/** Raw [start, end) span in the split string for tok.text[i..j). Arguments are clamped; never throws. */
export function tokenTextRange(tok: ArgToken, i: number, j: number): { start: number; end: number } {
  const len = tok.text.length;
  let a = Number.isFinite(i) ? Math.trunc(i) : 0;
  let b = Number.isFinite(j) ? Math.trunc(j) : len;
  if (a < 0) a = 0;
  if (a > len) a = len;
  if (b < a) b = a;
  if (b > len) b = len;
  return { start: tokenBoundary(tok, a), end: tokenBoundary(tok, b) };
}

/** The part of a path after the last '/' (what supervisor / the OS calls the program by). */
export function basename(path: string): string {
  const k = path.lastIndexOf('/');
  return k < 0 ? path : path.slice(k + 1);
}
