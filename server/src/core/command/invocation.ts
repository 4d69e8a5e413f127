/**
 * Finds where a given program (celery, memmon ...) is invoked inside a supervisor `command=` value:
 * directly (`/venv/bin/celery ...`), through an interpreter (`python -m celery ...`,
 * `python /venv/bin/celery ...`), after wrappers (`env A=b`, `nice -n 5`, `timeout 1d`, `sudo -u app`,
 * `su app -c "..."` ...: WRAPPER_NAMES), or inside a `bash -c "..."` / `sh -c '...'` script (after `cd x &&`,
 * `source ...;`, assignments and `exec`).
 *
 * All tokens returned are in offset space of the original command string: tokens found inside a shell
 * script are mapped back through the outer token's offsets. Linear time, never throws.
 */
import { basename, splitArgv, splitArgvTransient, type ArgToken, type ArgvError } from './argv';
import { splitShell, type ShellToken } from './shell';

/** How the program is named: its executable, `python -m module`, `python script`, or `manage.py command` (a Django management command). */
export type MatchHow = 'executable' | 'module' | 'script' | 'django';

/** Returns a label when `name` (an executable basename, a `-m` module, a script basename or a Django command) is the program looked for. */
export type ProgramMatcher = (name: string, how: MatchHow) => string | undefined;

export interface Invocation {
  /** Token array the indexes below refer to (outer argv, or the words of one shell-script command). */
  tokens: ArgToken[];
  /** The executable that is run: the program itself, or the python interpreter. */
  exeIndex: number;
  /** The token that names the program: same as exeIndex, or the `-m` module token, or the script token, or the command after manage.py. */
  programIndex: number;
  /** First argument of the program itself, and the exclusive end of its arguments. */
  argsIndex: number;
  argsEnd: number;
  /** The matcher's label. */
  program: string;
  how: MatchHow;
  /** The module name when how === 'module'. */
  module?: string;
  viaShell: boolean;
  shellExec: boolean;
  /** The shell executable token text, when viaShell. */
  shell?: string;
  /** Index of the segment inside the shell script (0 = first command), when viaShell. */
  shellSegment?: number;
  /** Number of commands in the shell script, when viaShell. */
  shellSegments?: number;
  /**
   * When viaShell: the shell certainly runs the command as its child and waits for it, so a signal sent
   * to the shell never reaches the command (no exec; sh/dash always fork, bash where it is not the
   * script's only or last plain command). False where the shell may replace itself with it.
   */
  shellWaits?: boolean;
  /** When shellWaits: where `exec ` makes the shell replace itself with the command (its first word after assignments), when that changes nothing else (the script's last command, not piped or in the background). */
  execAt?: number;
  /** When shellWaits: the command runs in the background (`&`) and the script has no later `wait`, so the shell exits at once and leaves it running. */
  shellDetaches?: boolean;
  /** When shellWaits and the command runs in the background with a later `wait`: the signals the script traps with a command of its own (`trap 'kill $child' TERM`), by name without SIG ('TERM'). */
  shellTraps?: string[];
  /** When viaShell: that shell runs inside another shell's script (`sh -c "timeout 1d sh -c '...'"`), whose own waiting is not followed. */
  shellNested?: boolean;
  /** Wrapper programs in front of the program, outermost first, by name (WRAPPER_NAMES); also those in front of the shell. */
  wrappers?: string[];
  /** The same wrappers: the word that names each, and what it does with supervisor's stop signal. */
  wrapperWords?: WrapperWord[];
}

/**
 * What a wrapper does with the stop signal supervisor sends it (checked here where the tool exists; see
 * WRAPPER_NAMES):
 * - 'exec': it replaces itself with the next program (env, nice, ionice, stdbuf, chpst, setuidgid, gosu,
 *   poetry run ...), which gets the signal itself;
 * - 'relays': it runs the program as its child, passes the stop signals on to it and waits (sudo, uv run,
 *   timeout --foreground);
 * - 'relays-to-group': it passes them on to its whole process group, every process the program started
 *   included, and waits (timeout without --foreground);
 * - 'drops': it runs the program as its child and dies on TERM without passing it on (flock without -F);
 * - 'kills': it passes TERM on, then sends SIGKILL 2 seconds later, whether or not the program has exited
 *   (su, runuser).
 */
export type WrapperSignals = 'exec' | 'relays' | 'relays-to-group' | 'drops' | 'kills';

export interface WrapperWord {
  /** 'env', 'timeout', 'flock' ... (the program's basename, or 'poetry' for `poetry run`). */
  name: string;
  signals: WrapperSignals;
  /** The span of the wrapper's own word (`/usr/bin/timeout`). */
  start: number;
  end: number;
  /** It runs the shell that runs Celery (`timeout 1d sh -c "..."`, `su app -c "..."`), so it gets supervisor's signal before that shell. */
  outsideShell?: boolean;
  /** timeout's -s/--signal value as written (`KILL`, `9`, `SIGINT`): what it sends when its duration runs out, TERM without it. */
  signal?: string;
  /** timeout's -k/--kill-after duration, as written and where: SIGKILL that long after any signal it passes on. */
  killAfter?: KillAfter;
}

/**
 * timeout's -k value: its text and where it is (`start`/`end`, the unquoted value), and the raw span a fix
 * replaces whole (`word`): the value's own word, or the option word it is written in (`-k'5'`,
 * `--kill-after='5'`), whose option part `head` the fix writes again. Replacing only the value's span would
 * leave the quote before it without its closing one (`-k'600`).
 */
export interface KillAfter {
  text: string;
  start: number;
  end: number;
  word: { start: number; end: number; head: string };
}

/**
 * The wrappers read, and what each does with signals. Checked here by running each in front of a program
 * that traps TERM, the way supervisord starts one (fork, setpgrp, exec; kill the pid): env, nohup, nice,
 * ionice, stdbuf, taskset-like tools replace themselves (the pid is the program's); timeout (coreutils 9.1)
 * passes TERM, INT, QUIT and HUP on to its process group and waits, with --foreground to the program only;
 * flock (util-linux 2.38) dies on TERM and leaves the program running, with -F it replaces itself; su and
 * runuser (util-linux 2.38) pass TERM on and send SIGKILL 2 s later. Not installed here, from their
 * sources and manuals: sudo relays the signals it receives and waits; uv run spawns the program and
 * passes TERM on (since uv 0.5.1); poetry run, pipenv run, dotenv run (python-dotenv 1.x), newrelic-admin
 * run-program, ddtrace-run, opentelemetry-instrument, chpst, setuidgid, gosu and su-exec exec.
 */
