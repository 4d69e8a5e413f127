/**
 * supervisor 4.2.5's value parsers (supervisor/datatypes.py and the checks in options.py) as pure
 * functions: same accepted spellings, same error text. Python's own rules are followed where
 * supervisor leans on them (int(), str.lower(), shlex in non-POSIX mode, %-formatting).
 *
 * Every parser returns `{ ok: true, value }` or `{ ok: false, message }` with supervisor's message.
 */

import { isPySpace } from '../model/parse';
import { lookupTable } from '../lookupTable';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T = never>(message: string): Parsed<T> => ({ ok: false, message });

/** Python's str.isspace(): the parser's definition, re-exported for the value parsers' users. */
export { isPySpace };

/** Python's str.strip() without arguments. */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s.charCodeAt(a))) a++;
  while (b > a && isPySpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * s.toLowerCase(), but `s` itself when it has nothing to lower: toLowerCase always builds a new string,
 * and most values (true, info, paths) are written in lower case already.
 */
export function lowerCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return s.toLowerCase();
  }
  return s;
}

/** s.toUpperCase(), but `s` itself when it has nothing to raise (see lowerCase). */
export function upperCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127) return s.toUpperCase();
  }
  return s;
}

/** Python's repr() of a str, as supervisor's messages print it. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Whitespace Python's int() strips: what str.isspace() accepts minus the 0x1c-0x1f separators, which int() rejects. */
function isIntWhitespace(c: number): boolean {
  return isPySpace(c) && !(c >= 0x1c && c <= 0x1f);
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Value 0..9 of a decimal digit code point (ASCII, or any Unicode Nd digit, which int() also takes), or -1. */
function decimalDigit(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x80 || !DECIMAL_DIGIT.test(String.fromCodePoint(cp))) return -1;
  // Nd digits come in runs of ten starting at zero: find the start of this run (bounded look-back).
  let zero = cp;
  for (let steps = 0; steps < 60 && zero > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1)); steps++) zero--;
  return (cp - zero) % 10;
}

/**
 * Python's int(text, base) for base 10 and 8: surrounding whitespace, a sign, a `0o` prefix in base 8,
 * single underscores between digits, and any Unicode decimal digits. Undefined where Python raises
 * ValueError. supervisor's integer and octal types and memmon's sizes all read numbers with it.
 */
export function pyInt(text: string, base: 10 | 8 = 10): number | undefined {
  let a = 0;
  let b = text.length;
  while (a < b && isIntWhitespace(text.charCodeAt(a))) a++;
  while (b > a && isIntWhitespace(text.charCodeAt(b - 1))) b--;
  let sign = 1;
  const first = text.charCodeAt(a);
  if (a < b && (first === 0x2b || first === 0x2d)) {
    if (first === 0x2d) sign = -1;
    a++;
  }
  let underscoreAllowed = false;
  if (base === 8 && text.charCodeAt(a) === 0x30 && a + 1 < b && (text.charCodeAt(a + 1) | 0x20) === 0x6f /* o */) {
    a += 2;
    underscoreAllowed = true; // int('0o_7', 8) is 7
  }
  if (a >= b) return undefined;
  let value = 0;
  let digits = 0;
  let lastWasUnderscore = false;
  for (let k = a; k < b; ) {
    const cp = text.codePointAt(k)!;
    k += cp > 0xffff ? 2 : 1;
    if (cp === 0x5f /* _ */) {
      if (lastWasUnderscore || (!underscoreAllowed && digits === 0)) return undefined;
      lastWasUnderscore = true;
      continue;
    }
    const d = decimalDigit(cp);
    if (d < 0 || d >= base) return undefined;
    value = value * base + d;
    digits++;
    lastWasUnderscore = false;
  }
  if (digits === 0 || lastWasUnderscore) return undefined;
  return value === 0 ? 0 : sign * value;
}

const intError = (text: string): string => `invalid literal for int() with base 10: ${pyRepr(text)}`;

/** supervisor.datatypes.integer */
export function parseInteger(value: string): Parsed<number> {
  const n = pyInt(value);
  return n === undefined ? fail(intError(value)) : ok(n);
}

export const TRUTHY = ['yes', 'true', 'on', '1'] as const;
export const FALSY = ['no', 'false', 'off', '0'] as const;
const TRUTHY_SET = new Set<string>(TRUTHY);
const FALSY_SET = new Set<string>(FALSY);

