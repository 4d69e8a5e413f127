/**
 * Reads a Celery invocation out of a supervisor `command=` value, with click's option rules
 * (celery 5.2.6 / click 8.1.3):
 * - long options: `--opt value` and `--opt=value`; no abbreviations;
 * - short options: `-c 10`, `-c10`; short flags combine (`-DB`, `-Bc4`); `-l=info` gives the value
 *   '=info' (recorded as `invalidEquals`);
 * - a value-taking option always consumes the next token, whatever it looks like;
 * - the group (`celery`) stops at the first positional (the sub-command); global options after the
 *   sub-command are errors in 5.x (Celery 4 syntax, recorded in `misplacedGlobalOptions`);
 * - `--` ends option parsing; other positionals (`key=value` settings) are not options.
 * A template's command is read as it renders (unknownWords.ts): each `{{ expression }}` is part of one word.
 *
 * All offsets are UTF-16 indexes into the command string. Linear time, never throws.
 */
import { tokenBoundary, type ArgToken, type ArgvError } from './argv';
import {
  BEAT_TABLE,
  GLOBAL_TABLE,
  REMOVED_WORKER_OPTIONS,
  WORKER_TABLE,
  CHILD_RECYCLING_POOLS,
  THREAD_OR_GREENLET_POOLS,
  type CeleryOptionSpec,
  type OptionTable,
  type RemovedCeleryOption,
} from './celeryOptions';
import type { Invocation, MatchHow, WrapperWord } from './invocation';
import { isUnknownArguments, locateRendered } from './unknownWords';
import type { Span } from '../templateSyntax';
import { REMOVED_BY_SPELLING, keptOption, readingOption, startReading, type Option } from './celeryOption';

export type CelerySubcommand = 'worker' | 'beat' | 'flower' | 'multi' | 'other';

export interface CeleryOption {
  /** Canonical long name, e.g. '--loglevel' ('-O' has no long name in 5.2). Unknown options: the spelling. */
  name: string;
  /** As written: '-l', '--loglevel', '--maxtasksperchild' ... */
  spelling: string;
  /** flag: no value; separate: `-l info`; equals: `--loglevel=INFO` (or the invalid `-l=info`); glued: `-linfo`. */
  form: 'flag' | 'separate' | 'equals' | 'glued';
  /** Option argument after quote removal. For `-l=info` this is 'info' (click would see '=info'). */
  value?: string;
  /** Whole option including its value token(s). */
  start: number;
  end: number;
  /** The option name characters. */
  nameStart: number;
  nameEnd: number;
  /** The value characters (raw span: includes quotes that belong to the value). */
  valueStart?: number;
  valueEnd?: number;
  /** Short option written '-l=info': click takes '=info' as the value (rejected for choices/ints, silently kept for strings). */
  invalidEquals?: boolean;
  /** Is it an option of this sub-command (or, for misplaced globals, a global option), or a known removed spelling? */
  known: boolean;
  /** Replacement for a removed Celery 4 spelling: '--maxtasksperchild' -> '--max-tasks-per-child'. */
  removedAlias?: string;
  /** A removed spelling ('No such option' in 5.x), with or without a replacement. */
  removed?: boolean;
  /** The version that introduced this option or spelling when later than 5.2 (e.g. '5.3.0' for --skip-checks). */
  since?: string;
  /** A global option written after the sub-command (Celery 4 syntax). */
  misplaced?: boolean;
  /**
   * An option of the sub-command written before it (`celery -l info -A proj worker`): click rejects it
   * ('No such option'), known stays false, but name is the sub-command's canonical name.
   */
  beforeSubcommand?: boolean;
  /** A value-taking option at the end of the command: click says 'Option requires an argument'. */
  missingValue?: boolean;
  /** A flag written with '=value': click says 'Option does not take a value'. */
  unexpectedValue?: boolean;
  /** Shares its token with other short options (`-DB`, `-Bc4`). */
  combined?: boolean;
  /** The first option of such a group: its name span holds the dash. See optionRemoval. */
  combinedHead?: boolean;
  /** Table entry for known options. */
  spec?: CeleryOptionSpec;
}

export interface CeleryPositional {
  text: string;
  start: number;
  end: number;
}