export const WRAPPER_NAMES: readonly string[] = [
  'env', 'nohup', 'nice', 'ionice', 'stdbuf', 'timeout', 'flock', 'chpst', 'setuidgid', 'gosu', 'su-exec',
  'sudo', 'su', 'runuser', 'poetry', 'pipenv', 'uv', 'dotenv', 'newrelic-admin', 'ddtrace-run', 'opentelemetry-instrument',
];

export interface LocateResult {
  candidates: Invocation[];
  /** shlex error of the outer command, or (mapped) quoting error inside the shell script. */
  argvError?: ArgvError;
  /** The outer argv. */
  argv: ArgToken[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'busybox-sh']);
const MAX_SHELL_DEPTH = 2;

/** 'python', 'python3', 'python3.11', 'pypy3' ... */
export function isPythonName(base: string): boolean {
  let rest: string;
  if (base.startsWith('python')) rest = base.slice(6);
  else if (base.startsWith('pypy')) rest = base.slice(4);
  else return false;
  for (let k = 0; k < rest.length; k++) {
    const c = rest.charCodeAt(k);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2e)) return false;
  }
  return true;
}

export function isAssignment(t: string): boolean {
  const eq = t.indexOf('=');
  if (eq <= 0) return false;
  for (let k = 0; k < eq; k++) {
    const c = t.charCodeAt(k);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (!(alpha || (k > 0 && c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/** The result of every transient call (emptied with pop, which keeps the list's room). */
const transientResult: LocateResult = { candidates: [], argv: [], argvError: undefined };

/**
 * `transient`: the caller keeps no token of the result (nor the result) past its next call, only their
 * texts and offsets; the outer argv may then be made of token objects reused from call to call.
 */
export function locateInvocations(command: string, matcher: ProgramMatcher, transient = false): LocateResult {
  const src = typeof command === 'string' ? command : '';
  let result: LocateResult;
  if (transient) {
    const outer = splitArgvTransient(src);
    result = transientResult;
    const candidates = result.candidates;
    while (candidates.length > 0) candidates.pop();
    result.argv = outer.tokens;
    result.argvError = outer.error;
  } else {
    const outer = splitArgv(src);
    result = { candidates: [], argv: outer.tokens };
    if (outer.error) result.argvError = outer.error;
  }
  const argv = result.argv;
  try {
    resolve(src, argv, 0, argv.length, matcher, result, DIRECT, 0);
  } catch {
    // Defensive: never throw on any input.
  }
  return result;
}

interface ShellCtx {
  viaShell: boolean;
  shellExec: boolean;
  shell?: string;
  shellSegment?: number;
  shellSegments?: number;
  shellWaits?: boolean;
  execAt?: number;
  shellDetaches?: boolean;
  shellTraps?: string[];
  shellNested?: boolean;
}

/** The context of a command run directly (not through a shell script). */
const DIRECT: ShellCtx = { viaShell: false, shellExec: false };

function pushInvocation(
  out: LocateResult,
  tokens: ArgToken[],
  exeIndex: number,
  to: number,
  ctx: ShellCtx,
  wrappers: WrapperList | undefined,
  programIndex: number,
  argsIndex: number,
  program: string,
  how: MatchHow,
  module?: string,
): void {
  if (out === transientResult) {
    out.candidates.push(reusedInvocation(out.candidates.length, tokens, exeIndex, to, ctx, wrappers, programIndex, argsIndex, program, how, module));
    return;
  }
  const inv: Invocation = {
    tokens,
    exeIndex,
    programIndex,
    argsIndex: Math.min(argsIndex, to),
    argsEnd: to,
    program,
    how,
    viaShell: ctx.viaShell,
    shellExec: ctx.shellExec,
  };
  if (module !== undefined) inv.module = module;
  if (ctx.shell !== undefined) inv.shell = ctx.shell;
  if (ctx.shellSegment !== undefined) inv.shellSegment = ctx.shellSegment;
  if (ctx.shellSegments !== undefined) inv.shellSegments = ctx.shellSegments;
  if (ctx.shellWaits !== undefined) inv.shellWaits = ctx.shellWaits;
  if (ctx.execAt !== undefined) inv.execAt = ctx.execAt;
  if (ctx.shellDetaches) inv.shellDetaches = true;
  if (ctx.shellTraps) inv.shellTraps = ctx.shellTraps;
  if (ctx.shellNested) inv.shellNested = true;
  if (wrappers) {
    inv.wrappers = wrappers.names;
    inv.wrapperWords = wrappers.words;
  }
  out.candidates.push(inv);
}

/** The invocations of transient results, rewritten by every call (the caller keeps none of them). */
const transientInvocations: Invocation[] = [];
const MAX_TRANSIENT_INVOCATIONS = 16;

/**
 * The k-th invocation of a transient result, every field written (an absent one as undefined): an
 * object reused from call to call rather than one made per command read.
 */
function reusedInvocation(
  k: number,
  tokens: ArgToken[],
  exeIndex: number,
  to: number,
  ctx: ShellCtx,
  wrappers: WrapperList | undefined,
  programIndex: number,
  argsIndex: number,
  program: string,
  how: MatchHow,
  module: string | undefined,
): Invocation {
  const inv: Invocation =
    k < transientInvocations.length
      ? transientInvocations[k]
      : { tokens, exeIndex, programIndex, argsIndex, argsEnd: to, program, how, viaShell: false, shellExec: false };
  if (k === transientInvocations.length && k < MAX_TRANSIENT_INVOCATIONS) transientInvocations.push(inv);
  inv.tokens = tokens;
  inv.exeIndex = exeIndex;
  inv.programIndex = programIndex;
  inv.argsIndex = Math.min(argsIndex, to);
  inv.argsEnd = to;
  inv.program = program;
  inv.how = how;
  inv.viaShell = ctx.viaShell;
  inv.shellExec = ctx.shellExec;
  inv.module = module;
  inv.shell = ctx.shell;
  inv.shellSegment = ctx.shellSegment;
  inv.shellSegments = ctx.shellSegments;
  inv.shellWaits = ctx.shellWaits;
  inv.execAt = ctx.execAt;
  inv.shellDetaches = ctx.shellDetaches;
  inv.shellTraps = ctx.shellTraps;
  inv.shellNested = ctx.shellNested;
  inv.wrappers = wrappers?.names;
  inv.wrapperWords = wrappers?.words;
  return inv;
}

/** The wrappers in front of a shell, each marked as running it (WrapperWord.outsideShell). */
function outsideShell(wrappers: WrapperList): WrapperList {
  return { names: wrappers.names, words: wrappers.words.map((w) => (w.outsideShell ? w : { ...w, outsideShell: true })) };
}

/** The wrappers in front of a program: their names and words, outermost first. */
interface WrapperList {
  names: string[];
  words: WrapperWord[];
}

function resolve(
  src: string,
  tokens: ArgToken[],
  from: number,
  to: number,
  matcher: ProgramMatcher,
  out: LocateResult,
  ctx: ShellCtx,
  depth: number,
  outer?: WrapperList,
): void {
  let i = from;
  if (i >= to) return;
  let base = basename(tokens[i].text);
  // Wrappers that run the next word as a program (readWrapper): `env A=b prog`, `nice -n 5 prog`,
  // `timeout 1d prog`, `sudo -u app prog`, `poetry run prog` ...; those in front of a shell come along.
  let wrappers: WrapperList | undefined = outer && { names: [...outer.names], words: [...outer.words] };
  for (;;) {
    const w = readWrapper(tokens, i, to, base);
    if (w === undefined) break;
    wrappers ??= { names: [], words: [] };
    wrappers.names.push(w.name);
    const word: WrapperWord = { name: w.name, signals: w.signals, start: tokens[i].start, end: tokens[i].end };
    if (w.signal !== undefined) word.signal = w.signal;
    if (w.killAfter !== undefined) word.killAfter = w.killAfter;
    wrappers.words.push(word);
    if (w.script) {
      // `su app -c "celery ..."`, `flock /tmp/x -c "celery ..."`: a shell runs the script.
      if (depth < MAX_SHELL_DEPTH) scanShellScript(src, w.script, w.shell ?? '', matcher, out, depth, outsideShell(wrappers));
      return;
    }
    i = w.next;
    if (i >= to) return;
    base = basename(tokens[i].text);
  }
  if (isPythonName(base)) {
    let j = i + 1;
    while (j < to) {
      const t = tokens[j].text;
      if (t.length < 2 || t.charCodeAt(0) !== 0x2d) break; // script path, or '-' (stdin)
      if (t === '--') {
        j++;
        break;
      }
      if (t.startsWith('--')) {
        j += t === '--check-hash-based-pycs' ? 2 : 1;
        continue;
      }
      let skipNext = false;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (ch === 'c') return; // python -c '...'
        if (ch === 'm') {
          const glued = k + 1 < t.length;
          const name = glued ? t.slice(k + 1) : j + 1 < to ? tokens[j + 1].text : undefined;
          if (name === undefined) return;
          const m = matcher(name, 'module');
          if (m !== undefined) pushInvocation(out, tokens, i, to, ctx, wrappers, glued ? j : j + 1, glued ? j + 1 : j + 2, m, 'module', name);
          return;
        }
        if (ch === 'W' || ch === 'X') {
          skipNext = k + 1 >= t.length;
          break;
        }
      }
      j += skipNext ? 2 : 1;
    }
    if (j >= to) return;
    const script = tokens[j].text;
    if (script === '-') return;
    if (basename(script) === 'manage.py') return pushDjangoCommand(out, tokens, i, j, to, ctx, wrappers, matcher);
    const m = matcher(basename(script), 'script');
    if (m !== undefined) pushInvocation(out, tokens, i, to, ctx, wrappers, j, j + 1, m, 'script');
    return;
  }

  if (SHELLS.has(base)) {
    if (depth >= MAX_SHELL_DEPTH) return;
    const scriptIndex = findShellScript(tokens, i + 1, to);
    if (scriptIndex < 0) return;
    scanShellScript(src, tokens[scriptIndex], base, matcher, out, depth, wrappers && outsideShell(wrappers));
    return;
  }

  if (base === 'manage.py') return pushDjangoCommand(out, tokens, i, i, to, ctx, wrappers, matcher);
  const m = matcher(base, 'executable');
  if (m !== undefined) pushInvocation(out, tokens, i, to, ctx, wrappers, i, i + 1, m, 'executable');
}

/** `manage.py COMMAND ...`: Django runs the management command named right after the script (its argv[1]). */
function pushDjangoCommand(
  out: LocateResult,
  tokens: ArgToken[],
  exeIndex: number,
  scriptIndex: number,
  to: number,
  ctx: ShellCtx,
  wrappers: WrapperList | undefined,
  matcher: ProgramMatcher,
): void {
  const k = scriptIndex + 1;
  if (k >= to) return;
  const m = matcher(tokens[k].text, 'django');
  if (m !== undefined) pushInvocation(out, tokens, exeIndex, to, ctx, wrappers, k, k + 1, m, 'django');
}

/** A wrapper read at some word: what it does with signals, and where the program it runs starts. */
interface WrapperRead {
  name: string;
  signals: WrapperSignals;
  /** The index of the next word to read as a program. */
  next: number;
  /** Instead: the script a shell runs (`su app -c SCRIPT`, `flock FILE -c SCRIPT`), and that shell's name ('' when not known). */
  script?: ArgToken;
  shell?: string;
  /** timeout's -s value (WrapperWord.signal). */
  signal?: string;
  /** timeout's -k value (WrapperWord.killAfter). */
  killAfter?: KillAfter;
}

/** The wrapper that `base` (the word at i) names, with its options read, or undefined. */
function readWrapper(tokens: ArgToken[], i: number, to: number, base: string): WrapperRead | undefined {
  const after = i + 1 < to ? tokens[i + 1].text : undefined;
  switch (base) {
    case 'env':
      return { name: base, signals: 'exec', next: skipEnv(tokens, i + 1, to) };
    case 'nohup':
    case 'ddtrace-run':
      return { name: base, signals: 'exec', next: i + 1 };
    case 'nice':
      return { name: base, signals: 'exec', next: skipNice(tokens, i + 1, to) };
    case 'poetry':
    case 'pipenv':
      return after === 'run' ? { name: base, signals: 'exec', next: i + 2 } : undefined;
    case 'uv':
      // uv spawns the program and passes TERM on to it (uv 0.5.1 and later).
      return after === 'run' ? { name: base, signals: 'relays', next: skipUvRun(tokens, i + 2, to) } : undefined;
    case 'newrelic-admin':
      return after === 'run-program' ? { name: base, signals: 'exec', next: i + 2 } : undefined;
    case 'sudo':
      return { name: base, signals: 'relays', next: skipSudo(tokens, i + 1, to) };
    case 'setuidgid': // setuidgid ACCOUNT prog; gosu USER[:GROUP] prog; su-exec USER[:GROUP] prog
    case 'gosu':
    case 'su-exec':
      return { name: base, signals: 'exec', next: i + 2 };
    case 'timeout': {
      let foreground = false;
      let signal: string | undefined;
      let killAfter: WrapperRead['killAfter'];
      const j = readGetopt(tokens, i + 1, to, TIMEOUT_OPTIONS, (name, value, attached) => {
        if (name === 'foreground') foreground = true;
        else if (name === 's' || name === 'signal') signal = value?.text;
        else if ((name === 'k' || name === 'kill-after') && value) {
          const word = attached ? { start: attached.start, end: value.end, head: attached.head } : { start: value.start, end: value.end, head: '' };
          killAfter = { text: value.text, start: value.start, end: value.end, word };
        }
      }).end;
      const read: WrapperRead = { name: base, signals: foreground ? 'relays' : 'relays-to-group', next: j + 1 }; // after DURATION
      if (signal !== undefined) read.signal = signal;
      if (killAfter !== undefined) read.killAfter = killAfter;
      return read;
    }
    case 'ionice': {
      let pids = false;
      const j = readGetopt(tokens, i + 1, to, IONICE_OPTIONS, (name) => {
        if (name === 'p' || name === 'P' || name === 'u' || name === 'pid' || name === 'pgid' || name === 'uid') pids = true;
      }).end;
      return pids ? undefined : { name: base, signals: 'exec', next: j }; // -p PID ...: no program
    }
    case 'stdbuf':
      return { name: base, signals: 'exec', next: readGetopt(tokens, i + 1, to, STDBUF_OPTIONS).end };
    case 'chpst':
      return { name: base, signals: 'exec', next: readGetopt(tokens, i + 1, to, CHPST_OPTIONS).end };
    case 'opentelemetry-instrument':
      return { name: base, signals: 'exec', next: skipOpentelemetry(tokens, i + 1, to) };
    case 'dotenv':
      return readDotenv(tokens, i, to);
    case 'flock': {
      let noFork = false;
      const j = readGetopt(tokens, i + 1, to, FLOCK_OPTIONS, (name) => {
        if (name === 'F' || name === 'no-fork') noFork = true;
      }).end;
      const signals = noFork ? 'exec' : 'drops';
      // flock FILE -c SCRIPT runs $SHELL (or /bin/sh) -c SCRIPT: which one is not known here.
      const c = j + 1 < to ? tokens[j + 1].text : undefined;
      if ((c === '-c' || c === '--command') && j + 2 < to) return { name: base, signals, next: to, script: tokens[j + 2], shell: '' };
      return { name: base, signals, next: j + 1 }; // after the lock file
    }
    case 'su':
    case 'runuser':
      return readSu(tokens, i, to, base);
    default:
      return undefined;
  }
}

/** Where `runuser [options] -u USER [--] PROGRAM ...` starts, alone or after other wrappers (`env X=1 runuser ...`). */
export interface RunuserCommand {
  /** The index of runuser's word and of the program's. */
  at: number;
  program: number;
  /** `--` ends runuser's options before the program. */
  dashDash: boolean;
}

/** The `runuser -u` command among the wrappers the argv starts with (read as resolve reads them), or undefined. */
export function runuserCommand(tokens: ArgToken[]): RunuserCommand | undefined {
  const to = tokens.length;
  let i = 0;
  while (i < to) {
    const base = basename(tokens[i].text);
    const w = readWrapper(tokens, i, to, base);
    if (w === undefined || w.script) return undefined;
    if (base === 'runuser') return w.next < to ? { at: i, program: w.next, dashDash: w.next - 1 > i && tokens[w.next - 1].text === '--' } : undefined;
    i = w.next;
  }
  return undefined;
}

/**
 * What runuser does with an option word after the program (util-linux 2.38, su-common.c): 'refused' (not
 * its own, ambiguous, or without its value: getopt's message, exit status 1 at once); 'exits' (-h, -V:
 * prints help or version and exits 0); 'exclusive' (-c, -f, -l, -s, --session-command: refused with -u
 * once all are read, exit status 1); 'taken' (-g, -G, -m, -p, -P, -u, -w: silently its own).
 */
export type RunuserEffect = 'refused' | 'exits' | 'exclusive' | 'taken';

export interface RunuserOption {
  /** The index of the word. */
  index: number;
  effect: RunuserEffect;
  /** runuser's own name for the option (`--login`), or, when refused, what runuser prints. */
  says: string;
  /** The word that runuser takes as the option's value, when it is the next one. */
  valueIndex?: number;
}

/** runuser's short options, each with its long name ('' for none); those in SU_OPTIONS.short take a value. */
const RUNUSER_SHORT: Readonly<Record<string, string>> = {
  c: 'command', f: 'fast', g: 'group', G: 'supp-group', l: 'login', m: 'preserve-environment', p: 'preserve-environment',
  P: 'pty', s: 'shell', u: 'user', h: 'help', V: 'version', w: 'whitelist-environment',
};
const RUNUSER_EXCLUSIVE: ReadonlySet<string> = new Set(['command', 'session-command', 'fast', 'login', 'shell']);

/**
 * The option words from `from` up to `--` as runuser's getopt reads them: GNU getopt permutes, so the
 * program's own options after it are runuser's too. Stops after the first one that ends runuser at once
 * ('refused', 'exits').
 */
export function runuserReads(tokens: readonly ArgToken[], from: number, to: number): RunuserOption[] {
  const found: RunuserOption[] = [];
  const effectOf = (long: string): RunuserEffect => (long === 'help' || long === 'version' ? 'exits' : RUNUSER_EXCLUSIVE.has(long) ? 'exclusive' : 'taken');
  let j = from;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '--') break;
    if (t.length < 2 || t.charCodeAt(0) !== 0x2d) {
      j++;
      continue;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const written = eq < 0 ? t.slice(2) : t.slice(2, eq);
      const name = longOptionName(SU_OPTIONS.long, written);
      if (name === undefined) {
        // getopt quotes the whole word: "option '--p=1' is ambiguous; possibilities: ...".
        const ambiguous = [...SU_OPTIONS.long.keys()].some((n) => n.startsWith(written));
        found.push({ index: j, effect: 'refused', says: ambiguous ? `option '${t}' is ambiguous` : `unrecognized option '${t}'` });
        return found;
      }
      const takesValue = SU_OPTIONS.long.get(name) === true;
      if (!takesValue && eq >= 0) {
        found.push({ index: j, effect: 'refused', says: `option '--${name}' doesn't allow an argument` });
        return found;
      }
      if (takesValue && eq < 0 && j + 1 >= to) {
        found.push({ index: j, effect: 'refused', says: `option '--${name}' requires an argument` });
        return found;
      }
      const option: RunuserOption = { index: j, effect: effectOf(name), says: `--${name}` };
      if (takesValue && eq < 0) option.valueIndex = j + 1;
      found.push(option);
      if (option.effect === 'exits') return found;
      j += option.valueIndex !== undefined ? 2 : 1;
      continue;
    }
    let words = 1;
    for (let k = 1; k < t.length; k++) {
      const ch = t[k];
      const long = Object.prototype.hasOwnProperty.call(RUNUSER_SHORT, ch) ? RUNUSER_SHORT[ch] : undefined;
      if (long === undefined) {
        found.push({ index: j, effect: 'refused', says: `invalid option -- '${ch}'` });
        return found;
      }
      const option: RunuserOption = { index: j, effect: effectOf(long), says: `-${ch} (--${long})` };
      if (SU_OPTIONS.short.includes(ch)) {
        if (k + 1 === t.length) {
          if (j + 1 >= to) {
            found.push({ index: j, effect: 'refused', says: `option requires an argument -- '${ch}'` });
            return found;
          }
          option.valueIndex = j + 1;
          words = 2;
        }
        found.push(option);
        break;
      }
      found.push(option);
      if (option.effect === 'exits') return found;
    }
    j += words;
  }
  return found;
}

/** getopt_long's view of a program's options: the short ones that take a value, the long ones and whether they take one. */
interface Getopt {
  short: string;
  long: ReadonlyMap<string, boolean>;
  /** GNU getopt's default: options may come after other words (up to `--`), which it moves to the end (su, runuser). */
  permute?: boolean;
}

const getopt = (short: string, withValue: readonly string[], flags: readonly string[], permute = false): Getopt => ({
  short,
  long: new Map([...withValue.map((n) => [n, true] as const), ...flags.map((n) => [n, false] as const), ['help', false], ['version', false]]),
  permute,
});

/** coreutils 9 timeout: "+k:s:v". */
const TIMEOUT_OPTIONS = getopt('ks', ['kill-after', 'signal'], ['foreground', 'preserve-status', 'verbose']);
/** util-linux ionice: "+c:n:p:P:tu:hV". */
const IONICE_OPTIONS = getopt('cnpPu', ['class', 'classdata', 'pid', 'pgid', 'uid'], ['ignore']);
/** coreutils stdbuf: "+i:o:e:". */
const STDBUF_OPTIONS = getopt('ioe', ['input', 'output', 'error'], []);
/** runit chpst: "+u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V"; no long options. */
const CHPST_OPTIONS: Getopt = { short: 'uUbemdopfcrt/CnlL', long: new Map() };
/** util-linux 2.38 flock: "+sexnoFuw:E:hV?". */
const FLOCK_OPTIONS = getopt('wE', ['timeout', 'wait', 'conflict-exit-code'], ['shared', 'exclusive', 'unlock', 'nonblock', 'nb', 'close', 'no-fork', 'verbose', 'fcntl']);
/** util-linux 2.38 su and runuser: "c:fg:G:lmpPs:u:hVw:" (-u for runuser only), without '+': GNU getopt permutes. */
const SU_OPTIONS = getopt(
  'cgGsuw',
  ['command', 'session-command', 'group', 'supp-group', 'shell', 'user', 'whitelist-environment'],
  ['fast', 'login', 'preserve-environment', 'pty'],
  true,
);

/** The rest of a word from character k on, as a token of its own (the value of `-s/bin/bash`, `--shell=/bin/bash`). */
function tailToken(t: ArgToken, k: number): ArgToken {
  const offsets = t.offsets.slice(k);
  return { text: t.text.slice(k), start: k < t.offsets.length ? t.offsets[k] : t.end, end: t.end, offsets };
}

/**
 * Reads options as getopt_long does from `from`: clustered flags end at the first one that takes a value,
 * which is the rest of the word or the next word; a long option may be any unambiguous abbreviation. Calls
 * `seen` with each option's name (the letter, or the full long name) and value. Returns where the options
 * end (after `--`) and, when the spec permutes, the other words met before (`operands`, with all after `--`).
 */
function readGetopt(
  tokens: ArgToken[],
  from: number,
  to: number,
  spec: Getopt,
  seen?: (name: string, value: ArgToken | undefined, attached?: { start: number; head: string }) => void,
): { end: number; operands: number[] } {
  const operands: number[] = [];
  let j = from;
  while (j < to) {
    const tok = tokens[j];
    const t = tok.text;
    if (t === '--') {
      j++;
      if (spec.permute) for (; j < to; j++) operands.push(j);
      break;
    }
    if (t.length > 2 && t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = longOptionName(spec.long, eq < 0 ? t.slice(2) : t.slice(2, eq));
      const takesValue = name !== undefined && spec.long.get(name) === true;
      if (takesValue && eq < 0) {
        seen?.(name, j + 1 < to ? tokens[j + 1] : undefined);
        j += 2;
      } else {
        if (name !== undefined) seen?.(name, eq < 0 ? undefined : tailToken(tok, eq + 1), eq < 0 ? undefined : { start: tok.start, head: t.slice(0, eq + 1) });
        j++;
      }
      continue;
    }
    if (t.length > 1 && t.charCodeAt(0) === 0x2d) {
      let words = 1;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (spec.short.includes(ch)) {
          if (k + 1 < t.length) seen?.(ch, tailToken(tok, k + 1), { start: tok.start, head: t.slice(0, k + 1) });
          else {
            seen?.(ch, j + 1 < to ? tokens[j + 1] : undefined);
            words = 2;
          }
          break;
        }
        seen?.(ch, undefined);
      }
      j += words;
      continue;
    }
    if (!spec.permute) break;
    operands.push(j);
    j++;
  }
  return { end: Math.min(j, to), operands };
}

/** The long option that `name` spells or abbreviates unambiguously, or undefined. */
function longOptionName(long: ReadonlyMap<string, boolean>, name: string): string | undefined {
  if (long.has(name)) return name;
  let found: string | undefined;
  for (const n of long.keys()) {
    if (!n.startsWith(name)) continue;
    if (found !== undefined) return undefined;
    found = n;
  }
  return found;
}

/**
 * `su [options] [-] USER [ARG...]`, `runuser USER -c SCRIPT`: the user's shell runs the -c script (`-s
 * SHELL` names it; otherwise it is the user's login shell, not known here). `runuser -u USER [--] PROGRAM
 * ...` runs the program itself. Both stay the program's parent, pass TERM on and SIGKILL it 2 s later.
 */
function readSu(tokens: ArgToken[], i: number, to: number, base: string): WrapperRead | undefined {
  let script: ArgToken | undefined;
  let shell: ArgToken | undefined;
  let user = false;
  // -u (runuser): the program follows the options, not a user name; read without permuting.
  const spec = base === 'runuser' ? { ...SU_OPTIONS, permute: false } : SU_OPTIONS;
  const option = (name: string, value: ArgToken | undefined) => {
    if (name === 'c' || name === 'command') script = value;
    else if (name === 's' || name === 'shell') shell = value;
    else if (name === 'u' || name === 'user') user = true;
  };
  const { end } = readGetopt(tokens, i + 1, to, spec, option);
  if (base === 'runuser') {
    if (user) return end < to ? { name: base, signals: 'kills', next: end } : undefined;
    // runuser [options] USER -c SCRIPT: the rest is read as su reads it.
    readGetopt(tokens, end, to, SU_OPTIONS, option);
  }
  // `su -c SCRIPT` with no user named runs it as root, as `su root -c SCRIPT` does.
  if (script === undefined) return undefined;
  return { name: base, signals: 'kills', next: to, script, shell: shell ? basename(shell.text) : '' };
}

/** opentelemetry-instrument's options (argparse): every one but --help and --version takes a value. */
function skipOpentelemetry(tokens: ArgToken[], from: number, to: number): number {
  let j = from;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '--') return j + 1;
    if (t.length < 2 || t.charCodeAt(0) !== 0x2d) break;
    j += t.startsWith('--') && !t.includes('=') && t !== '--help' && t !== '--version' ? 2 : 1;
  }
  return j;
}