/** The two successful readings, shared (frozen): rules read a boolean of every program. */
const OK_TRUE: Parsed<boolean> = Object.freeze(ok(true));
const OK_FALSE: Parsed<boolean> = Object.freeze(ok(false));

/** supervisor.datatypes.boolean: true/yes/on/1 or false/no/off/0 in any case (no stripping). */
export function parseBoolean(value: string): Parsed<boolean> {
  const v = lowerCase(value);
  if (TRUTHY_SET.has(v)) return OK_TRUE;
  if (FALSY_SET.has(v)) return OK_FALSE;
  return fail(`not a valid boolean value: ${pyRepr(value)}`);
}

export const BYTE_SUFFIXES: Readonly<Record<string, number>> = lookupTable({ kb: 1024, mb: 1024 * 1024, gb: 1024 * 1024 * 1024 });

/**
 * supervisor.datatypes.byte_size: an integer of bytes, optionally followed by KB, MB or GB (any case).
 * The suffix must be the very last characters, and int() strips whitespace around the number: '256 MB'
 * and ' 256MB' are read, '256MB ' is not.
 */
export function parseByteSize(value: string): Parsed<number> {
  const v = value.toLowerCase();
  const multiplier = BYTE_SUFFIXES[v.slice(-2)];
  const number = multiplier === undefined ? v : v.slice(0, -2);
  const n = pyInt(number);
  return n === undefined ? fail(intError(number)) : ok(n * (multiplier ?? 1));
}

/** supervisor.datatypes.octal_type: what int(value, 8) accepts. */
export function parseOctal(value: string): Parsed<number> {
  const n = pyInt(value, 8);
  return n === undefined ? fail(`${value} can not be converted to an octal type`) : ok(n);
}

/** Signal names of Linux's Python `signal` module (without SIG) and their numbers. */
export const SIGNALS: Readonly<Record<string, number>> = lookupTable({
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12,
  PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22,
  URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31, RTMIN: 34, RTMAX: 64,
  // SIG_DFL, SIG_IGN, SIG_BLOCK, SIG_UNBLOCK and SIG_SETMASK also start with SIG, so supervisor takes them too.
  _DFL: 0, _IGN: 1, _BLOCK: 0, _UNBLOCK: 1, _SETMASK: 2,
});
const SIGNAL_NUMBERS = new Set(Object.values(SIGNALS));
/** The signals worth offering for stopsignal, in the order supervisor's docs list them. */
export const STOP_SIGNALS = ['TERM', 'HUP', 'INT', 'QUIT', 'KILL', 'USR1', 'USR2'] as const;

/** supervisor.datatypes.signal_number: a number, or a name with or without SIG in any case. */
export function parseSignal(value: string): Parsed<number> {
  let num = pyInt(value);
  if (num === undefined) {
    let name = pyStrip(value).toUpperCase();
    if (name.startsWith('SIG')) name = name.slice(3);
    num = Object.prototype.hasOwnProperty.call(SIGNALS, name) ? SIGNALS[name] : undefined;
    if (num === undefined) return fail(`value ${pyRepr(value)} is not a valid signal name`);
  }
  if (!SIGNAL_NUMBERS.has(num)) return fail(`value ${pyRepr(value)} is not a valid signal number`);
  return ok(num);
}

/** The name of a signal number (TERM for 15), for hovers. */
export function signalName(num: number): string | undefined {
  for (const [name, n] of Object.entries(SIGNALS)) if (n === num && !name.startsWith('_')) return name;
  return undefined;
}

export const LOG_LEVELS: Readonly<Record<string, number>> = lookupTable({ critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 });

/** supervisor.datatypes.logging_level: critical, error, warn, info, debug, trace or blather, any case. */
export function parseLogLevel(value: string): Parsed<string> {
  const v = value.toLowerCase();
  return Object.prototype.hasOwnProperty.call(LOG_LEVELS, v) ? ok(v) : fail(`bad logging level name ${pyRepr(value)}`);
}

export type Autorestart = 'true' | 'false' | 'unexpected';

/** supervisor.datatypes.auto_restart: unexpected, or a boolean word. */
export function parseAutorestart(value: string): Parsed<Autorestart> {
  const v = lowerCase(value);
  if (TRUTHY_SET.has(v)) return ok('true');
  if (FALSY_SET.has(v)) return ok('false');
  if (v === 'unexpected') return ok('unexpected');
  return fail(`invalid 'autorestart' value ${pyRepr(v)}`);
}

