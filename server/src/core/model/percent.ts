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
 */
export function expandTemplate(template: string, names: Record<string, string | number>): string | undefined {
  let out = '';
  let at = 0;
  for (const t of scanPercent(template)) {
    out += template.slice(at, t.start);
    at = t.end;
    if (t.kind === 'escape') {
      out += '%';
      continue;
    }
    if (t.kind === 'stray' || t.name === undefined || !(t.name in names)) return undefined;
    const value = names[t.name];
    const spec = t.spec!;
    const conversion = spec[spec.length - 1];
    if (conversion === 's' || conversion === 'r' || conversion === 'a') {
      out += String(value);
      continue;
    }
    if (conversion !== 'd' && conversion !== 'i' && conversion !== 'u') return undefined;
    if (typeof value !== 'number') return undefined;
    const m = /^([#0\- +]*)(\d*)/.exec(spec)!;
    const width = m[2] ? Number(m[2]) : 0;
    const digits = String(Math.abs(Math.trunc(value)));
    const sign = value < 0 ? '-' : '';
    const body = sign + digits;
    if (body.length >= width) out += body;
    else if (m[1].includes('-')) out += body.padEnd(width, ' ');
    else if (m[1].includes('0')) out += sign + digits.padStart(width - sign.length, '0');
    else out += body.padStart(width, ' ');
  }
  return out + template.slice(at);
}