/** `dotenv [-f FILE] [-q MODE] [-e BOOL] run [--override|--no-override] [--] PROGRAM ...` (python-dotenv's click command line). */
function readDotenv(tokens: ArgToken[], i: number, to: number): WrapperRead | undefined {
  let j = i + 1;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '-f' || t === '--file' || t === '-q' || t === '--quote' || t === '-e' || t === '--export') j += 2;
    else if (t.length > 1 && t.charCodeAt(0) === 0x2d) j++;
    else break;
  }
  if (j >= to || tokens[j].text !== 'run') return undefined;
  j++;
  while (j < to && (tokens[j].text === '--override' || tokens[j].text === '--no-override')) j++;
  if (j < to && tokens[j].text === '--') j++;
  return { name: 'dotenv', signals: 'exec', next: j };
}

/** Skips env's options and NAME=value assignments; returns the index of the program token. */
function skipEnv(tokens: ArgToken[], from: number, to: number): number {
  let j = from;
  let options = true;
  while (j < to) {
    const t = tokens[j].text;
    if (options && t === '--') {
      options = false;
      j++;
      continue;
    }
    if (options && t === '-') {
      j++;
      continue;
    }
    if (options && t.length > 1 && t.charCodeAt(0) === 0x2d) {
      if (t.startsWith('--')) {
        const takesArg = t === '--unset' || t === '--chdir' || t === '--split-string';
        j += takesArg ? 2 : 1;
        continue;
      }
      // short cluster: -u NAME, -C DIR, -S STRING take an argument
      let skipNext = false;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (ch === 'u' || ch === 'C' || ch === 'S') {
          skipNext = k + 1 >= t.length;
          break;
        }
      }
      j += skipNext ? 2 : 1;
      continue;
    }
    if (isAssignment(t)) {
      options = false;
      j++;
      continue;
    }
    return j;
  }
  return j;
}

