/** This machine as the rules (core/machine.ts) and [include] resolution see it, for the language server and the CLI. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { posix } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SERVICE_PATH, SUPERVISOR_DEFAULT_PATH, type MachineView, type PathKind, type SearchPath } from './core/machine';
import { DEFAULT_INCLUDE_LIMITS, joinPath, resolveIncludes, type FileSystemView } from './core/include';
import { parse } from './core/model/parse';
import { decodeUtf8, type DecodedText, type Utf8Error } from './core/model/utf8';

/**
 * Reads bytes, not text, so that what supervisor chokes on stays visible: a byte order mark (kept for the
 * parser) and bytes that are not UTF-8 (`utf8Error`). 0 is standard input.
 */
export function readSource(file: string | 0): DecodedText {
  return decodeUtf8(fs.readFileSync(file));
}

/**
 * The file system as [include] resolution sees it: absolute '/'-separated paths. Each file it reads
 * whose bytes are not all UTF-8 goes into `notUtf8`, when given, as the text alone cannot say it.
 */
export function nodeFileSystem(notUtf8?: Map<string, Utf8Error>): FileSystemView {
  return {
    list: listOf,
    read(file) {
      try {
        if (!fs.statSync(file).isFile()) return undefined;
        const { text, utf8Error } = readSource(file);
        if (utf8Error) notUtf8?.set(file, utf8Error);
        return text;
      } catch {
        return undefined;
      }
    },
  };
}

export const NODE_FS: FileSystemView = nodeFileSystem();

/** Entries remembered at most; past it the memo starts over (a file names a few paths per program). */
const MAX_REMEMBERED = 20_000;

/**
 * This machine's disk and accounts, each answer remembered for `ttlMs`: the editor analyses a file
 * after every pause in typing, and its paths rarely change in between.
 */
export function localMachine(ttlMs = 3_000, now: () => number = Date.now): MachineView {
  /** `ask`, its answer for each key remembered for ttlMs. */
  const remembered = <T>(ask: (key: string) => T) => {
    const memo = new Map<string, { at: number; value: T }>();
    return (key: string): T => {
      const hit = memo.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = ask(key);
      if (memo.size >= MAX_REMEMBERED) memo.clear();
      memo.set(key, { at: now(), value });
      return value;
    };
  };
  // One look at /proc serves both questions about the running supervisord.
  const environments = remembered(() => supervisordEnvironments());
  return {
    kind: remembered(kindOf),
    list: remembered(listOf),
    account: remembered(accountExists),
    supervisordPath: () => supervisordPathOf(undefined, environments('')),
    supervisordEnvironment: () => supervisordEnvironmentOf(undefined, environments('')),
    // Celery's default concurrency is os.cpu_count(): every core, not only those this process may use.
    cpuCount: () => os.cpus().length,
  };
}