export interface CeleryCommand {
  subcommand: CelerySubcommand;
  /** The sub-command token span ('worker'); absent for legacy executables and when there is none. */
  subcommandStart?: number;
  subcommandEnd?: number;
  /** The sub-command as written ('worker', 'inspect' ...). */
  subcommandText?: string;
  /** The celery / python token (text after quote removal) and its raw span. */
  executable: string;
  executableStart: number;
  executableEnd: number;
  /** Text of the celery executable token when it contains '/', e.g. '/home/x/venv/bin/celery' or '%(ENV_VENV)s/bin/celery'. */
  celeryExecutablePath?: string;
  viaPythonM: boolean;
  /** Run through `bash -c` / `sh -c`. */
  viaShell: boolean;
  /** The shell script runs celery with `exec`. */
  shellExec: boolean;
  /** The shell (basename), when viaShell. */
  shell?: string;
  /** Number of commands in the shell script (1 = celery is the only command), when viaShell. */
  shellCommands?: number;
  /** Invocation.shellWaits: the shell keeps Celery as its child, so supervisor's signals reach the shell only. */
  shellWaits?: boolean;
  /** Invocation.execAt: where `exec ` makes the shell replace itself with Celery. */
  execAt?: number;
  /** Invocation.shellDetaches: Celery runs in the background of a shell that exits without waiting for it. */
  shellDetaches?: boolean;
  /** Invocation.shellTraps: the signals the shell script traps with an action of its own. */
  shellTraps?: string[];
  /** Invocation.shellNested: the shell that runs Celery runs inside another shell's script. */
  shellNested?: boolean;
  legacyExecutable?: 'celeryd' | 'celerybeat' | 'celeryd-multi';
  /**
   * django-celery's management command that runs it (`manage.py celeryd`, `manage.py celery worker`):
   * Celery 3.1 and earlier. Its span is the command's word; its options are not checked against Celery 5's.
   */
  managePy?: { command: string; start: number; end: number; script: string };
  /** Wrapper programs in front of celery (outermost first, also those in front of its shell): 'env', 'nice', 'timeout', 'sudo', 'poetry' ... (WRAPPER_NAMES). */
  wrappers?: string[];
  /** The same wrappers: each one's word, and what it does with supervisor's stop signal (Invocation.wrapperWords). */
  wrapperWords?: WrapperWord[];
  /** Before the sub-command (-A, -b, --workdir, ...). For legacy executables: the global options anywhere. */
  globalOptions: CeleryOption[];
  /** After the sub-command. */
  options: CeleryOption[];
  /** Global options after the sub-command (Celery 4 syntax `celery worker -A proj`); only for worker and beat. */
  misplacedGlobalOptions: CeleryOption[];
  /** Non-option arguments after the sub-command (e.g. `worker.prefetch_multiplier=1` settings). */
  positionals: CeleryPositional[];
  /**
   * Those of the positionals whose text the file does not show and that may stand for any options:
   * `%(ENV_CELERY_OPTS)s`, `{{ extra_args }}`, `$OPTS` in a shell script (unknownWords.ts).
   */
  unknownArguments?: CeleryPositional[];
  /** Whether `options` were checked against a Celery 5.2 table (worker and beat); false for flower/multi/other. */
  optionsChecked: boolean;
  argvError?: ArgvError;
  /** Offset right after the sub-command token: where an inserted option goes (" -l info"). */
  insertOffset: number;
  /** Offset after the last token of the celery invocation (end of the script command when viaShell). */
  endOffset: number;
  /** Last occurrence by canonical name (click: last wins), including global and misplaced global options. Accepts any spelling. */
  get(name: string): CeleryOption | undefined;
  has(name: string): boolean;
}

type Program = 'celery' | 'celeryd' | 'celerybeat' | 'celeryd-multi' | 'flower';

/** django-celery's management commands (djcelery/management/commands) that run a worker, beat or celery itself. */
const DJANGO_CELERY_COMMANDS: ReadonlyMap<string, Program> = new Map<string, Program>([
  ['celeryd', 'celeryd'],
  ['celerybeat', 'celerybeat'],
  ['celeryd_multi', 'celeryd-multi'],
  ['celery', 'celery'],
]);

function matchCelery(name: string, how: MatchHow): Program | undefined {
  if (how === 'module') {
    if (name === 'celery' || name === 'celery.__main__') return 'celery';
    if (name === 'flower' || name === 'flower.__main__') return 'flower';
    return undefined;
  }
  if (how === 'django') return DJANGO_CELERY_COMMANDS.get(name);
  switch (name) {
    case 'celery':
    case 'celeryd':
    case 'celerybeat':
    case 'celeryd-multi':
    case 'flower':
      return name;
    default:
      return undefined;
  }
}


interface ParseState {
  tokens: ArgToken[];
  i: number;
  end: number;
}

interface ParseConfig {
  /** Table of the command being parsed; undefined = generic (no table). */
  table?: OptionTable;
  /** Global table for misplaced-global detection (after the sub-command). */
  misplaced?: OptionTable;
  /** Removed spellings to recognise. */
  removed?: ReadonlyMap<string, RemovedCeleryOption>;
  /** Tables consulted for unknown options, only to know whether they take a value. */
  valueHints?: readonly OptionTable[];
  /** Stop at the first positional (group parsing); otherwise collect positionals. */
  stopAtPositional: boolean;
  /** Set `misplaced` on the options found in the `misplaced` table (false: Celery 4 executables, where they are global options). */
  markMisplaced?: boolean;
}