/** supervisor.datatypes.list_of_exitcodes: comma-separated integers 0..255; an empty value is an empty list. */
export function parseExitCodes(value: string): Parsed<number[]> {
  if (!value) return ok([]);
  const codes: number[] = [];
  for (const item of value.split(',')) {
    const n = pyInt(item);
    if (n === undefined || n < 0 || n > 255) return fail(`not a valid list of exit codes: ${pyRepr(value)}`);
    codes.push(n);
  }
  return ok(codes);
}

/** supervisor.datatypes.list_of_strings: comma-separated, each item stripped; empty gives []. */
export function parseListOfStrings(value: string): string[] {
  if (!value) return [];
  return value.split(',').map(pyStrip);
}

function portNumber(text: string): Parsed<number> {
  const n = pyInt(text);
  if (n === undefined) return fail(intError(text));
  if (n < 1) return fail(`${n} is below lower bound (1)`);
  if (n > 65535) return fail(`${n} is above upper bound (65535)`);
  return ok(n);
}

/** supervisor.datatypes.inet_address: `port`, `host:port`, `:port` or `*:port`. */
export function parseInetAddress(value: string): Parsed<{ host: string; port: number }> {
  const colon = value.lastIndexOf(':');
  if (colon >= 0) {
    const portText = value.slice(colon + 1);
    if (!portText) return fail(`no port number specified in ${pyRepr(portText)}`);
    const port = portNumber(portText);
    if (!port.ok) return port;
    const host = value.slice(0, colon).toLowerCase();
    return ok({ host: host === '*' ? '' : host, port: port.value });
  }
  const port = portNumber(value);
  if (!port.ok) return fail(`not a valid port number: ${pyRepr(value)} `);
  return ok({ host: '', port: port.value });
}

/** The fcgi-program socket check of options.py: unix:///absolute/path or tcp://host:port. */
export function parseFcgiSocket(value: string, hasOwnerOrMode: boolean): Parsed<{ kind: 'unix' | 'tcp'; address: string }> {
  if (value.startsWith('unix://')) {
    const path = value.slice(7);
    if (!path.startsWith('/')) return fail(`Unix socket path ${path} is not an absolute path`);
    return ok({ kind: 'unix', address: path });
  }
  if (hasOwnerOrMode) return fail('socket_owner and socket_mode params should only be used with a Unix domain socket');
  if (value.startsWith('tcp://')) {
    const rest = value.slice(6);
    const colon = rest.lastIndexOf(':');
    const host = colon > 0 ? rest.slice(0, colon) : '';
    const port = colon > 0 ? rest.slice(colon + 1) : '';
    let hostOk = host.length > 0;
    for (let i = 0; hostOk && i < host.length; i++) if (host[i] === ':' || isPySpace(host.charCodeAt(i))) hostOk = false;
    let portOk = port.length > 0;
    for (let i = 0; portOk && i < port.length; i++) if (port.charCodeAt(i) < 48 || port.charCodeAt(i) > 57) portOk = false;
    if (hostOk && portOk) {
      const n = Number(port);
      if (n < 1) return fail(`${n} is below lower bound (1)`);
      if (n > 65535) return fail(`${n} is above upper bound (65535)`);
      return ok({ kind: 'tcp', address: `${host.toLowerCase()}:${n}` });
    }
  }
  return fail(`Bad socket format ${value}`);
}

/**
 * datatypes.colon_separated_user_group's reading of `user` or `user:group` (split at the first ':'), as
 * far as it does not depend on the machine: an empty name fails everywhere (name_to_uid('') and
 * name_to_gid('') find no account). Whether the names exist is the machine's business.
 */
export function parseUserGroup(value: string): Parsed<{ user: string; group?: string }> {
  const colon = value.indexOf(':');
  const user = colon === -1 ? value : value.slice(0, colon);
  const group = colon === -1 ? undefined : value.slice(colon + 1);
  if (user === '' || group === '') return fail(`Invalid user:group definition ${value}`);
  return ok(group === undefined ? { user } : { user, group });
}

/** In supervisor's order of checking (the message names the first found). Hoisted: a literal would be an array per call. */
const NAME_BREAKERS = [' ', ':', '/'];