const UV_RUN_VALUE_OPTIONS = new Set([
  '--with',
  '--with-editable',
  '--with-requirements',
  '--python',
  '-p',
  '--project',
  '--directory',
  '--env-file',
  '--extra',
  '--group',
  '--package',
  '--index',
  '--default-index',
  '--index-url',
  '--extra-index-url',
]);

/** Skips `uv run`'s options (value-taking ones consume the next token unless written with '='). */
function skipUvRun(tokens: ArgToken[], from: number, to: number): number {
  let j = from;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '--') return j + 1;
    if (t.length > 1 && t.charCodeAt(0) === 0x2d) {
      j += UV_RUN_VALUE_OPTIONS.has(t) ? 2 : 1;
      continue;
    }
    return j;
  }
  return j;
}

/**
 * sudo's options (sudo 1.9, src/parse_args.c): the getopt string
 * "+Aa:BbC:c:D:Eeg:Hh::iKklNnPp:R:r:SsT:t:U:u:Vv" and its long options. The short options that take a
 * value, and -h, whose value is optional (only glued: `-hhost`; `-h` alone is --help).
 */
const SUDO_SHORT_WITH_VALUE = 'aCcDgpRrTtUu';
/** Long option -> whether it requires a value (--preserve-env's is optional, only after '='). */
const SUDO_LONG_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ...['auth-type', 'chdir', 'chroot', 'close-from', 'command-timeout', 'group', 'host', 'login-class', 'other-user', 'prompt', 'role', 'type', 'user'].map((n) => [n, true] as const),
  ...['askpass', 'background', 'bell', 'edit', 'help', 'list', 'login', 'no-update', 'non-interactive', 'preserve-env', 'preserve-groups', 'remove-timestamp', 'reset-timestamp', 'set-home', 'shell', 'stdin', 'validate', 'version'].map((n) => [n, false] as const),
]);