interface ParseOutput {
  options: CeleryOption[];
  misplaced: CeleryOption[];
  positionals: CeleryPositional[];
}

/** The parse configurations, built once (they are read, never changed). */
const GROUP_CONFIG: ParseConfig = { table: GLOBAL_TABLE, valueHints: [WORKER_TABLE, BEAT_TABLE], stopAtPositional: true };
const WORKER_CONFIG: ParseConfig = { table: WORKER_TABLE, misplaced: GLOBAL_TABLE, removed: REMOVED_BY_SPELLING, stopAtPositional: false };
const BEAT_CONFIG: ParseConfig = { table: BEAT_TABLE, misplaced: GLOBAL_TABLE, stopAtPositional: false };
const GENERIC_CONFIG: ParseConfig = { stopAtPositional: false };
// Celery 4 executables took -A & co. as their own options: they come out as global options.
const LEGACY_WORKER_CONFIG: ParseConfig = { ...WORKER_CONFIG, markMisplaced: false };
const LEGACY_BEAT_CONFIG: ParseConfig = { ...BEAT_CONFIG, markMisplaced: false };

/**
 * Working lists of buildCommand, shared by every call (it never runs inside itself): the command keeps
 * exact-size copies (see exact). They are emptied with pop, which keeps their room; `length = 0`
 * would give it back and every later push would allocate again.
 */
const scratchGlobals: ParseOutput = { options: [], misplaced: [], positionals: [] };
const scratchSub: ParseOutput = { options: [], misplaced: [], positionals: [] };

function emptied(out: ParseOutput): ParseOutput {
  while (out.options.length > 0) out.options.pop();
  while (out.misplaced.length > 0) out.misplaced.pop();
  while (out.positionals.length > 0) out.positionals.pop();
  return out;
}

/** The empty list every command without such options shares (commands are read-only results). */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** A copy as long as the list (a list grown by push keeps room for 16 more). */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** The options of a list as kept by the command: an exact-size list of kept options (see keptOption). */
function keptOptions(list: CeleryOption[]): CeleryOption[] {
  if (list.length === 0) return NONE;
  const kept = list.slice();
  for (let k = 0; k < kept.length; k++) kept[k] = keptOption(kept[k] as Option);
  return kept;
}

/**
 * The spellings of the option tables, to record an option's spelling as the table's string rather
 * than a slice of the command (which would be kept alive with every command read).
 */
const SPELLINGS: ReadonlyMap<string, string> = new Map(
  [GLOBAL_TABLE, WORKER_TABLE, BEAT_TABLE]
    .flatMap((t) => [...t.long.keys(), ...t.short.keys()])
    .concat(REMOVED_WORKER_OPTIONS.map((r) => r.spelling))
    .map((k) => [k, k]),
);

/** Whether a long table has a spelling with one dash (then '-x...' tokens are looked up there first, as click does). */
const SINGLE_DASH_LONG = [GLOBAL_TABLE, WORKER_TABLE, BEAT_TABLE].some((t) => [...t.long.keys()].some((k) => !k.startsWith('--')));

/** The table spellings by length, to find the one before a '=' without cutting the token. */
const SPELLINGS_BY_LENGTH: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = [];
  for (const k of SPELLINGS.keys()) (byLength[k.length] ??= []).push(k);
  return Array.from(byLength, (list) => list ?? []);
})();

/** The table spelling that `t` has before `eq` (the index of its '='), if any. */
function tableSpellingBefore(t: string, eq: number): string | undefined {
  const candidates = eq < SPELLINGS_BY_LENGTH.length ? SPELLINGS_BY_LENGTH[eq] : undefined;
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) if (t.startsWith(candidates[k])) return candidates[k];
  return undefined;
}

function subcommandConfig(sub: CelerySubcommand): ParseConfig {
  return sub === 'worker' ? WORKER_CONFIG : sub === 'beat' ? BEAT_CONFIG : GENERIC_CONFIG;
}

/** '-' + the character, for every ASCII character: short spellings without building a string per option. */
const ASCII_SHORT: readonly string[] = Array.from({ length: 128 }, (_, c) => {
  const spelling = '-' + String.fromCharCode(c);
  // The tables' own strings where they have one (compared by identity later).
  return GLOBAL_TABLE.short.has(spelling) || WORKER_TABLE.short.has(spelling) || BEAT_TABLE.short.has(spelling)
    ? [...GLOBAL_TABLE.short.keys(), ...WORKER_TABLE.short.keys(), ...BEAT_TABLE.short.keys()].find((k) => k === spelling)!
    : spelling;
});