/** supervisor.datatypes.process_or_group_name: stripped; no space, ':' or '/'. */
export function parseName(value: string): Parsed<string> {
  const ch = nameBreaker(value);
  return ch === undefined ? ok(pyStrip(value)) : fail(`Invalid name: ${pyRepr(value)} because of character: ${pyRepr(ch)}`);
}

/** The character that makes parseName refuse the name, or undefined when it accepts it (no result object). */
export function nameBreaker(value: string): string | undefined {
  const s = pyStrip(value);
  for (let i = 0; i < NAME_BREAKERS.length; i++) if (s.includes(NAME_BREAKERS[i])) return NAME_BREAKERS[i];
  return undefined;
}

export const EVENT_TYPES: readonly string[] = [
  'EVENT', 'PROCESS_STATE', 'PROCESS_STATE_STOPPED', 'PROCESS_STATE_EXITED', 'PROCESS_STATE_STARTING', 'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_BACKOFF', 'PROCESS_STATE_FATAL', 'PROCESS_STATE_RUNNING', 'PROCESS_STATE_UNKNOWN', 'PROCESS_COMMUNICATION',
  'PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION_STDERR', 'PROCESS_LOG', 'PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR',
  'REMOTE_COMMUNICATION', 'SUPERVISOR_STATE_CHANGE', 'SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK', 'TICK_5', 'TICK_60', 'TICK_3600', 'PROCESS_GROUP', 'PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED',
];
const EVENT_SET = new Set(EVENT_TYPES);

export interface EventItem {
  name: string;
  /** Offsets of the item (before stripping) in the value. */
  start: number;
  end: number;
  known: boolean;
}

/** The events= list: comma-separated, stripped, upper-cased, each an EventTypes name. */
export function parseEvents(value: string): EventItem[] {
  const items: EventItem[] = [];
  if (!value) return items;
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    const name = pyStrip(value.slice(start, end)).toUpperCase();
    items.push({ name, start, end, known: EVENT_SET.has(name) });
    if (comma === -1) break;
    start = comma + 1;
  }
  return items;
}

/** pkg_resources.EntryPoint.parse('x=' + spec): `module[:attr] [extras]` with word characters and dots. */
export function parseImportSpec(spec: string): Parsed<{ module: string; attr?: string }> {
  const s = spec.trim();
  const bad = fail<{ module: string; attr?: string }>(`EntryPoint must be in 'name=module:attrs [extras]' format (x=${spec})`);
  const word = (t: string) => t.length > 0 && /^[\w.]+$/u.test(t);
  let main = s;
  const bracket = s.indexOf('[');
  if (bracket >= 0) {
    if (!s.endsWith(']')) return bad;
    main = s.slice(0, bracket).trim();
  }
  const colon = main.indexOf(':');
  const module = (colon === -1 ? main : main.slice(0, colon)).trim();
  const attr = colon === -1 ? undefined : main.slice(colon + 1).trim();
  if (!word(module) || (attr !== undefined && !word(attr))) return bad;
  return ok({ module, attr });
}

// ---------------------------------------------------------------------------------------------
// Python %-formatting, as supervisor's expand() runs it: `value % {names}`.

export type NameType = 'str' | 'int';

export interface FormatDirective {
  /** escape: `%%`; keyed: `%(name)...`; positional: `%s` and friends without a name; broken: Python raises ValueError. */
  kind: 'escape' | 'keyed' | 'positional' | 'broken';
  start: number;
  end: number;
  name?: string;
  /** The conversion character (s, d, ...), when there is one. */
  conversion?: string;
  /** Python's ValueError text for broken directives. */
  message?: string;
  /** A `*` width or precision (a TypeError with a mapping). */
  star?: boolean;
}

const FORMAT_FLAGS = '-+ #0';
const CONVERSIONS = 'sradiuoxXeEfFgGc';
export const NUMERIC_CONVERSIONS = 'diuoxXeEfFgG';

/**
 * Splits a value into Python %-format directives the way CPython's PyUnicode_Format reads them
 * (parenthesised keys nest, one h/l/L length modifier is skipped, `%%` is only an escape right after `%`).
 */