/** Whether `--name` (no '=') takes the next word: getopt_long also accepts an unambiguous abbreviation (--us for --user). */
function sudoLongTakesValue(name: string): boolean {
  const exact = SUDO_LONG_OPTIONS.get(name);
  if (exact !== undefined) return exact;
  let found: boolean | undefined;
  let matches = 0;
  for (const [n, takesValue] of SUDO_LONG_OPTIONS) {
    if (!n.startsWith(name)) continue;
    matches++;
    found = takesValue;
  }
  return matches === 1 && found === true;
}

/**
 * Skips sudo's options and NAME=value assignments, as its getopt reads them: combined flags end at the
 * first option that takes a value, which is the rest of the word or the next word (`-Hu app`, `-uapp`,
 * `--user app`, `--user=app`); options stop at the first other word (the '+' of the getopt string).
 */
function skipSudo(tokens: ArgToken[], from: number, to: number): number {
  let j = from;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '--') return j + 1;
    if (t.length > 2 && t.startsWith('--')) {
      j += !t.includes('=') && sudoLongTakesValue(t.slice(2)) ? 2 : 1;
      continue;
    }
    if (t.length > 1 && t.charCodeAt(0) === 0x2d) {
      let words = 1;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (ch === 'h') break; // its optional value is the rest of the word
        if (SUDO_SHORT_WITH_VALUE.includes(ch)) {
          if (k + 1 === t.length) words = 2;
          break;
        }
      }
      j += words;
      continue;
    }
    if (isAssignment(t)) {
      j++;
      continue;
    }
    return j;
  }
  return j;
}

