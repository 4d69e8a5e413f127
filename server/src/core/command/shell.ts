/**
 * A small POSIX-shell word splitter for the script of `bash -c "..."` / `sh -c '...'` wrappers.
 *
 * It follows shlex's quoting (single quotes literal, backslash escapes outside quotes) with the shell's
 * refinements that matter for finding a command inside a script:
 * - unquoted `;` `&` `|` `&&` `||` `(` `)` and newlines are control operators (they end a simple command);
 * - unquoted `<` `>` (with an optional fd number: `2>&1`) are redirection operators;
 * - inside "...", backslash also escapes `$` and backquote, and backslash-newline is removed;
 * - `$(...)`, `${...}` and backquotes are kept inside one word;
 * - a word starting with `#` starts a comment;
 * - supervisor `%(name)s` expansions are literal word text (supervisor replaces them before the shell runs).
 * Offsets are indexes into the script string. Linear time, never throws.
 */
import type { ArgToken, ArgvError } from './argv';

export interface ShellToken extends ArgToken {
  /** Set for operators: 'control' (; & | && || ( ) newline) or 'redirect' (> >> < 2>&1 ...). */
  op?: 'control' | 'redirect';
}

export interface ShellSplit {
  tokens: ShellToken[];
  error?: ArgvError;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

const SEMI = 0x3b; // ;
const AMP = 0x26; // &
const PIPE = 0x7c; // |
const LT = 0x3c; // <
const GT = 0x3e; // >
const LPAREN = 0x28;
const RPAREN = 0x29;
const LF = 0x0a;
const SQ = 0x27;
const DQ = 0x22;
const BS = 0x5c;
const DOLLAR = 0x24;
const BACKTICK = 0x60;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const HASH = 0x23;
const PERCENT = 0x25;

function isOpChar(c: number): boolean {
  return c === SEMI || c === AMP || c === PIPE || c === LT || c === GT || c === LPAREN || c === RPAREN || c === LF;
}

export function splitShell(s: string): ShellSplit {
  const tokens: ShellToken[] = [];
  if (typeof s !== 'string') return { tokens };
  const n = s.length;
  let i = 0;

  // Length of the operator starting at i (which is an op char), and its kind.
  const opAt = (p: number): { len: number; kind: 'control' | 'redirect' } => {
    const c = s.charCodeAt(p);
    const c1 = p + 1 < n ? s.charCodeAt(p + 1) : -1;
    const c2 = p + 2 < n ? s.charCodeAt(p + 2) : -1;
    switch (c) {
      case SEMI:
        return { len: c1 === SEMI ? 2 : 1, kind: 'control' };
      case AMP:
        if (c1 === AMP) return { len: 2, kind: 'control' };
        if (c1 === GT) return { len: c2 === GT ? 3 : 2, kind: 'redirect' };
        return { len: 1, kind: 'control' };
      case PIPE:
        return { len: c1 === PIPE || c1 === AMP ? 2 : 1, kind: 'control' };
      case GT:
        return { len: c1 === GT || c1 === AMP || c1 === PIPE ? 2 : 1, kind: 'redirect' };
      case LT:
        if (c1 === LT) return { len: c2 === LT || c2 === 0x2d ? 3 : 2, kind: 'redirect' };
        return { len: c1 === AMP || c1 === GT ? 2 : 1, kind: 'redirect' };
      default:
        return { len: 1, kind: 'control' };
    }
  };

  const pushOp = (start: number, end: number, kind: 'control' | 'redirect'): void => {
    const offsets: number[] = [];
    for (let k = start; k < end; k++) offsets.push(k);
    tokens.push({ text: s.slice(start, end), start, end, offsets, op: kind });
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      while (i < n && s.charCodeAt(i) !== LF) i++;
      continue;
    }
    if (isOpChar(c)) {
      const op = opAt(i);
      pushOp(i, i + op.len, op.kind);
      i += op.len;
      continue;
    }
    // A word.
    const start = i;
    let text = '';
    const offsets: number[] = [];
    const add = (p: number): void => {
      text += s[p];
      offsets.push(p);
    };
    let ended = false;
    while (i < n && !ended) {
      const d = s.charCodeAt(i);
      if (isBlank(d)) break;
      if (isOpChar(d)) {
        // An fd number directly before a redirection belongs to the operator: `2>&1`.
        if ((d === GT || d === LT) && text.length > 0 && offsets[0] === start && allDigits(text) && offsets.length === i - start) {
          const op = opAt(i);
          pushOp(start, i + op.len, 'redirect');
          i += op.len;
          text = '';
          ended = true;
          continue;
        }
        break;
      }
      if (d === SQ) {
        const open = i;
        i++;
        while (i < n && s.charCodeAt(i) !== SQ) add(i++);
        if (i >= n) return { tokens, error: { message: 'No closing quotation', offset: open } };
        i++;
        continue;
      }
      if (d === DQ) {
        const open = i;
        i++;
        for (;;) {
          if (i >= n) return { tokens, error: { message: 'No closing quotation', offset: open } };
          const e = s.charCodeAt(i);
          if (e === DQ) {
            i++;
            break;
          }
          if (e === BS && i + 1 < n) {
            const f = s.charCodeAt(i + 1);
            if (f === LF) {
              i += 2;
              continue;
            }
            if (f === DQ || f === BS || f === DOLLAR || f === BACKTICK) {
              add(i + 1);
              i += 2;
              continue;
            }
            add(i++);
            continue;
          }
          if (e === DOLLAR && i + 1 < n && s.charCodeAt(i + 1) === LPAREN) {
            i = copyNested(s, i, add);
            continue;
          }
          if (e === BACKTICK) {
            i = copyBackticks(s, i, add);
            continue;
          }
          add(i++);
        }
        continue;
      }
      if (d === BS) {
        if (i + 1 >= n) {
          add(i++); // the shell keeps a trailing backslash
          continue;
        }
        if (s.charCodeAt(i + 1) === LF) {
          i += 2; // line continuation
          continue;
        }
        add(i + 1);
        i += 2;
        continue;
      }
      if (d === DOLLAR && i + 1 < n) {
        const f = s.charCodeAt(i + 1);
        if (f === LPAREN || f === LBRACE) {
          i = copyNested(s, i, add);
          continue;
        }
        if (f === SQ) {
          // $'...' (ANSI-C quoting): keep the content, honour \' and \\.
          const open = i + 1;
          i += 2;
          for (;;) {
            if (i >= n) return { tokens, error: { message: 'No closing quotation', offset: open } };
            const e = s.charCodeAt(i);
            if (e === SQ) {
              i++;
              break;
            }
            if (e === BS && i + 1 < n) {
              const f2 = s.charCodeAt(i + 1);
              if (f2 === SQ || f2 === BS) {
                add(i + 1);
                i += 2;
                continue;
              }
            }
            add(i++);
          }
          continue;
        }
      }
      if (d === BACKTICK) {
        i = copyBackticks(s, i, add);
        continue;
      }
      if (d === PERCENT && i + 1 < n && s.charCodeAt(i + 1) === LPAREN) {
        // supervisor's %(name)s expansion (replaced before the shell runs): one literal piece of the word.
        let q = i + 2;
        while (q < n && isNameChar(s.charCodeAt(q))) q++;
        if (q < n && s.charCodeAt(q) === RPAREN) {
          while (i <= q) add(i++);
          continue;
        }
      }
      add(i++);
    }
    if (!ended) tokens.push({ text, start, end: i, offsets });
  }
  return { tokens };
}

function isNameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function allDigits(t: string): boolean {
  if (t.length === 0) return false;
  for (let k = 0; k < t.length; k++) if (!isDigit(t.charCodeAt(k))) return false;
  return true;
}

/** Copies `$(...)` or `${...}` starting at p (the '$') verbatim; returns the index after it. */
function copyNested(s: string, p: number, add: (q: number) => void): number {
  const n = s.length;
  const open = s.charCodeAt(p + 1);
  const close = open === LPAREN ? RPAREN : RBRACE;
  add(p);
  add(p + 1);
  let depth = 1;
  let i = p + 2;
  while (i < n && depth > 0) {
    const c = s.charCodeAt(i);
    if (c === BS && i + 1 < n) {
      add(i);
      add(i + 1);
      i += 2;
      continue;
    }
    if (c === SQ) {
      add(i++);
      while (i < n && s.charCodeAt(i) !== SQ) add(i++);
      if (i < n) add(i++);
      continue;
    }
    if (c === open) depth++;
    else if (c === close) depth--;
    add(i++);
  }
  return i;
}

/** Copies a backquoted command substitution starting at p verbatim; returns the index after it. */
function copyBackticks(s: string, p: number, add: (q: number) => void): number {
  const n = s.length;
  add(p);
  let i = p + 1;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === BS && i + 1 < n) {
      add(i);
      add(i + 1);
      i += 2;
      continue;
    }
    add(i++);
    if (c === BACKTICK) break;
  }
  return i;
}