function listOf(dir: string): string[] | undefined {
  try {
    return fs.readdirSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Asks the system's account database the way Python's pwd module does (NSS: /etc/passwd, LDAP, ...),
 * through getent: status 0 found, 2 not found; anything else (no getent, a timeout) cannot tell.
 */
function accountExists(user: string): boolean | undefined {
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(user)) return undefined;
  const entry = passwdEntry(user);
  return entry === undefined ? undefined : entry !== null;
}

/** The name of the account with this uid, as pwd.getpwuid finds it (getent); undefined when there is none or no way to ask. */
export function accountName(uid: number): string | undefined {
  return passwdEntry(String(uid))?.split(':')[0] || undefined;
}

/** getent passwd's line for a name or uid: null when there is no such account, undefined when it cannot tell. */
function passwdEntry(key: string): string | null | undefined {
  const r = spawnSync('getent', ['passwd', key], { timeout: 2_000, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : r.status === 2 ? null : undefined;
}

/** What supervisor's check_execv_args looks at: a folder, a file with any x bit, another file. */
function kindOf(path: string): PathKind {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(path, { throwIfNoEntry: false });
  } catch {
    return 'other'; // a folder on the way we may not read: say nothing about it
  }
  if (!st) return 'missing';
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return st.mode & 0o111 ? 'executable' : 'file';
  return 'other';
}

/**
 * The PATH of the supervisord running here, from its environment in /proc (readable by root and by
 * supervisord's own user); where none runs, or it cannot be read, the PATH systemd gives a service.
 */
export function supervisordPathOf(proc = '/proc', environments = supervisordEnvironments(proc)): SearchPath {
  const first = environments[0];
  if (!first) return { dirs: SERVICE_PATH, from: 'service' };
  const path = first.get('PATH');
  return { dirs: path ? path.split(':') : SUPERVISOR_DEFAULT_PATH, from: 'running' };
}

/**
 * The names of the environment of the supervisords running here whose environment this user may read;
 * undefined when there is none. With several, a name any of them has counts.
 */
export function supervisordEnvironmentOf(proc = '/proc', environments = supervisordEnvironments(proc)): ReadonlySet<string> | undefined {
  if (!environments.length) return undefined;
  const names = new Set<string>();
  for (const environment of environments) for (const name of environment.keys()) names.add(name);
  return names;
}

/**
 * The environments of the supervisords running here that this user may read (their own user's, or all
 * as root), in the order of /proc; one gone meanwhile, or another user's, is left out.
 */
function supervisordEnvironments(proc = '/proc'): Map<string, string>[] {
  const environments: Map<string, string>[] = [];
  for (const { pid } of runningSupervisords(proc)) {
    const environment = processEnvironment(pid, proc);
    if (environment) environments.push(environment);
  }
  return environments;
}

/** A supervisord process: its pid, its argv, and where its own script is in that argv. */
interface SupervisordProcess {
  pid: number;
  argv: string[];
  script: number;
}

/** The supervisords running here, from the command lines in /proc. */
function runningSupervisords(proc: string): SupervisordProcess[] {
  const found: SupervisordProcess[] = [];
  for (const entry of listOf(proc) ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const supervisord = supervisordProcess(Number(entry), proc);
    if (supervisord) found.push(supervisord);
  }
  return found;
}

/** The process with this pid when it is a supervisord; undefined for another program, or one that is gone. */
function supervisordProcess(pid: number, proc: string): SupervisordProcess | undefined {
  let argv: string[];
  try {
    argv = fs.readFileSync(`${proc}/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  const script = supervisordScript(argv);
  return script < 0 ? undefined : { pid, argv, script };
}

/** Where supervisord's own script is in its argv: `supervisord ...`, or `python3 /usr/bin/supervisord ...` as Debian's runs; -1 for another program. */
function supervisordScript(argv: string[]): number {
  const name = (arg: string | undefined) => arg?.slice(arg.lastIndexOf('/') + 1) ?? '';
  if (name(argv[0]) === 'supervisord') return 0;
  return name(argv[0]).startsWith('python') && name(argv[1]) === 'supervisord' ? 1 : -1;
}

/** supervisord's options that take a value (supervisor/options.py), short and long. */
const SHORT_WITH_VALUE = 'cumdlyzejiqa';
const LONG_WITH_VALUE = ['configuration', 'user', 'umask', 'directory', 'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'identifier', 'childlogdir', 'minfds', 'minprocs', 'profile_options'];

/**
 * The value of -c/--configuration in supervisord's arguments, read as Python's getopt reads them
 * (clusters such as -nc FILE, unique long prefixes such as --conf=FILE, the end at the first other
 * word); undefined when absent, null when given without a value.
 */
function configArgument(args: string[]): string | null | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--' || !a.startsWith('-') || a === '-') return undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (!name || !LONG_WITH_VALUE.some((n) => n.startsWith(name))) continue;
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (name.length >= 2 && 'configuration'.startsWith(name)) return value ?? null;
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      if (!SHORT_WITH_VALUE.includes(a[k])) continue;
      const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
      if (a[k] === 'c') return value ?? null;
      break;
    }
  }
  return undefined;
}

/**
 * The config file (real path) the supervisord with this pid reads: its -c/--configuration, or the
 * first of supervisor's search paths that exists (supervisor/options.py). Undefined when that cannot
 * be told from /proc (another user's working directory, a pid that is not supervisord).
 */
export function supervisordConfigOf(pid: number, proc = '/proc'): string | undefined {
  const supervisord = supervisordProcess(pid, proc);
  return supervisord && configOf(supervisord, proc);
}

function configOf({ pid, argv, script }: SupervisordProcess, proc: string): string | undefined {
  const cwd = (() => {
    try {
      return fs.readlinkSync(`${proc}/${pid}/cwd`);
    } catch {
      return undefined;
    }
  })();
  const fromCwd = (file: string) => (file.startsWith('/') ? file : cwd === undefined ? undefined : joinPath(cwd, file));
  const given = configArgument(argv.slice(script + 1));
  if (given !== undefined) {
    const path = given === null ? undefined : fromCwd(given);
    return path === undefined ? undefined : realPath(path);
  }
  // Python's os.path.dirname twice on sys.argv[0]: /usr/bin/supervisord -> /usr.
  const here = posix.dirname(posix.dirname(argv[script]));
  const searched = [
    fromCwd(posix.join(here, 'etc/supervisord.conf')),
    fromCwd(posix.join(here, 'supervisord.conf')),
    fromCwd('supervisord.conf'),
    fromCwd('etc/supervisord.conf'),
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
  for (const path of searched) {
    if (path === undefined) return undefined; // this one may exist: cannot tell
    if (fs.existsSync(path)) return realPath(path);
  }
  return undefined;
}

/** The resident memory of a process with its descendants, as memmon -c adds up a Celery pool. */
export interface TreeMemory {
  bytes: number;
  /** Descendants counted (a prefork worker's pool processes). */
  children: number;
}

/**
 * The resident memory (VmRSS) of each process and all its descendants, from /proc (readable by any
 * user). A process that is gone, or whose memory cannot be read, is left out.
 */
export function treeMemory(pids: readonly number[], proc = '/proc'): Map<number, TreeMemory> {
  const childrenOf = new Map<number, number[]>();
  for (const entry of listOf(proc) ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`${proc}/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = childrenOf.get(ppid);
    if (siblings) siblings.push(Number(entry));
    else childrenOf.set(ppid, [Number(entry)]);
  }
  const memory = new Map<number, TreeMemory>();
  for (const pid of pids) {
    const own = residentBytes(proc, pid);
    if (own === undefined) continue;
    let bytes = own;
    let children = 0;
    const pending = [...(childrenOf.get(pid) ?? [])];
    const seen = new Set([pid]);
    while (pending.length) {
      const child = pending.pop()!;
      if (seen.has(child)) continue;
      seen.add(child);
      const rss = residentBytes(proc, child);
      if (rss !== undefined) [bytes, children] = [bytes + rss, children + 1];
      pending.push(...(childrenOf.get(child) ?? []));
    }
    memory.set(pid, { bytes, children });
  }
  return memory;
}

/**
 * The environment a process started with (/proc/<pid>/environ: readable for one's own processes, or
 * by root), or undefined. Names and values as the bytes decode in UTF-8; the first `=` ends a name.
 */
export function processEnvironment(pid: number, proc = '/proc'): Map<string, string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`${proc}/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const environment = new Map<string, string>();
  for (const item of text.split('\0')) {
    const eq = item.indexOf('=');
    if (eq > 0) environment.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return environment;
}

function residentBytes(proc: string, pid: number): number | undefined {
  try {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`${proc}/${pid}/status`, 'latin1'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/** Where the supervisor packages put supervisord's config (Debian, then RHEL and pip's default). */
export const SUPERVISORD_CONFIGS = ['/etc/supervisor/supervisord.conf', '/etc/supervisord.conf'];

/**
 * The config files supervisord on this machine reads, by real path, each with the main config that
 * reads it: its config where the packages put it, and the files that config includes (a conf.d entry
 * is often a link to the project's own file, as Alliance Auth's guide sets up). Empty where
 * supervisord is not installed.
 */
export function liveConfigFiles(mains: readonly string[] = SUPERVISORD_CONFIGS): Map<string, string> {
  const files = new Map<string, string>();
  for (const main of mains) {
    const text = NODE_FS.read(main);
    if (text === undefined) continue;
    const included = resolveIncludes(main, parse(text), NODE_FS, DEFAULT_INCLUDE_LIMITS).files.map((f) => f.path);
    for (const file of [main, ...included]) if (!files.has(realPath(file))) files.set(realPath(file), main);
  }
  return files;
}

/** The path with links resolved, or as given when it cannot be resolved. */
export function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The config files (real paths) of the supervisords running here, as their command lines tell. */
export function runningSupervisordConfigs(proc = '/proc'): string[] {
  const configs = new Set<string>();
  for (const supervisord of runningSupervisords(proc)) {
    const config = configOf(supervisord, proc);
    if (config !== undefined) configs.add(config);
  }
  return [...configs];
}

/**
 * The machine the language server runs on: its disk and accounts (one memo for every document) and the
 * files its supervisord reads, read again after a while (they live outside the workspace and are not
 * watched).
 */
export class ThisMachine {
  readonly view: MachineView;
  private live: { at: number; files: Map<string, string> } | undefined;
  /** Configs a supervisord here ran since the server started: still this machine's while it is stopped (to restart it). */
  private readonly ranHere = new Set<string>();

  /** `mains`: where the packages put supervisord's config; `proc`: where to look for supervisords running with another (-c). */
  constructor(
    private readonly mains: readonly string[] = SUPERVISORD_CONFIGS,
    private readonly ttlMs = 10_000,
    private readonly proc = '/proc',
  ) {
    this.view = localMachine();
  }

  /**
   * The main config of a supervisord on this machine that reads `file` (directly or through a link):
   * a running one's (its -c, wherever it is) first, then one that ran since the server started, then
   * the packages' config whether it runs or not.
   */
  liveMainOf(file: string): string | undefined {
    if (!this.live || Date.now() - this.live.at > this.ttlMs) {
      const running = runningSupervisordConfigs(this.proc);
      const mains = new Set([...running, ...this.ranHere, ...this.mains]);
      for (const main of running) this.ranHere.add(main);
      this.live = { at: Date.now(), files: liveConfigFiles([...mains]) };
    }
    return this.live.files.get(realPath(file));
  }

  /**
   * The machine to check a document's paths and accounts against, per `supervisor.machineChecks`: `on` always, `off`
   * never, `auto` (the default, and for anything else) only for a file this machine's supervisord
   * reads, so a config written for another machine is never judged by this one.
   */
  checksFor(file: string | undefined, machineChecks: unknown): MachineView | undefined {
    if (machineChecks === 'on') return this.view;
    if (machineChecks === 'off') return undefined;
    return file !== undefined && this.liveMainOf(file) !== undefined ? this.view : undefined;
  }
}
