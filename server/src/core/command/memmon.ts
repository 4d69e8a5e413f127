/**
 * Reads a superlance memmon invocation out of a supervisor `command=` value, with the semantics of
 * memmon.py (superlance 2.0.0): `getopt.getopt(argv, 'hcp:g:a:s:m:n:u:', ['help', 'cumulative',
 * 'program=', 'group=', 'any=', 'sendmail_program=', 'email=', 'uptime=', 'name='])`.
 * - short options: value glued (`-pworker=1MB`) or separate; flags combine (`-cp x=1MB`);
 * - long options: `--program=x` or `--program x`; any unique prefix works (`--prog=`, `--sendmail=`);
 *   `--groupname=` is NOT accepted (the documentation is wrong, the source registers `--group=`);
 * - getopt stops at the first non-option argument (later options are ignored) and at `--`;
 * - any getopt error makes memmon print its usage and exit 255.
 * Sizes use supervisor's `byte_size` (see parseByteSize). Offsets are UTF-16 indexes into the command.
 * A template's command is read as it renders (unknownWords.ts).
 * Linear time, never throws.
 */
import { tokenTextRange, type ArgToken, type ArgvError } from './argv';
import { locateRendered } from './unknownWords';
import type { MatchHow } from './invocation';
import { lookupTable } from '../lookupTable';
import { parseByteSize as byteSize, pyInt } from '../catalog/datatypes';

export interface MemmonLimit {
  option: '-p' | '-g' | '-a';
  /** As written: '-p', '--program', '--prog' ... */
  spelling: string;
  /** The NAME of NAME=SIZE (-p, -g); absent for -a and for a malformed pair. */
  name?: string;
  /** The SIZE text (for a malformed pair: the whole value). */
  size: string;
  /** parseByteSize(size); undefined when memmon would reject it ('Unparseable byte_size'). */
  bytes?: number;
  /** The value of -p/-g does not split into exactly NAME=SIZE: memmon exits with 'Unparseable value'. */
  malformed?: boolean;
  /** Whole option including its value. */
  start: number;
  end: number;
  optionStart: number;
  optionEnd: number;
  nameStart?: number;
  nameEnd?: number;
  sizeStart: number;
  sizeEnd: number;
  /** The value is missing (end of command): a getopt error. */
  missingValue?: boolean;
}

export interface MemmonOption {
  /** Canonical short option: '-h', '-c', '-p', '-g', '-a', '-s', '-m', '-n', '-u'. */
  option: string;
  /** Canonical long name without dashes/'=': 'help', 'cumulative', 'program', ... */
  long: string;
  spelling: string;
  value?: string;
  start: number;
  end: number;
  optionStart: number;
  optionEnd: number;
  valueStart?: number;
  valueEnd?: number;
}

export interface MemmonCommand {
  /** The memmon / python token (text after quote removal) and its raw span. */
  executable: string;
  executableStart: number;
  executableEnd: number;
  viaPythonM: boolean;
  viaShell: boolean;
  shellExec: boolean;
  /** Span of the (last) -c / --cumulative option. */
  cumulative?: { start: number; end: number };
  programs: MemmonLimit[];
  groups: MemmonLimit[];
  /** The last -a / --any (memmon keeps the last one). */
  any?: MemmonLimit;
  /** -h, -s, -m, -n, -u. */
  others: MemmonOption[];
  /** Every option in command order (including -c, -p, -g, -a). */
  all: MemmonOption[];
  /** getopt error: memmon prints its usage and exits 255. Options after it are not parsed. */
  optionError?: { message: string; start: number; end: number };
  /** memmon without any argument prints its usage and exits 255. */
  noArguments: boolean;
  /** Arguments from the first non-option on: getopt stops there, so options among them are ignored. */
  ignoredArgs: { text: string; start: number; end: number }[];
  argvError?: ArgvError;
  /** Where to append an option (' -p x=512MB'): after the last parsed option, before ignored arguments. */
  endOffset: number;
}