export function scanFormat(s: string): FormatDirective[] {
  const out: FormatDirective[] = [];
  let i = s.indexOf('%');
  while (i !== -1) {
    const start = i;
    let j = i + 1;
    if (j >= s.length) {
      out.push({ kind: 'broken', start, end: j, message: 'incomplete format' });
      break;
    }
    if (s[j] === '%') {
      out.push({ kind: 'escape', start, end: j + 1 });
      i = s.indexOf('%', j + 1);
      continue;
    }
    let name: string | undefined;
    if (s[j] === '(') {
      let depth = 1;
      let k = j + 1;
      while (k < s.length && depth > 0) {
        if (s[k] === ')') depth--;
        else if (s[k] === '(') depth++;
        k++;
      }
      if (depth > 0) {
        out.push({ kind: 'broken', start, end: s.length, message: 'incomplete format key' });
        break;
      }
      name = s.slice(j + 1, k - 1);
      j = k;
    }
    let star = false;
    while (j < s.length && FORMAT_FLAGS.includes(s[j])) j++;
    if (s[j] === '*') {
      star = true;
      j++;
    } else while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
    if (s[j] === '.') {
      j++;
      if (s[j] === '*') {
        star = true;
        j++;
      } else while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
    }
    if (j < s.length && (s[j] === 'h' || s[j] === 'l' || s[j] === 'L')) j++;
    if (j >= s.length) {
      out.push({ kind: 'broken', start, end: s.length, name, message: 'incomplete format' });
      break;
    }
    const conv = s[j];
    if (!CONVERSIONS.includes(conv)) {
      const code = conv.charCodeAt(0);
      const shown = code >= 32 && code < 127 ? conv : '?';
      // A non-BMP character is two UTF-16 units: the range must not end between them.
      const charEnd = j + (code >= 0xd800 && code <= 0xdbff && j + 1 < s.length ? 2 : 1);
      out.push({ kind: 'broken', start, end: charEnd, name, conversion: conv, message: `unsupported format character '${shown}' (0x${code.toString(16)}) at index ${j}` });
    } else {
      out.push({ kind: name === undefined ? 'positional' : 'keyed', start, end: j + 1, name, conversion: conv, star });
    }
    i = s.indexOf('%', j + 1);
  }
  return out;
}

/** Python's TypeError for a conversion applied to a value of this type, or undefined when it works. */
export function conversionError(conversion: string, type: NameType): string | undefined {
  if (type === 'int' || !NUMERIC_CONVERSIONS.includes(conversion)) return undefined;
  if ('diu'.includes(conversion)) return `%${conversion} format: a real number is required, not str`;
  if ('oxX'.includes(conversion)) return `%${conversion} format: an integer is required, not str`;
  return 'must be real number, not str';
}

// ---------------------------------------------------------------------------------------------
// environment=: supervisor.datatypes.dict_of_key_value_pairs, shlex in non-POSIX mode (4.2.x).

const SHLEX_WORDCHARS = 'abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():';
/** Character classes of shlex for ASCII codes (everything else is OTHER: a token of its own). */
const OTHER = 0;
const SPACE = 1;
const WORD = 2;
const QUOTE = 3;
const HASH = 4;
const SHLEX_CLASS = new Uint8Array(128);
for (const ch of SHLEX_WORDCHARS) SHLEX_CLASS[ch.charCodeAt(0)] = WORD;
for (const ch of ' \t\r\n') SHLEX_CLASS[ch.charCodeAt(0)] = SPACE;
SHLEX_CLASS[0x22] = QUOTE;
SHLEX_CLASS[0x27] = QUOTE;
SHLEX_CLASS[0x23] = HASH;

function shlexClass(c: number): number {
  return c < 128 ? SHLEX_CLASS[c] : OTHER;
}

export interface ShlexToken {
  text: string;
  start: number;
  end: number;
}

export interface ShlexResult {
  tokens: ShlexToken[];
  /** "No closing quotation": shlex raises it for an unterminated quote. */
  unclosedQuoteAt?: number;
  /** Where a `#` started a comment that swallowed the rest of its line. */
  comments: { start: number; end: number }[];
}

/** The comment starting at `hash` runs to the end of its line; returns where reading resumes (after the line break). */
function skipShlexComment(s: string, hash: number, comments: { start: number; end: number }[]): number {
  const nl = s.indexOf('\n', hash);
  comments.push({ start: hash, end: nl === -1 ? s.length : nl });
  return nl === -1 ? s.length : nl + 1;
}