function lookupHint(hints: readonly OptionTable[] | undefined, spelling: string, isShort: boolean): CeleryOptionSpec | undefined {
  if (!hints) return undefined;
  for (const h of hints) {
    const s = isShort ? h.short.get(spelling) : h.long.get(spelling);
    if (s) return s;
  }
  return undefined;
}

/** Parses options from state.i until state.end (or the first positional when stopAtPositional). */
function parseOptions(st: ParseState, cfg: ParseConfig, out: ParseOutput): void {
  let optionsDone = false;
  while (st.i < st.end) {
    const tok = st.tokens[st.i];
    const t = tok.text;
    if (optionsDone || !(t.length > 1 && t.charCodeAt(0) === 0x2d)) {
      if (cfg.stopAtPositional) return;
      out.positionals.push({ text: t, start: tok.start, end: tok.end });
      st.i++;
      continue;
    }
    if (t === '--') {
      st.i++;
      if (cfg.stopAtPositional) return;
      optionsDone = true;
      continue;
    }
    st.i++;
    if (!cfg.table) {
      genericOption(st, tok, out);
      continue;
    }
    const isDoubleDash = t.charCodeAt(1) === 0x2d;
    if (!isDoubleDash && !SINGLE_DASH_LONG) {
      // No long spelling has one dash: click's long lookup cannot match ('-A', '-linfo', '-l=info').
      shortCluster(st, tok, cfg, out);
      continue;
    }
    const eq = t.indexOf('=');
    const longPart = eq >= 0 ? (tableSpellingBefore(t, eq) ?? t.slice(0, eq)) : (SPELLINGS.get(t) ?? t);
    // 1. long match (click tries the long table first, also for '-x=...').
    const spec = cfg.table.long.get(longPart);
    if (spec) {
      out.options.push(longOption(st, tok, longPart, eq, spec, spec.name, true, true, true));
      continue;
    }
    if (isDoubleDash) {
      // Unknown long option: misplaced global, removed spelling, or unknown.
      const g = cfg.misplaced?.long.get(longPart);
      if (g) {
        const o = longOption(st, tok, longPart, eq, g, g.name, true, true, true);
        if (cfg.markMisplaced !== false) o.misplaced = true;
        out.misplaced.push(o);
        continue;
      }
      const r = cfg.removed?.get(longPart);
      if (r) {
        const pseudo: CeleryOptionSpec = { name: r.replacement ?? r.spelling, isFlag: r.isFlag, type: r.isFlag ? 'flag' : 'string' };
        const o = longOption(st, tok, longPart, eq, pseudo, pseudo.name, true, false, true);
        o.removed = true;
        out.options.push(o);
        continue;
      }
      const hint = lookupHint(cfg.valueHints, longPart, false);
      const unknownSpec: CeleryOptionSpec = { name: longPart, isFlag: !hint || hint.isFlag, type: 'string' };
      // Unknown: no spec, and whether it takes a value we cannot tell (no unexpectedValue).
      const o = longOption(st, tok, longPart, eq, unknownSpec, longPart, false, false, false);
      out.options.push(o);
      continue;
    }
    shortCluster(st, tok, cfg, out);
  }
}

/**
 * A long option (or a multi-character single-dash spelling) matched to spec; `keepSpec`: record spec
 * on the option, `reportUnexpected`: mark a flag written with '=value'.
 */
function longOption(
  st: ParseState,
  tok: ArgToken,
  spelling: string,
  eq: number,
  spec: CeleryOptionSpec,
  name: string,
  known: boolean,
  keepSpec: boolean,
  reportUnexpected: boolean,
): CeleryOption {
  const len = tok.text.length;
  const o = readingOption(name, spelling, tok.start, tok.end, tokenBoundary(tok, eq >= 0 ? eq : len), known);
  if (keepSpec) o.spec = spec;
  if (eq >= 0) {
    o.form = 'equals';
    o.setValue(tok.text.slice(eq + 1), tokenBoundary(tok, eq + 1), tok.end);
    if (spec.isFlag && reportUnexpected) o.unexpectedValue = true;
    return o;
  }
  if (spec.isFlag) return o;
  takeSeparateValue(st, o);
  return o;
}

function takeSeparateValue(st: ParseState, o: Option): void {
  o.form = 'separate';
  if (st.i < st.end) {
    const v = st.tokens[st.i++];
    o.setValue(v.text, v.start, v.end);
  } else {
    o.missingValue = true;
  }
}

