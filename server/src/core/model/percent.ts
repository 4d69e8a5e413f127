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
    if (conversion === 's' && specEnd === close + 2) {
      out += String(value); // the usual %(name)s, without a spec to read
      continue;
    }
    const text = formatted(value, conversion, s.slice(close + 1, specEnd - 1));
    if (text === undefined) return undefined;
    out += text;
  }
  return out + s.slice(at);
}

/**
 * One value as Python's printf-style formatting writes it for `%(name)<spec><conversion>`: flags
 * ('-' left-justifies, '0' pads numbers with zeros, '+' and ' ' sign positive numbers), width and
 * precision (at least that many digits for d, at most that many characters for s and r). Undefined for
 * a conversion not read here (x, o, f, c ...) or one Python would refuse (d of a text).
 */
function formatted(value: string | number, conversion: string, spec: string): string | undefined {
  let k = 0;
  let left = false;
  let zero = false;
  let sign = '';
  for (; k < spec.length; k++) {
    const c = spec[k];
    if (c === '-') left = true;
    else if (c === '0') zero = true;
    else if (c === '+') sign = '+';
    else if (c === ' ') sign ||= ' ';
    else if (c !== '#') break;
  }
  let width = 0;
  for (; k < spec.length && isDigit(spec[k]); k++) width = width * 10 + Number(spec[k]);
  let precision: number | undefined;
  if (spec[k] === '.') {
    precision = 0;
    for (k++; k < spec.length && isDigit(spec[k]); k++) precision = precision * 10 + Number(spec[k]);
  }
  let text: string;
  if (conversion === 's' || conversion === 'r' || conversion === 'a') {
    const shown = conversion === 's' || typeof value === 'number' ? String(value) : pyRepr(value);
    if (shown === undefined) return undefined;
    text = precision === undefined ? shown : shown.slice(0, precision);
    zero = false; // '0' pads numbers only
    sign = '';
  } else if (conversion === 'd' || conversion === 'i' || conversion === 'u') {
    if (typeof value !== 'number') return undefined;
    text = String(Math.abs(Math.trunc(value)));
    if (precision !== undefined) text = text.padStart(precision, '0');
    if (value < 0) sign = '-';
  } else return undefined;
  if (sign.length + text.length >= width) return sign + text;
  if (left) return (sign + text).padEnd(width, ' ');
  if (zero) return sign + text.padStart(width - sign.length, '0');
  return (sign + text).padStart(width, ' ');
}

/** Python's repr() of a text of printable ASCII (and tabs, line breaks); undefined for other characters, whose escapes are not worth copying. */
function pyRepr(text: string): string | undefined {
  if (/[^\t\n\r\x20-\x7e]/.test(text)) return undefined;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}
