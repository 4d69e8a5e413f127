/**
 * Template syntax in a string, with no document model: the constructs of one value (`templateSpans`),
 * and what a line of nothing but template code renders to (`templateLineKindIn`). The engine
 * (rules/schema/template.ts), content detection (detect.ts) and the Celery command reader share these,
 * so they agree on what is template code.
 */

export interface Span {
  start: number;
  end: number;
}

/** `${NAME}`, `${NAME:-default}` ...; or `${a.b}` (JavaScript, Terraform), which no shell expands ("bad substitution"): a template's. */
const SHELL_VAR = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*([:?=+-]|$)/;

/** Template expressions in one string (a value, a key or a header): `{{ }}`, `{% %}`, `{# #}`, `<% %>`, `${NAME}`. */
export function templateSpans(s: string, withShellVars = true): Span[] {
  const spans: Span[] = [];
  if (s.indexOf('{') === -1 && s.indexOf('<%') === -1) return spans;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    let close: string | undefined;
    if (c === '{' && (s[i + 1] === '{' || s[i + 1] === '%' || s[i + 1] === '#')) close = s[i + 1] === '{' ? '}}' : `${s[i + 1]}}`;
    else if (c === '<' && s[i + 1] === '%') close = '%>';
    else if (withShellVars && c === '$' && s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end > i + 2 && SHELL_VAR.test(s.slice(i + 2, end))) {
        spans.push({ start: i, end: end + 1 });
        i = end + 1;
        continue;
      }
    }
    if (close) {
      const end = s.indexOf(close, i + 2);
      if (end !== -1) {
        spans.push({ start: i, end: end + close.length });
        i = end + close.length;
        continue;
      }
    }
    i++;
  }
  return spans;
}

/**
 * `statements` for a line of only `{% %}`, `{# #}` and `<% %>` constructs (also followed by a `;`/`#`
 * comment): it renders to nothing. `text` when one of them is an expression (`{{ x }}`, `<%= x %>`):
 * it renders to text the file does not show. Undefined for any other line. `end` is exclusive and may
 * include the line break.
 */
export function templateLineKindIn(text: string, start: number, end: number): 'statements' | 'text' | undefined {
  let at = start;
  let constructs = 0;
  let renders = false;
  for (;;) {
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    if (at >= end) break;
    const c = text.charCodeAt(at);
    const next = text.charCodeAt(at + 1);
    let close = '';
    if (c === 123 /* { */ && (next === 123 || next === 37 /* % */ || next === 35 /* # */)) close = next === 123 ? '}}' : next === 37 ? '%}' : '#}';
    else if (c === 60 /* < */ && next === 37) close = '%>';
    else if (constructs && (c === 59 /* ; */ || c === 35 /* # */)) break; // a comment follows: rendered, the line starts with it
    if (!close) return undefined;
    const closed = closeOnLine(text, at + 2, end, close);
    if (closed < 0) return undefined;
    if (next === 123 || (c === 60 && text.charCodeAt(at + 2) === 61 /* = */)) renders = true;
    constructs++;
    at = closed + 2;
  }
  return constructs === 0 ? undefined : renders ? 'text' : 'statements';
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Where `close` (two characters) starts between `from` and `end`, or -1: never past the line. */
function closeOnLine(text: string, from: number, end: number, close: string): number {
  const a = close.charCodeAt(0);
  const b = close.charCodeAt(1);
  for (let i = from; i + 1 < end; i++) if (text.charCodeAt(i) === a && text.charCodeAt(i + 1) === b) return i;
  return -1;
}