/** Short options, click style: each character is an option; a value-taking one eats the rest or the next token. */
function shortCluster(st: ParseState, tok: ArgToken, cfg: ParseConfig, out: ParseOutput): void {
  const t = tok.text;
  const len = t.length;
  const first = out.options.length;
  const firstMis = out.misplaced.length;
  let count = 0;
  let w = 1;
  for (let k = 1; k < len; k += w) {
    // One character, not one UTF-16 unit: an emoji after '-' must not be cut in half.
    const c = t.charCodeAt(k);
    w = c >= 0xd800 && c <= 0xdbff && t.codePointAt(k)! > 0xffff ? 2 : 1;
    const spelling = c < 128 ? ASCII_SHORT[c] : '-' + t.slice(k, k + w);
    let spec = cfg.table?.short.get(spelling);
    let known = !!spec;
    let misplaced = false;
    if (!spec) {
      const g = cfg.misplaced?.short.get(spelling);
      if (g) {
        spec = g;
        known = true;
        misplaced = true;
      }
    }
    const nameStart = k === 1 ? tok.start : tokenBoundary(tok, k);
    const nameEnd = tokenBoundary(tok, k + w);
    const o = readingOption(spec ? spec.name : spelling, spelling, nameStart, nameEnd, nameEnd, known);
    if (spec && known) o.spec = spec;
    if (misplaced && cfg.markMisplaced !== false) o.misplaced = true;
    (misplaced ? out.misplaced : out.options).push(o);
    count++;
    const hint = spec ? undefined : lookupHint(cfg.valueHints, spelling, true);
    const takesValue = spec ? !spec.isFlag : hint !== undefined && !hint.isFlag;
    const rest = k + w < len;
    if (takesValue || (!spec && rest)) {
      if (rest) {
        let vFrom = k + w;
        if (known && t.charCodeAt(vFrom) === 0x3d) {
          o.invalidEquals = true;
          o.form = 'equals';
          vFrom++;
        } else {
          o.form = 'glued';
        }
        o.setValue(t.slice(vFrom), tokenBoundary(tok, vFrom), tok.end);
      } else {
        takeSeparateValue(st, o);
      }
      break;
    }
    if (!spec) break;
  }
  if (count > 1) {
    const group = [...out.options.slice(first), ...out.misplaced.slice(firstMis)];
    for (const o of group) o.combined = true;
    let head = group[0];
    for (const o of group) if (o.start < head.start) head = o;
    head.combinedHead = true;
  }
}

/** Without a table: `--x=y` has a value, anything else is a flag; nothing consumes the next token. */
function genericOption(_st: ParseState, tok: ArgToken, out: ParseOutput): void {
  const t = tok.text;
  const eq = t.startsWith('--') ? t.indexOf('=') : -1;
  const nameLen = eq >= 0 ? eq : t.startsWith('--') ? t.length : Math.min(2, t.length);
  const name = t.slice(0, nameLen);
  const o = readingOption(name, name, tok.start, tok.end, tokenBoundary(tok, nameLen), false);
  const vFrom = eq >= 0 ? eq + 1 : nameLen < t.length ? nameLen : -1;
  if (vFrom >= 0) {
    o.form = eq >= 0 ? 'equals' : 'glued';
    o.setValue(t.slice(vFrom), tokenBoundary(tok, vFrom), tok.end);
  }
  out.options.push(o);
}

function subcommandOf(text: string): CelerySubcommand {
  // The constants, not `text`: later comparisons with them are then identity checks.
  switch (text) {
    case 'worker':
      return 'worker';
    case 'beat':
      return 'beat';
    case 'flower':
      return 'flower';
    case 'multi':
      return 'multi';
    default:
      return 'other';
  }
}

function tableFor(sub: CelerySubcommand): OptionTable | undefined {
  return sub === 'worker' ? WORKER_TABLE : sub === 'beat' ? BEAT_TABLE : undefined;
}

/**
 * The names an option asked for by `name` may carry: the name itself, its canonical name in the
 * sub-command's table and in the global table, and the replacement of a removed spelling. Computed
 * once per (table, name) and shared by every command.
 */
const CANONICAL_LIMIT = 1000;
const workerNames = new Map<string, readonly string[]>();
const beatNames = new Map<string, readonly string[]>();
const otherNames = new Map<string, readonly string[]>();

function canonicalNames(sub: CelerySubcommand, name: string): readonly string[] {
  const table = tableFor(sub);
  const memo = table === WORKER_TABLE ? workerNames : table === BEAT_TABLE ? beatNames : otherNames;
  const hit = memo.get(name);
  if (hit) return hit;
  const names = [name];
  for (const tb of [table, GLOBAL_TABLE]) {
    if (!tb) continue;
    const s = tb.long.get(name) ?? tb.short.get(name);
    if (s && !names.includes(s.name)) names.push(s.name);
  }
  const r = REMOVED_BY_SPELLING.get(name);
  if (r?.replacement && !names.includes(r.replacement)) names.push(r.replacement);
  if (memo.size >= CANONICAL_LIMIT) memo.clear();
  memo.set(name, names);
  return names;
}

