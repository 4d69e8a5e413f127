/**
 * supervisor runs values through Python %-formatting (`value % {names}`): `%(name)s` expands,
 * `%%` is a literal percent, anything else after `%` is an error. Scanned in one pass.
 */

export interface PercentToken {
  kind: 'expansion' | 'escape' | 'stray';
  /** Offsets into the scanned string; `end` is exclusive. */
  start: number;
  end: number;
  /** For expansions: the name inside the parentheses. */
  name?: string;
  /** For expansions: flags, width, precision and conversion, e.g. `02d` or `s`. */
  spec?: string;
}

const FLAGS = '#0- +';
const CONVERSIONS = 'diouxXeEfFgGcrsa';

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Reads the `[flags][width][.precision][length]conversion` part after `%(name)`; returns its end or -1. */
function readSpec(s: string, i: number): number {
  while (i < s.length && FLAGS.includes(s[i])) i++;
  while (i < s.length && isDigit(s[i])) i++;
  if (s[i] === '.') {
    i++;
    while (i < s.length && isDigit(s[i])) i++;
  }
  if (s[i] === 'h' || s[i] === 'l' || s[i] === 'L') i++;
  return i < s.length && CONVERSIONS.includes(s[i]) ? i + 1 : -1;
}

export function scanPercent(s: string): PercentToken[] {
  const tokens: PercentToken[] = [];
  let i = s.indexOf('%');
  while (i !== -1 && i < s.length) {
    if (s[i + 1] === '%') {
      tokens.push({ kind: 'escape', start: i, end: i + 2 });
      i = s.indexOf('%', i + 2);
      continue;
    }
    if (s[i + 1] === '(') {
      // Python matches the parenthesis depth of the key; supervisor names never nest, so the first ')' closes it.
      const close = s.indexOf(')', i + 2);
      const specEnd = close === -1 ? -1 : readSpec(s, close + 1);
      if (close !== -1 && specEnd !== -1 && !s.slice(i + 2, close).includes('(')) {
        tokens.push({ kind: 'expansion', start: i, end: specEnd, name: s.slice(i + 2, close), spec: s.slice(close + 1, specEnd) });
        i = s.indexOf('%', specEnd);
        continue;
      }
    }
    tokens.push({ kind: 'stray', start: i, end: Math.min(i + 2, s.length) });
    i = s.indexOf('%', i + 1);
  }
  return tokens;
}

/**
 * Expands `%(name)s`-style templates the way Python would for the names given; undefined when the
 * template uses a name we do not know (such as an environment variable) or is malformed.
 * Reads the template as scanPercent does, without building its tokens.
 */
export function expandTemplate(template: string, names: Record<string, string | number>): string | undefined {
  let i = template.indexOf('%');
  if (i < 0) return template;
  const s = template;
  let out = '';
  let at = 0;
  while (i !== -1 && i < s.length) {
    out += s.slice(at, i);
    const next = s.charCodeAt(i + 1);
    if (next === 0x25 /* % */) {
      out += '%';
      at = i + 2;
      i = s.indexOf('%', at);
      continue;
    }
    if (next !== 0x28 /* ( */) return undefined; // stray
    const close = s.indexOf(')', i + 2);
    if (close === -1) return undefined;
    const specEnd = readSpec(s, close + 1);
    if (specEnd === -1) return undefined;
    const nameStart = i + 2;
    const paren = s.indexOf('(', nameStart);
    if (paren !== -1 && paren < close) return undefined;
    const name = s.slice(nameStart, close);
    if (!Object.hasOwn(names, name)) return undefined;
    const value = names[name];
    const conversion = s[specEnd - 1];
    at = specEnd;
    i = s.indexOf('%', specEnd);
    if (conversion === 's' || conversion === 'r' || conversion === 'a') {
      out += String(value);
      continue;
    }
    if (conversion !== 'd' && conversion !== 'i' && conversion !== 'u') return undefined;
    if (typeof value !== 'number') return undefined;
    // [flags][width]: the flags that matter are '-' (left-justify) and '0' (zero padding).
    let k = close + 1;
    let left = false;
    let zero = false;
    for (; k < specEnd; k++) {
      const c = s.charCodeAt(k);
      if (c === 0x2d) left = true;
      else if (c === 0x30) zero = true;
      else if (c !== 0x23 && c !== 0x20 && c !== 0x2b) break;
    }
    let width = 0;
    for (; k < specEnd; k++) {
      const c = s.charCodeAt(k);
      if (c < 0x30 || c > 0x39) break;
      width = width * 10 + (c - 0x30);
    }
    const digits = String(Math.abs(Math.trunc(value)));
    const sign = value < 0 ? '-' : '';
    const body = sign + digits;
    if (body.length >= width) out += body;
    else if (left) out += body.padEnd(width, ' ');
    else if (zero) out += sign + digits.padStart(width - sign.length, '0');
    else out += body.padStart(width, ' ');
  }
  return out + s.slice(at);
}