/** Skips nice's options (-n N, -nN, -N, --adjustment=N, --adjustment N). */
function skipNice(tokens: ArgToken[], from: number, to: number): number {
  let j = from;
  while (j < to) {
    const t = tokens[j].text;
    if (t === '--') return j + 1;
    if (t === '-n' || t === '--adjustment') {
      j += 2;
      continue;
    }
    if (t.length > 1 && t.charCodeAt(0) === 0x2d) {
      j++;
      continue;
    }
    return j;
  }
  return j;
}

/** True when some word of the argv runs a shell on a script (`bash -c "..."`, `env X=1 sh -ec '...'`): the shell expands its variables. */
export function runsShellScript(argv: readonly ArgToken[]): boolean {
  for (let i = 0; i < argv.length; i++) if (SHELLS.has(basename(argv[i].text)) && findShellScript(argv, i + 1, argv.length) >= 0) return true;
  return false;
}

/** Index of the script argument of `sh [options] -c script` (the words after the shell from `from`), or -1. */
export function findShellScript(tokens: readonly ArgToken[], from: number, to: number): number {
  let j = from;
  let cflag = false;
  while (j < to) {
    const t = tokens[j].text;
    const c0 = t.charCodeAt(0);
    if (t === '--' || t === '-') {
      j++;
      break;
    }
    if (t.length > 1 && (c0 === 0x2d || c0 === 0x2b)) {
      if (t.startsWith('--')) {
        j += t === '--rcfile' || t === '--init-file' ? 2 : 1;
        continue;
      }
      let skipNext = false;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (ch === 'c') cflag = true;
        else if (ch === 'o' || ch === 'O') skipNext = true;
      }
      j += skipNext ? 2 : 1;
      continue;
    }
    break;
  }
  return cflag && j < to ? j : -1;
}