function matches(names: readonly string[], o: CeleryOption): boolean {
  if (names.length === 1) return names[0] === o.name || names[0] === o.spelling;
  for (let k = 0; k < names.length; k++) if (names[k] === o.name || names[k] === o.spelling) return true;
  return false;
}

/**
 * The last option in `list` (ordered by position) that answers to one of `names` and starts after
 * `after`: the scan stops at the first option before it.
 */
function lastMatching(list: readonly CeleryOption[], names: readonly string[], after: number): CeleryOption | undefined {
  for (let k = list.length - 1; k >= 0; k--) {
    const o = list[k];
    if (o.start < after) return undefined;
    if (matches(names, o)) return o;
  }
  return undefined;
}

/**
 * One of 32 bits for an option name or spelling: a command ORs the bits of what it holds, so a lookup
 * whose bits it lacks answers "absent" without scanning (rules mostly ask clean workers for options
 * they do not have: --hostname, --autoscale, --time-limit ...). A shared bit only costs the scan.
 */
function nameBit(name: string): number {
  const n = name.length;
  return 1 << ((n + name.charCodeAt(n - 1) * 7 + name.charCodeAt(n - 2) * 3) & 31);
}

function namesBits(names: readonly string[]): number {
  let bits = 0;
  for (let k = 0; k < names.length; k++) bits |= nameBit(names[k]);
  return bits;
}

function optionsBits(list: readonly CeleryOption[]): number {
  let bits = 0;
  for (let k = 0; k < list.length; k++) bits |= nameBit(list[k].name) | nameBit(list[k].spelling);
  return bits;
}

/**
 * CeleryCommand.get, shared by every command: the last occurrence by position across sub-command,
 * misplaced global and global options. Each list is in position order: the last match of each list
 * that comes after the best match so far (global options usually all come before the others).
 */
function getOption(this: Command, name: string): CeleryOption | undefined {
  if (typeof name !== 'string') return undefined;
  const names = canonicalNames(this.subcommand, name);
  if ((this.optionBits & namesBits(names)) === 0) return undefined;
  let found = lastMatching(this.options, names, -1);
  const m = lastMatching(this.misplacedGlobalOptions, names, found ? found.start : -1);
  if (m) found = m;
  const g = lastMatching(this.globalOptions, names, found ? found.start : -1);
  if (g) found = g;
  return found;
}

function hasOption(this: CeleryCommand, name: string): boolean {
  return this.get(name) !== undefined;
}

/** Command.traits. */
const VIA_PYTHON_M = 1;
const VIA_SHELL = 2;
const SHELL_EXEC = 4;
const OPTIONS_CHECKED = 8;

/**
 * CeleryCommand objects come from one constructor (the optional fields then live inside the object).
 * The fields are set in the order of the object literal this replaces; get and has are shared
 * functions on the prototype.
 */
class Command {
  subcommand: CelerySubcommand;
  executable: string;
  executableStart: number;
  executableEnd: number;
  /** viaPythonM, viaShell, shellExec and optionsChecked, one bit each (one field instead of four). */
  private traits: number;
  /** nameBit of every name and spelling in the three option lists (options are never changed once read). */
  readonly optionBits: number;
  globalOptions: CeleryOption[];
  options: CeleryOption[];
  misplacedGlobalOptions: CeleryOption[];
  positionals: CeleryPositional[];
  insertOffset: number;
  endOffset: number;
  constructor(
    subcommand: CelerySubcommand,
    exe: ArgToken,
    inv: Invocation,
    globalOptions: CeleryOption[],
    options: CeleryOption[],
    misplacedGlobalOptions: CeleryOption[],
    positionals: CeleryPositional[],
    optionsChecked: boolean,
    insertOffset: number,
    endOffset: number,
  ) {
    this.subcommand = subcommand;
    this.executable = exe.text;
    this.executableStart = exe.start;
    this.executableEnd = exe.end;
    this.traits =
      (inv.how === 'module' ? VIA_PYTHON_M : 0) | (inv.viaShell ? VIA_SHELL : 0) | (inv.shellExec ? SHELL_EXEC : 0) | (optionsChecked ? OPTIONS_CHECKED : 0);
    this.globalOptions = globalOptions;
    this.options = options;
    this.misplacedGlobalOptions = misplacedGlobalOptions;
    this.optionBits = optionsBits(globalOptions) | optionsBits(options) | optionsBits(misplacedGlobalOptions);
    this.positionals = positionals;
    this.insertOffset = insertOffset;
    this.endOffset = endOffset;
  }