const SHORT_WITH_ARG = new Set(['p', 'g', 'a', 's', 'm', 'n', 'u']);
const SHORT_FLAGS = new Set(['h', 'c']);
const LONG_OPTS: readonly string[] = ['help', 'cumulative', 'program=', 'group=', 'any=', 'sendmail_program=', 'email=', 'uptime=', 'name='];
const LONG_TO_SHORT: Readonly<Record<string, string>> = lookupTable({
  help: 'h',
  cumulative: 'c',
  program: 'p',
  group: 'g',
  any: 'a',
  sendmail_program: 's',
  email: 'm',
  uptime: 'u',
  name: 'n',
});
const SHORT_TO_LONG: Readonly<Record<string, string>> = lookupTable({
  h: 'help',
  c: 'cumulative',
  p: 'program',
  g: 'group',
  a: 'any',
  s: 'sendmail_program',
  m: 'email',
  u: 'uptime',
  n: 'name',
});

/** getopt.long_has_args: [hasArg, fullName] or an error message. */
function longHasArgs(opt: string): { hasArg: boolean; name: string } | { error: string } {
  const possibilities = LONG_OPTS.filter((o) => o.startsWith(opt));
  if (possibilities.length === 0) return { error: `option --${opt} not recognized` };
  if (possibilities.includes(opt)) return { hasArg: false, name: opt };
  if (possibilities.includes(opt + '=')) return { hasArg: true, name: opt };
  if (possibilities.length > 1) return { error: `option --${opt} not a unique prefix` };
  const u = possibilities[0];
  return u.endsWith('=') ? { hasArg: true, name: u.slice(0, -1) } : { hasArg: false, name: u };
}

function matchMemmon(name: string, how: MatchHow): string | undefined {
  if (how === 'module') return name === 'superlance.memmon' ? 'memmon' : undefined;
  if (how === 'django') return undefined;
  return name === 'memmon' ? 'memmon' : undefined;
}