/** Operators before a command that leave it in the shell's own list: not piped, backgrounded or in a subshell. */
const PLAIN_LIST = /^(?:;|&&|\|\||\n)*$/;
/** Operators after the script's last command that end it without a background job or subshell. */
const ENDS_SCRIPT = /^[;\n]*$/;
/** Words the command loop skips that `exec` cannot precede (`exec time celery` runs no program named time). */
const SHELL_PREFIXES: ReadonlySet<string> = new Set(['command', 'builtin', 'time']);

/** Signal numbers a trap may name instead of the name (POSIX fixes these). */
const SIGNAL_NUMBERS: Readonly<Record<string, string>> = { '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '14': 'ALRM', '15': 'TERM' };

/** The index of a simple command's first word after its assignments (its length when it has none). */
function commandWordIndex(words: readonly ArgToken[]): number {
  let f = 0;
  while (f < words.length && isAssignment(words[f].text)) f++;
  return f;
}

/**
 * The signals that `trap ACTION SIGNAL...` commands of the script catch with an action of their own
 * (`trap 'kill -TERM $child' TERM`): the script then decides what the signal does. `trap - TERM` (the
 * default again) and `trap '' TERM` (ignored: Celery is never told) do not count.
 */
function trappedSignals(segments: readonly ArgToken[][]): string[] | undefined {
  let traps: string[] | undefined;
  for (const words of segments) {
    const f = commandWordIndex(words);
    if (f >= words.length || words[f].text !== 'trap') continue;
    let k = f + 1;
    if (k < words.length && words[k].text === '--') k++;
    const action = words[k]?.text;
    if (action === undefined || action === '' || action === '-' || /^\d+$/.test(action)) continue;
    for (k++; k < words.length; k++) {
      const w = words[k].text.toUpperCase().replace(/^SIG/, '');
      (traps ??= []).push(SIGNAL_NUMBERS[w] ?? w);
    }
  }
  return traps;
}

/**
 * Whether the shell runs the command as its child and waits, so that a signal to the shell never reaches
 * it (checked with dash 0.5.12 and bash 5.2: the shell dies on TERM and the child runs on). dash, which
 * is Debian's and Ubuntu's sh, forks for every command. bash replaces itself with the script's only
 * command when it has no redirection, and bash 5.2 also with the last one of a plain list (`cd x &&
 * celery`); older bash may not, so that case counts as not waiting. Other shells are not judged.
 */
function shellWaitsFor(shell: string, redirected: boolean, lastOfPlainList: boolean): boolean {
  if (shell === 'sh' || shell === 'dash') return true;
  if (shell !== 'bash') return false;
  return redirected || !lastOfPlainList;
}

function scanShellScript(
  src: string,
  script: ArgToken,
  shellBase: string,
  matcher: ProgramMatcher,
  out: LocateResult,
  depth: number,
  wrappers: WrapperList | undefined,
): void {
  const inner = splitShell(script.text);
  const offs = script.offsets;
  const len = offs.length;
  const mapPos = (k: number): number => (k < len ? offs[k] : script.end);
  // Start of the raw text for script character k: include backslashes that escaped it in the outer quoting.
  const mapStart = (k: number): number => {
    if (k >= len) return script.end;
    let p = offs[k];
    const floor = k > 0 ? offs[k - 1] + 1 : script.start;
    while (p > floor && src.charCodeAt(p - 1) === 0x5c) p--;
    return p;
  };
  const mapEnd = (k: number): number => (k <= 0 ? mapStart(0) : k > len ? script.end : offs[k - 1] + 1);
  const mapped: ShellToken[] = inner.tokens.map((t) => {
    const m: ShellToken = {
      text: t.text,
      start: mapStart(t.start),
      end: mapEnd(t.end),
      offsets: t.offsets.map(mapPos),
    };
    if (t.op) m.op = t.op;
    return m;
  });
  if (inner.error && !out.argvError) out.argvError = { message: inner.error.message, offset: mapPos(inner.error.offset) };

  // Split into simple commands at control operators; remember each one's redirections and the operators around it.
  const segments: ArgToken[][] = [];
  const segmentRedirected: boolean[] = [];
  const operatorsBefore: string[] = [];
  const operatorsAfter: string[] = [];
  let cur: ArgToken[] = [];
  let redirected = false;
  let curRedirected = false;
  let pending = '';
  for (let k = 0; k < mapped.length; k++) {
    const t = mapped[k];
    if (t.op === 'control') {
      if (cur.length) {
        segments.push(cur);
        segmentRedirected.push(curRedirected);
        operatorsBefore.push(pending);
        operatorsAfter.push('');
        pending = '';
      }
      pending += t.text;
      if (operatorsAfter.length) operatorsAfter[operatorsAfter.length - 1] += t.text;
      cur = [];
      curRedirected = false;
      continue;
    }
    if (t.op === 'redirect') {
      redirected = curRedirected = true;
      if (k + 1 < mapped.length && !mapped[k + 1].op) k++; // the redirection target
      continue;
    }
    cur.push(t);
  }
  if (cur.length) {
    segments.push(cur);
    segmentRedirected.push(curRedirected);
    operatorsBefore.push(pending);
    operatorsAfter.push('');
  }

  // bash -c with a single simple command and no redirection replaces itself with that command, as if it
  // said exec (bash's should_suppress_fork); not one in a subshell or the background. dash and the others fork and wait.
  const implicitExec = shellBase === 'bash' && segments.length === 1 && !redirected && operatorsBefore[0] === '' && ENDS_SCRIPT.test(operatorsAfter[0]);
  for (let sIdx = 0; sIdx < segments.length; sIdx++) {
    const words = segments[sIdx];
    let j = 0;
    let exec = implicitExec;
    while (j < words.length) {
      const t = words[j].text;
      if (isAssignment(t)) {
        j++;
        continue;
      }
      if (t === 'exec') {
        exec = true;
        j++;
        while (j < words.length && words[j].text.length > 1 && words[j].text.charCodeAt(0) === 0x2d) {
          const o = words[j].text;
          j += o === '-a' ? 2 : 1;
          if (o === '--') break;
        }
        continue;
      }
      if (t === 'command' || t === 'builtin' || t === 'time') {
        j++;
        continue;
      }
      break;
    }
    const ctx: ShellCtx = { viaShell: true, shellExec: exec, shell: shellBase, shellSegment: sIdx, shellSegments: segments.length };
    const lastOfPlainList = sIdx === segments.length - 1 && ENDS_SCRIPT.test(operatorsAfter[sIdx]) && PLAIN_LIST.test(operatorsBefore[sIdx]);
    if (!exec && shellWaitsFor(shellBase, segmentRedirected[sIdx], lastOfPlainList)) {
      ctx.shellWaits = true;
      const f = commandWordIndex(words);
      if (lastOfPlainList && f < words.length && !SHELL_PREFIXES.has(words[f].text)) ctx.execAt = words[f].start;
      // `celery ... &` with no `wait` after it: the shell does not wait, it exits and leaves Celery behind.
      // With a `wait`, a trap can pass the signal on (the shell runs traps while in `wait`; for a command in
      // the foreground only once it has exited: checked with dash).
      const after = operatorsAfter[sIdx];
      const backgrounded = after.startsWith('&') && !after.startsWith('&&');
      const waited = backgrounded && segments.slice(sIdx + 1).some((s) => s[commandWordIndex(s)]?.text === 'wait');
      if (backgrounded && !waited) ctx.shellDetaches = true;
      const traps = waited ? trappedSignals(segments) : undefined;
      if (traps) ctx.shellTraps = traps;
    }
    if (depth > 0) ctx.shellNested = true;
    resolve(src, words, j, words.length, matcher, out, ctx, depth + 1, wrappers);
  }
}