/** Width in UTF-16 units of the character at i: Python iterates code points, a surrogate pair is one character. */
function charWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/**
 * Python's shlex.shlex(value) with wordchars += '/.+-():', iterated: posix=False, no punctuation_chars.
 * A token's text is its span of the value, except for a word that a `#` comment interrupts (the word
 * goes on after the comment's line).
 */
export function shlexNonPosix(s: string): ShlexResult {
  const tokens: ShlexToken[] = [];
  const comments: { start: number; end: number }[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const cls = shlexClass(s.charCodeAt(i));
    if (cls === SPACE) {
      i++;
      continue;
    }
    if (cls === HASH) {
      i = skipShlexComment(s, i, comments);
      continue;
    }
    const start = i;
    if (cls === QUOTE) {
      const close = s.indexOf(s[i], i + 1);
      if (close === -1) return { tokens, comments, unclosedQuoteAt: start };
      i = close + 1;
      tokens.push({ text: s.slice(start, i), start, end: i });
      continue;
    }
    if (cls === OTHER) {
      i += charWidth(s, i);
      tokens.push({ text: s.slice(start, i), start, end: i });
      continue;
    }
    // A word: word characters and quotes, until whitespace, another character or the end.
    let text = '';
    let piece = start;
    i++;
    while (i < n) {
      const c = shlexClass(s.charCodeAt(i));
      if (c === WORD || c === QUOTE) {
        i++;
        continue;
      }
      if (c === HASH) {
        // Non-POSIX shlex keeps the word going after a comment: the next line continues it.
        text += s.slice(piece, i);
        i = skipShlexComment(s, i, comments);
        piece = i;
        continue;
      }
      break;
    }
    text += s.slice(piece, i);
    tokens.push({ text, start, end: i });
    if (i < n && shlexClass(s.charCodeAt(i)) === OTHER) {
      // The character comes back as a token of its own.
      const at = i;
      i += charWidth(s, i);
      tokens.push({ text: s.slice(at, i), start: at, end: i });
    }
  }
  return { tokens, comments };
}

export interface EnvPair {
  key: string;
  value: string;
  keyToken: ShlexToken;
  valueToken: ShlexToken;
}

export interface EnvironmentReading {
  pairs: EnvPair[];
  /** supervisor's error, when it refuses the value. */
  error?: { message: string; start: number; end: number };
  /** Tokens supervisor skips without a word: anything in a separator's place that is not a comma. */
  dropped: ShlexToken[];
  /** `#` comments inside the value: shlex drops the rest of that line. */
  comments: { start: number; end: number }[];
}

/** supervisor.datatypes.dict_of_key_value_pairs on an (already %-expanded) value. */
export function parseEnvironment(value: string): EnvironmentReading {
  const lex = shlexNonPosix(value);
  const reading: EnvironmentReading = { pairs: [], dropped: [], comments: lex.comments };
  if (lex.unclosedQuoteAt !== undefined) {
    reading.error = { message: 'No closing quotation', start: lex.unclosedQuoteAt, end: value.length };
    return reading;
  }
  const t = lex.tokens;
  for (let i = 0; i < t.length; i += 4) {
    if (i + 2 >= t.length || t[i + 1].text !== '=') {
      const at = t[Math.min(i + 1, t.length - 1)];
      reading.error = { message: `Unexpected end of key/value pairs in value '${value}'`, start: t[i].start, end: Math.max(at.end, t[Math.min(i + 2, t.length - 1)].end) };
      return reading;
    }
    reading.pairs.push({ key: t[i].text, value: stripQuotes(t[i + 2].text), keyToken: t[i], valueToken: t[i + 2] });
    if (i + 3 < t.length && t[i + 3].text !== ',') reading.dropped.push(t[i + 3]);
  }
  return reading;
}

/** Python's str.strip('\'"'). */
function stripQuotes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '"' || s[a] === "'")) a++;
  while (b > a && (s[b - 1] === '"' || s[b - 1] === "'")) b--;
  return s.slice(a, b);
}

/** True when shlex reads `text` as one word (no quoting needed in environment=). */
export function isShlexWord(text: string): boolean {
  if (!text) return false;
  for (let k = 0; k < text.length; k++) if (shlexClass(text.charCodeAt(k)) !== WORD) return false;
  return true;
}