  get viaPythonM(): boolean {
    return (this.traits & VIA_PYTHON_M) !== 0;
  }
  get viaShell(): boolean {
    return (this.traits & VIA_SHELL) !== 0;
  }
  get shellExec(): boolean {
    return (this.traits & SHELL_EXEC) !== 0;
  }
  get optionsChecked(): boolean {
    return (this.traits & OPTIONS_CHECKED) !== 0;
  }
}
// Shared by every command on the prototype (two fields less per command).
interface Command extends Pick<CeleryCommand, 'get' | 'has'> {}
Command.prototype.get = getOption;
Command.prototype.has = hasOption;

/** buildCommand's parse position, shared by every call (it never runs inside itself). */
const parseState: ParseState = { tokens: [], i: 0, end: 0 };

function buildCommand(inv: Invocation, argvError: ArgvError | undefined): CeleryCommand {
  // Every option read below is kept (keptOptions) before this returns: they can reuse the last reading's.
  startReading();
  const toks = inv.tokens;
  const exe = toks[inv.exeIndex];
  const progTok = toks[inv.programIndex];
  const program = inv.program as Program;
  const st = parseState;
  st.tokens = toks;
  st.i = inv.argsIndex;
  st.end = inv.argsEnd;
  const globals = emptied(scratchGlobals);
  const sub = emptied(scratchSub);
  let subcommand: CelerySubcommand = 'other';
  let subTok: ArgToken | undefined;
  let legacy: CeleryCommand['legacyExecutable'];
  let optionsChecked = false;
  let globalOptions: CeleryOption[];
  let misplacedGlobalOptions: CeleryOption[];

  const viaManagePy = inv.how === 'django';
  if (program === 'celeryd' || program === 'celerybeat' || program === 'celeryd-multi') {
    if (!viaManagePy) legacy = program;
    subcommand = program === 'celeryd' ? 'worker' : program === 'celerybeat' ? 'beat' : 'multi';
    optionsChecked = !viaManagePy && !!tableFor(subcommand);
    // Celery 4 executables took -A & co. as their own options: report them as global options.
    parseOptions(st, subcommand === 'worker' ? LEGACY_WORKER_CONFIG : subcommand === 'beat' ? LEGACY_BEAT_CONFIG : GENERIC_CONFIG, sub);
    globalOptions = keptOptions(sub.misplaced);
    misplacedGlobalOptions = NONE;
  } else if (program === 'flower') {
    subcommand = 'flower';
    parseOptions(st, GENERIC_CONFIG, sub);
    globalOptions = NONE;
    misplacedGlobalOptions = keptOptions(sub.misplaced);
  } else {
    parseOptions(st, GROUP_CONFIG, globals);
    if (st.i < st.end) {
      subTok = toks[st.i++];
      subcommand = subcommandOf(subTok.text);
    }
    const table = tableFor(subcommand);
    optionsChecked = !viaManagePy && !!table;
    if (table) {
      for (const g of globals.options) {
        if (g.known) continue;
        const spec = g.spelling.startsWith('--') ? table.long.get(g.spelling) : table.short.get(g.spelling);
        if (spec) {
          g.name = spec.name;
          g.beforeSubcommand = true;
        }
      }
    }
    parseOptions(st, subcommandConfig(subcommand), sub);
    globalOptions = keptOptions(globals.options);
    misplacedGlobalOptions = keptOptions(sub.misplaced);
  }
  const options = keptOptions(sub.options);
  const positionals = exact(sub.positionals);

  const lastArgEnd = inv.argsEnd > inv.argsIndex ? toks[inv.argsEnd - 1].end : progTok.end;
  const insertOffset = subTok ? subTok.end : progTok.end;
  const cmd: CeleryCommand = new Command(
    subcommand,
    exe,
    inv,
    globalOptions,
    options,
    misplacedGlobalOptions,
    positionals,
    optionsChecked,
    insertOffset,
    Math.max(lastArgEnd, insertOffset),
  );
  if (subTok) {
    cmd.subcommandStart = subTok.start;
    cmd.subcommandEnd = subTok.end;
    // The sub-command's constant when it is one ('worker' ...): no slice of the command kept per command.
    cmd.subcommandText = subcommand === 'other' ? subTok.text : subcommand;
  }
  if (inv.how !== 'module' && progTok.text.includes('/')) cmd.celeryExecutablePath = progTok.text;
  if (inv.shell !== undefined) cmd.shell = inv.shell;
  if (inv.shellSegments !== undefined) cmd.shellCommands = inv.shellSegments;
  if (inv.shellWaits) cmd.shellWaits = true;
  if (inv.execAt !== undefined) cmd.execAt = inv.execAt;
  if (inv.shellDetaches) cmd.shellDetaches = true;
  if (inv.shellTraps) cmd.shellTraps = inv.shellTraps;
  if (inv.shellNested) cmd.shellNested = true;
  if (legacy) cmd.legacyExecutable = legacy;
  if (viaManagePy) cmd.managePy = { command: progTok.text, start: progTok.start, end: progTok.end, script: toks[inv.programIndex - 1].text };
  if (inv.wrappers) cmd.wrappers = [...inv.wrappers];
  if (inv.wrapperWords) cmd.wrapperWords = inv.wrapperWords.map((w) => ({ ...w }));
  if (argvError) cmd.argvError = argvError;
  for (let k = 0; k < positionals.length; k++) if (isUnknownArguments(positionals[k].text, inv.viaShell)) (cmd.unknownArguments ??= []).push(positionals[k]);
  return cmd;
}