export function readMemmonCommand(command: string): MemmonCommand | undefined {
  try {
    const located = locateRendered(command, matchMemmon);
    const inv = located?.candidates[0];
    if (!located || !inv) return undefined;
    const toks = inv.tokens;
    const exe = toks[inv.exeIndex];
    const prog = toks[inv.programIndex];
    const cmd: MemmonCommand = {
      executable: exe.text,
      executableStart: exe.start,
      executableEnd: exe.end,
      viaPythonM: inv.how === 'module',
      viaShell: inv.viaShell,
      shellExec: inv.shellExec,
      programs: [],
      groups: [],
      others: [],
      all: [],
      noArguments: inv.argsIndex >= inv.argsEnd,
      ignoredArgs: [],
      endOffset: prog.end,
    };
    if (located.argvError) cmd.argvError = located.argvError;

    const record = (
      short: string,
      spelling: string,
      optionStart: number,
      optionEnd: number,
      value: { text: string; tok: ArgToken; from: number } | undefined,
      missing: boolean,
    ): void => {
      const long = SHORT_TO_LONG[short];
      const end = value ? value.tok.end : optionEnd;
      const o: MemmonOption = { option: '-' + short, long, spelling, start: optionStart, end, optionStart, optionEnd };
      let vRange: { start: number; end: number } | undefined;
      if (value) {
        vRange = tokenTextRange(value.tok, value.from, value.tok.text.length);
        o.value = value.text;
        o.valueStart = vRange.start;
        o.valueEnd = vRange.end;
      }
      cmd.all.push(o);
      cmd.endOffset = end;
      if (short === 'c') {
        cmd.cumulative = { start: optionStart, end: optionEnd };
        return;
      }
      if (short === 'p' || short === 'g' || short === 'a') {
        const limit = makeLimit(short, spelling, optionStart, optionEnd, end, value, vRange, missing);
        if (short === 'p') cmd.programs.push(limit);
        else if (short === 'g') cmd.groups.push(limit);
        else cmd.any = limit;
        return;
      }
      cmd.others.push(o);
    };

    let i = inv.argsIndex;
    const end = inv.argsEnd;
    parse: while (i < end) {
      const tok = toks[i];
      const t = tok.text;
      if (!(t.startsWith('-') && t !== '-')) break;
      i++;
      if (t === '--') {
        cmd.endOffset = tok.end;
        break;
      }
      if (t.startsWith('--')) {
        const body = t.slice(2);
        const eq = body.indexOf('=');
        const opt = eq >= 0 ? body.slice(0, eq) : body;
        const nameRange = tokenTextRange(tok, 0, eq >= 0 ? eq + 2 : t.length);
        const m = longHasArgs(opt);
        if ('error' in m) {
          cmd.optionError = { message: m.error, start: nameRange.start, end: nameRange.end };
          break;
        }
        const short = LONG_TO_SHORT[m.name];
        if (m.hasArg) {
          if (eq >= 0) {
            record(short, '--' + opt, nameRange.start, nameRange.end, { text: body.slice(eq + 1), tok, from: eq + 3 }, false);
          } else if (i < end) {
            const v = toks[i++];
            record(short, '--' + opt, nameRange.start, nameRange.end, { text: v.text, tok: v, from: 0 }, false);
          } else {
            cmd.optionError = { message: `option --${m.name} requires argument`, start: nameRange.start, end: nameRange.end };
            record(short, '--' + opt, nameRange.start, nameRange.end, undefined, true);
            break;
          }
        } else if (eq >= 0) {
          cmd.optionError = { message: `option --${m.name} must not have an argument`, start: tok.start, end: tok.end };
          break;
        } else {
          record(short, '--' + opt, nameRange.start, nameRange.end, undefined, false);
        }
        continue;
      }
      // Short options: getopt.do_shorts
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        const nameRange = tokenTextRange(tok, k === 1 ? 0 : k, k + 1);
        if (SHORT_FLAGS.has(ch)) {
          record(ch, '-' + ch, nameRange.start, nameRange.end, undefined, false);
          continue;
        }
        if (SHORT_WITH_ARG.has(ch)) {
          if (k + 1 < t.length) {
            record(ch, '-' + ch, nameRange.start, nameRange.end, { text: t.slice(k + 1), tok, from: k + 1 }, false);
          } else if (i < end) {
            const v = toks[i++];
            record(ch, '-' + ch, nameRange.start, nameRange.end, { text: v.text, tok: v, from: 0 }, false);
          } else {
            cmd.optionError = { message: `option -${ch} requires argument`, start: nameRange.start, end: nameRange.end };
            record(ch, '-' + ch, nameRange.start, nameRange.end, undefined, true);
            break parse;
          }
          break;
        }
        cmd.optionError = { message: `option -${ch} not recognized`, start: nameRange.start, end: nameRange.end };
        break parse;
      }
    }
    if (!cmd.optionError) {
      for (; i < end; i++) cmd.ignoredArgs.push({ text: toks[i].text, start: toks[i].start, end: toks[i].end });
    }
    return cmd;
  } catch {
    return undefined;
  }
}

function makeLimit(
  short: 'p' | 'g' | 'a',
  spelling: string,
  optionStart: number,
  optionEnd: number,
  end: number,
  value: { text: string; tok: ArgToken; from: number } | undefined,
  vRange: { start: number; end: number } | undefined,
  missing: boolean,
): MemmonLimit {
  const option = ('-' + short) as MemmonLimit['option'];
  const limit: MemmonLimit = {
    option,
    spelling,
    size: '',
    start: optionStart,
    end,
    optionStart,
    optionEnd,
    sizeStart: vRange ? vRange.start : optionEnd,
    sizeEnd: vRange ? vRange.end : optionEnd,
  };
  if (missing || !value) {
    limit.missingValue = true;
    return limit;
  }
  const text = value.text;
  if (short === 'a') {
    limit.size = text;
  } else {
    // memmon: name, size = value.split('=') -> exactly one '=' required
    const eq = text.indexOf('=');
    if (eq < 0 || text.indexOf('=', eq + 1) >= 0) {
      limit.malformed = true;
      limit.size = text;
      return limit;
    }
    limit.name = text.slice(0, eq);
    limit.size = text.slice(eq + 1);
    const nr = tokenTextRange(value.tok, value.from, value.from + eq);
    const sr = tokenTextRange(value.tok, value.from + eq + 1, value.tok.text.length);
    limit.nameStart = nr.start;
    limit.nameEnd = nr.end;
    limit.sizeStart = sr.start;
    limit.sizeEnd = sr.end;
  }
  const bytes = parseByteSize(limit.size);
  if (bytes !== undefined) limit.bytes = bytes;
  return limit;
}