/**
 * Recognises a Celery invocation in a `command=` value (undefined when the command does not run celery).
 * Through a shell script with several celery commands, the first worker/beat one wins, then the first
 * flower/multi one, then the last one.
 */
/** readCeleryCommand's conditional parts, shared by every call (it never runs inside itself): no array per command read. */
const conditionalParts: Span[] = [];

export function readCeleryCommand(command: string): CeleryCommand | undefined {
  try {
    // The command keeps texts and offsets, never a token: the argv's token objects can be reused.
    // A template's {% if %} … {% endif %} is read as absent, and may add any options (unknownArguments).
    const conditional = conditionalParts;
    while (conditional.length > 0) conditional.pop();
    const located = locateRendered(command, matchCelery, true, conditional);
    if (!located || located.candidates.length === 0) return undefined;
    let cmd: CeleryCommand;
    if (located.candidates.length === 1) cmd = buildCommand(located.candidates[0], located.argvError);
    else {
      const cmds = located.candidates.map((c) => buildCommand(c, located.argvError));
      cmd =
        cmds.find((c) => c.subcommand === 'worker' || c.subcommand === 'beat') ??
        cmds.find((c) => c.subcommand === 'flower' || c.subcommand === 'multi') ??
        cmds[cmds.length - 1];
    }
    for (const part of conditional) if (part.start >= cmd.executableEnd) (cmd.unknownArguments ??= []).push(conditionalArguments(command, part));
    return cmd;
  } catch {
    return undefined;
  }
}

/** A conditional part as the messages name it: `{% if pool %} … {% endif %}`, its first and last statements. */
function conditionalArguments(command: string, part: Span): CeleryPositional {
  const opening = command.slice(part.start, command.indexOf('%}', part.start) + 2);
  const closing = command.slice(command.lastIndexOf('{%', part.end - 1), part.end);
  return { text: `${opening} … ${closing}`, start: part.start, end: part.end };
}

/**
 * The edit that deletes one option from the command: its span, or for the first option of a combined
 * short group (`-DB`, `-Bc4`) the span with '-' as replacement so the rest stays an option (`-B`, `-c4`).
 * Callers may widen the span over the whitespace before it.
 */
export function optionRemoval(option: CeleryOption): { start: number; end: number; newText: string } {
  if (option.combinedHead && option.end === option.nameEnd) {
    return { start: option.start, end: option.end, newText: '-' };
  }
  return { start: option.start, end: option.end, newText: '' };
}

/** The -P/--pool value as written ('prefork' when -P is absent or has no value). */
export function poolOf(cmd: CeleryCommand): string {
  return poolNamedBy(cmd && typeof cmd.get === 'function' ? cmd.get('--pool') : undefined);
}

/** The pool a -P/--pool option (or its absence) selects, as written: poolOf for a caller that already holds the option. */
export function poolNamedBy(option: CeleryOption | undefined): string {
  return option?.value ?? 'prefork';
}

/** prefork and its compat alias processes: child processes, where per-child limits work. */
export function isProcessPool(pool: string): boolean {
  return (CHILD_RECYCLING_POOLS as readonly string[]).includes(pool);
}

/**
 * The pool size a worker command sets: autoscale's maximum wins over -c (`how` is the option as
 * written). Undefined when Celery picks it: no valid -c, or -c 0 (one per CPU core).
 */
export function poolSizeOf(cmd: CeleryCommand): { n: number; how: string } | undefined {
  const auto = cmd.get('--autoscale')?.value;
  if (auto !== undefined && /^\d+(,\d+)?$/.test(auto)) {
    const max = Math.max(...auto.split(',').map(Number));
    return { n: max, how: `--autoscale ${auto}` };
  }
  const c = cmd.get('--concurrency');
  if (c && !c.invalidEquals && c.value !== undefined && /^\d+$/.test(c.value) && Number(c.value) > 0) return { n: Number(c.value), how: `${c.spelling} ${c.value}` };
  return undefined;
}

/** threads, gevent, eventlet: one process. */
export function isThreadOrGreenletPool(pool: string): boolean {
  return (THREAD_OR_GREENLET_POOLS as readonly string[]).includes(pool);
}