// ---------------------------------------------------------------------------------------------
// supervisor.datatypes.byte_size

/** supervisor's `byte_size`, as memmon reads its sizes: the number of bytes, or undefined where supervisor raises. */
export function parseByteSize(s: string): number | undefined {
  if (typeof s !== 'string') return undefined;
  const size = byteSize(s);
  return size.ok ? size.value : undefined;
}


/** memmon's `seconds_size` for -u: a whole number of seconds, or one with an s, m, h or d suffix (supervisor's SuffixMultiplier). */
const SECONDS_SUFFIXES: Readonly<Record<string, number>> = lookupTable({ s: 1, m: 60, h: 3600, d: 86400 });

export function parseSeconds(s: string): number | undefined {
  const v = s.toLowerCase();
  const multiplier = SECONDS_SUFFIXES[v.slice(-1)];
  const n = pyInt(multiplier === undefined ? v : v.slice(0, -1));
  return n === undefined ? undefined : n * (multiplier ?? 1);
}

/** Why memmon stops as soon as it starts, where it does, with the span to point at. */
export interface MemmonExit {
  /** A sentence: what memmon cannot read, in its own words. */
  reason: string;
  /** A few words, for a code lens: "cannot read '256M'". */
  summary: string;
  start: number;
  end: number;
}

/**
 * What makes memmon print its usage and exit at start, in the order memmon meets it: no option at all,
 * a getopt error, then (reading the options in order) -h, a NAME=SIZE pair, a size or an -u time it
 * cannot read. One is enough: memmon then watches nothing at all, whatever its other options say.
 */
export function memmonExit(m: MemmonCommand): MemmonExit | undefined {
  // Asked for each program a listener names (lenses, hovers, findings): read each command once.
  if (exits.has(m)) return exits.get(m);
  const exit = firstExit(m);
  exits.set(m, exit);
  return exit;
}

/** By reading: readings are shared through the command cache and never changed. */
const exits = new WeakMap<MemmonCommand, MemmonExit | undefined>();

function firstExit(m: MemmonCommand): MemmonExit | undefined {
  if (m.noArguments) return { reason: 'memmon without options prints its usage and exits', summary: 'no options', start: m.executableStart, end: m.executableEnd };
  if (m.optionError) return { reason: `getopt stops memmon with "${m.optionError.message}"`, summary: m.optionError.message, ...span(m.optionError) };
  // m.programs and m.groups hold the -p and -g of m.all in the same order.
  let p = 0;
  let g = 0;
  for (const o of m.all) {
    if (o.option === '-h') return { reason: `${o.spelling} makes memmon print its usage and exit`, summary: o.spelling, ...span(o) };
    const limit = o.option === '-p' ? m.programs[p++] : o.option === '-g' ? m.groups[g++] : undefined;
    if (limit?.malformed) return { reason: `memmon cannot read '${limit.size}' as NAME=SIZE ("Unparseable value")`, summary: `cannot read '${limit.size}'`, ...span(limit) };
    if (limit && !limit.missingValue && limit.bytes === undefined) {
      return { reason: `memmon cannot read the size '${limit.size}' ("Unparseable byte_size")`, summary: `cannot read '${limit.size}'`, start: limit.sizeStart, end: limit.sizeEnd };
    }
    // Only the last -a is kept in m.any, but memmon reads every one.
    const value = o.value ?? '';
    if (o.option === '-a' && parseByteSize(value) === undefined) return { reason: `memmon cannot read the size '${value}' ("Unparseable byte_size")`, summary: `cannot read '${value}'`, ...valueSpan(o) };
    if (o.option === '-u' && parseSeconds(value) === undefined) return { reason: `memmon cannot read the time '${value}' ("Unparseable value for time")`, summary: `cannot read '${value}'`, ...valueSpan(o) };
  }
  return undefined;
}

function span(x: { start: number; end: number }): { start: number; end: number } {
  return { start: x.start, end: x.end };
}

function valueSpan(o: MemmonOption): { start: number; end: number } {
  return { start: o.valueStart ?? o.start, end: o.valueEnd ?? o.end };
}
