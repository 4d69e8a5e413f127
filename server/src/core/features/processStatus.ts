/**
 * What the supervisord running the file says of each of its programs: a line above the program's
 * header with the state of its processes, and whether supervisord runs the program as the file now
 * has it. The server asks supervisord (XML-RPC, as supervisorctl does); this module only reads answers.
 *
 *   supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44
 *   supervisord: 1 FATAL, 3 RUNNING · worker_02: Exited too quickly · log: ModuleNotFoundError: No module named 'myauht'
 *   supervisord: not loaded · supervisorctl update adds it
 *   supervisord: not applied yet: command, stopwaitsecs · supervisorctl update restarts it with them
 *
 * "Not applied" compares the file, read for each process as supervisor reads it, with what
 * supervisor.getAllConfigInfo reports supervisord loaded.
 */
import type { SupervisorDocument } from '../model/document';
import type { Range } from '../model/types';
import type { Deployment, ProgramView } from '../deployment';
import { expandTemplate } from '../model/percent';
import { deploymentSectionValue, hasSection, sectionValue } from '../rules/memmon/servers';
import { dirname } from '../include';
import { describeBytes } from '../units';
import { booleanKey, processExpansions } from '../rules/process/programKeys';
import { keySpecsOf, type KeySpec } from '../catalog/keys';
import { lowerCase, parseBoolean, parseEnvironment, pyStrip, parseByteSize, parseExitCodes, parseInteger, parseSignal, pyInt, type Parsed } from '../catalog/datatypes';

/** A process as supervisor.getAllProcessInfo describes it (the fields used here). */
export interface ProcessInfo {
  name: string;
  group: string;
  statename: string;
  description: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid?: number;
  /** Resident memory with its descendants (a prefork pool), added by the server from /proc. */
  memory?: { bytes: number; children: number };
  /** For a process that exited (FATAL, BACKOFF, EXITED): the last line of its log, often why; added by the server. */
  lastLogLine?: string;
}

/** A process configuration as supervisor.getAllConfigInfo describes it: what supervisord read last. */
export interface ProcessConfigInfo {
  name: string;
  group: string;
  command: string;
  /** Its group runs: false after `supervisorctl reread` until `update`. */
  inuse: boolean;
  /** The keys compared with the file (COMPARED), when supervisord's answer has them. */
  [key: string]: unknown;
}

/**
 * Keys of a program compared with what supervisord loaded (getAllConfigInfo reports them): those the
 * tuning guide has people change (stopwaitsecs, stopsignal, killasgroup), where the output goes and
 * how it rotates, where and in which order the program starts. What a forgotten `supervisorctl update`
 * leaves unapplied. `field`: getAllConfigInfo's name for it, where that differs.
 */
const COMPARED: readonly { key: string; field?: string }[] = [
  { key: 'directory' },
  { key: 'user', field: 'uid' },
  { key: 'priority', field: 'process_prio' },
  { key: 'autostart' },
  { key: 'startsecs' },
  { key: 'startretries' },
  { key: 'exitcodes' },
  { key: 'stopsignal' },
  { key: 'stopwaitsecs' },
  { key: 'killasgroup' },
  { key: 'redirect_stderr' },
  { key: 'serverurl' },
  ...(['stdout', 'stderr'] as const).flatMap((s) =>
    ['logfile', 'logfile_maxbytes', 'logfile_backups', 'syslog', 'capture_maxbytes', 'events_enabled'].map((k) => ({ key: `${s}_${k}` })),
  ),
];

export interface LiveState {
  processes: ProcessInfo[];
  configs: ProcessConfigInfo[];
  /** The account names of the uids in `configs` (supervisord reports a uid for user=), where the server could look them up. */
  accounts?: ReadonlyMap<number, string>;
  /**
   * The environment each running process started with, by pid, where the server could read it
   * (getAllConfigInfo does not report environment=): kept apart from the processes, which the lenses
   * pass to the editor.
   */
  environments?: ReadonlyMap<number, ReadonlyMap<string, string>>;
}

export interface ProcessStatusLens {
  /** The program's first header. */
  range: Range;
  title: string;
  /** What clicking does: list the processes (and open a log), or apply the file (supervisorctl update). */
  action:
    | { kind: 'processes'; program: string; processes: ProcessInfo[]; namespecs: string[]; sharedGroup?: string }
    | { kind: 'update'; program: string; group: string };
}

/** How supervisorctl reaches supervisord: a UNIX socket or an HTTP port, with [supervisorctl]'s credentials. */
export interface RpcTarget {
  socketPath?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
}

/** Hosts that are this machine ('' and '*': an inet_http_server port listening everywhere). */
const LOOPBACK = new Set(['', '*', 'localhost', '127.0.0.1', '::1']);

/** The worst first: the state a line about several processes leads with. */
const STATE_ORDER = ['FATAL', 'BACKOFF', 'EXITED', 'UNKNOWN', 'STOPPING', 'STARTING', 'STOPPED', 'RUNNING'];

/** One or two lines per program of this file that supervisord should run (numprocs > 0). */
export function processStatusLenses(doc: SupervisorDocument, deployment: Deployment, here: string, live: LiveState): ProcessStatusLens[] {
  const lenses: ProcessStatusLens[] = [];
  // By group: a file of thousands of programs would otherwise scan every process once per program.
  const processesOf = byGroup(live.processes);
  const configsOf = byGroup(live.configs);
  for (const p of deployment.programs) {
    const section = doc.sections[p.sectionIndexes[0]];
    if (!section || p.numprocs < 1) continue;
    const isMine = processMatcher(p);
    if (!isMine) continue;
    const inGroup = processesOf.get(p.group) ?? [];
    const processes = inGroup.filter((i) => isMine(i.group, i.name));
    const configs = (configsOf.get(p.group) ?? []).filter((c) => isMine(c.group, c.name));
    const range = section.headerRange;
    if (!processes.length) {
      const read = configs.length > 0;
      lenses.push({ range, title: `supervisord: ${read ? 'read, not started' : 'not loaded'} · supervisorctl update adds it`, action: { kind: 'update', program: p.name, group: p.group } });
      continue;
    }
    // A [group:x] of several programs: supervisorctl names this one's processes one by one.
    const shared = processes.length < inGroup.length;
    const namespecs = shared ? processes.map((i) => `${i.group}:${i.name}`) : [`${p.group}:`];
    lenses.push({ range, title: `supervisord: ${stateSummary(processes)}`, action: { kind: 'processes', program: p.name, processes, namespecs, ...(shared ? { sharedGroup: p.group } : {}) } });
    const changed = differences(p, configs, here, live.accounts);
    if (groupPriorityDiffers(deployment, p, configs)) changed.push(`[group:${p.group}] priority`);
    if (live.environments && environmentDiffers(p, processes, here, live.environments)) changed.splice(changed[0] === 'command' ? 1 : 0, 0, 'environment');
    if (changed.length) {
      lenses.push({ range, title: `supervisord: not applied yet: ${changed.join(', ')} · supervisorctl update restarts it with them`, action: { kind: 'update', program: p.name, group: p.group } });
    }
  }
  return lenses;
}

function byGroup<T extends { group: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.group);
    if (list) list.push(item);
    else groups.set(item.group, [item]);
  }
  return groups;
}

/** Whether a process (group, name) is one of the program's; undefined when its names are not known here. */
function processMatcher(p: ProgramView): ((group: string, name: string) => boolean) | undefined {
  if (p.processNames) {
    const names = new Set(p.processNames);
    return (group, name) => group === p.group && names.has(name);
  }
  // process_name uses a name only supervisord knows: its own group holds only its processes.
  return p.group === p.name ? (group) => group === p.group : undefined;
}

function stateSummary(processes: ProcessInfo[]): string {
  const measured = processes.filter((i) => i.memory);
  const total = measured.reduce((sum, i) => sum + i.memory!.bytes, 0);
  if (processes.length === 1) {
    const [one] = processes;
    const memory = one.memory ? ` · ${memoryText(one.memory.bytes, one.memory.children)}` : '';
    return `${one.description ? `${one.statename} · ${why(one)}` : one.statename}${memory}`;
  }
  const { line, worst } = stateCounts(processes);
  // The first process that is not running says why.
  const trouble = processes.find((i) => i.statename === worst && i.statename !== 'RUNNING' && i.description);
  const memory = measured.length ? ` · ${describeBytes(total).text} in all` : '';
  return `${trouble ? `${line} · ${trouble.name}: ${why(trouble)}` : line}${memory}`;
}

/** supervisord's description, and the end of the log where the server read it ("the process log may have details": here they are). */
function why(process: ProcessInfo): string {
  if (!process.lastLogLine) return process.description;
  return `${process.description.replace(/ \(process log may have details\)$/, '')} · log: ${process.lastLogLine}`;
}

/** "1 FATAL, 3 RUNNING": how many processes are in each state, the worst first. */
export function stateCounts(processes: readonly ProcessInfo[]): { line: string; worst: string | undefined } {
  const counts = new Map<string, number>();
  for (const i of processes) counts.set(i.statename, (counts.get(i.statename) ?? 0) + 1);
  const rank = (state: string) => {
    const at = STATE_ORDER.indexOf(state);
    return at < 0 ? STATE_ORDER.length : at;
  };
  const states = [...counts.keys()].sort((a, b) => rank(a) - rank(b));
  return { line: states.map((s) => `${counts.get(s)} ${s}`).join(', '), worst: states[0] };
}

/** "1.2 GB with 4 child processes": what memmon -c would measure for it. */
function memoryText(bytes: number, children: number): string {
  const size = describeBytes(bytes).text;
  return children ? `${size} with ${children} child process${children === 1 ? '' : 'es'}` : size;
}

/**
 * Whether a running process lacks a variable of the program's environment= (or has another value):
 * supervisord adds them to its own environment when it starts the process, so each must be there as
 * written, after supervisor's expansions. A variable removed from the file cannot be told from one
 * supervisord has itself.
 */
function environmentDiffers(p: ProgramView, processes: readonly ProcessInfo[], here: string, environments: ReadonlyMap<number, ReadonlyMap<string, string>>): boolean {
  const text = p.get('environment')?.value;
  const names = text === undefined ? undefined : processExpansions(p, here);
  if (!names || !p.processNames) return false;
  const start = names.process_num;
  return processes.some((process) => {
    const k = p.processNames!.indexOf(process.name);
    const environment = process.pid === undefined ? undefined : environments.get(process.pid);
    if (k < 0 || !environment) return false;
    names.process_num = start + k;
    const expanded = expandTemplate(text!, names);
    const reading = expanded === undefined ? undefined : parseEnvironment(expanded);
    return reading !== undefined && !reading.error && reading.pairs.some(({ key, value }) => environment.get(key) !== value);
  });
}

/**
 * Whether supervisord orders the program's [group:x] by another priority than the file's (group_prio;
 * a program's own group takes the program's priority, compared with the other keys).
 */
function groupPriorityDiffers(deployment: Deployment, p: ProgramView, configs: readonly ProcessConfigInfo[]): boolean {
  if (p.group === p.name) return false;
  const written = deploymentSectionValue(deployment, `group:${p.group}`, 'priority');
  const priority = written ? known(parseInteger(written.value)) : 999;
  return priority !== undefined && configs.some((c) => typeof c.group_prio === 'number' && c.group_prio !== priority);
}

/** What supervisord loaded differently from the file: the command, numprocs, the COMPARED keys. */
function differences(p: ProgramView, configs: ProcessConfigInfo[], here: string, accounts?: ReadonlyMap<number, string>): string[] {
  const out: string[] = [];
  if (configs.length && configs.length !== Math.min(p.numprocs, p.processNames?.length ?? p.numprocs)) out.push('numprocs');
  const names = processExpansions(p, here);
  if (!names) return out;
  const start = names.process_num;
  /** The process_num supervisor gave a loaded process: undefined when its name is not one of the file's. */
  const numberOf = (c: ProcessConfigInfo) => {
    const k = p.processNames?.indexOf(c.name) ?? -1;
    return k < 0 ? undefined : start + k;
  };
  const command = p.command?.value;
  const commandDiffers = (c: ProcessConfigInfo) => {
    const num = numberOf(c);
    if (num === undefined || typeof c.command !== 'string') return false;
    names.process_num = num;
    const expanded = expandTemplate(command!, names);
    return expanded !== undefined && squeezed(expanded) !== squeezed(c.command);
  };
  if (command && configs.some(commandDiffers)) out.unshift('command');
  for (const { key, field, spec, fallback } of comparedKeys(p.kind)) {
    const text = fileText(p, key);
    if (text === undefined && fallback === undefined) continue;
    // A value without %( is the same for every process: read it once.
    const perProcess = text !== undefined && text.includes('%');
    names.process_num = start;
    const once = text === undefined ? fallback : perProcess ? undefined : loadedForm(spec, text, names);
    for (const c of configs) {
      const loaded = c[field];
      // A field this supervisord does not report: nothing to compare.
      if (loaded === undefined) continue;
      let mine = once;
      if (perProcess) {
        const num = numberOf(c);
        if (num === undefined) continue;
        names.process_num = num;
        mine = loadedForm(spec, text, names);
      }
      if (mine !== undefined && !sameAsLoaded(mine, loaded, key, c.name, accounts)) {
        out.push(key);
        break;
      }
    }
  }
  return out;
}

interface ComparedKey {
  key: string;
  /** Its name in getAllConfigInfo's answer. */
  field: string;
  spec: KeySpec;
  /** The default, read as supervisor reads it; undefined when it cannot be compared. */
  fallback: unknown;
}

/** COMPARED with each key's spec and default reading, by section kind: built once, read for every program. */
const comparedByKind = new Map<string, ComparedKey[]>();

function comparedKeys(kind: string): ComparedKey[] {
  let keys = comparedByKind.get(kind);
  if (keys) return keys;
  const specs = keySpecsOf(kind);
  keys = [];
  for (const { key, field } of COMPARED) {
    const spec = specs?.get(key);
    if (!spec) continue;
    // Absent, directory, user and serverurl are None, reported as 'none'; killasgroup follows an absent stopasgroup (false).
    const none = key === 'directory' || key === 'user' || key === 'serverurl';
    const text = none ? undefined : key === 'killasgroup' ? 'false' : spec.default;
    const fallback = none ? 'none' : text === undefined ? undefined : loadedForm(spec, text, {});
    keys.push({ key, field: field ?? key, spec, fallback });
  }
  comparedByKind.set(kind, keys);
  return keys;
}

/** The file's text for a key, written or implied by another key as options.py reads it; undefined: supervisor's default. */
function fileText(p: ProgramView, key: string): string | undefined {
  // With redirect_stderr, supervisor drops a stderr_logfile.
  if (key === 'stderr_logfile' && p.get('redirect_stderr') && booleanKey(p, 'redirect_stderr', false)) return 'NONE';
  const written = p.get(key)?.value;
  if (written !== undefined) return written;
  if (key === 'killasgroup') return p.get('stopasgroup')?.value;
  if (key === 'stdout_syslog' || key === 'stderr_syslog') {
    // The deprecated stdout_logfile=syslog turns stdout_syslog on.
    const log = p.get(key === 'stdout_syslog' ? 'stdout_logfile' : 'stderr_logfile')?.value.trim();
    if (log?.length === 6 && lowerCase(log) === 'syslog') return 'true';
  }
  return undefined;
}

/**
 * A value of the file in the form getAllConfigInfo reports it for one process (names: its expansions):
 * numbers, booleans, a list of exit codes, a path, or 'auto' / 'none' for the log targets. Undefined
 * when it cannot be known here (an environment variable, a `~` path, a value supervisor would refuse).
 */
function loadedForm(spec: KeySpec, text: string, names: Record<string, string | number>): unknown {
  const once = expandTemplate(text, names);
  const value = spec.expandedTwice && once !== undefined ? expandTemplate(once, names) : once;
  if (value === undefined) return undefined;
  switch (spec.type) {
    case 'integer':
      return known(parseInteger(value));
    case 'boolean':
      return known(parseBoolean(value));
    case 'byte_size':
      return known(parseByteSize(value));
    case 'signal':
      return known(parseSignal(value));
    case 'exit_codes':
      return known(parseExitCodes(value));
    case 'directory':
      return value.startsWith('~') ? undefined : value;
    case 'url':
      // options.py: AUTO (any case, spaces around) is None.
      return value.length <= 12 && lowerCase(pyStrip(value)) === 'auto' ? 'none' : value;
    case 'user': {
      // name_to_uid takes a uid as well as a name.
      const uid = pyInt(value);
      return uid ?? value;
    }
    case 'logfile': {
      const target = value.trim();
      // Only a short text can be one of the special targets: no lower-casing of every path.
      const lower = target.length <= 6 ? lowerCase(target) : '';
      if (lower === 'none' || lower === 'off' || lower === 'syslog') return 'none';
      if (lower === 'auto') return 'auto';
      return target.startsWith('~') ? undefined : target;
    }
    default:
      return undefined;
  }
}

function known<T>(parsed: Parsed<T>): T | undefined {
  return parsed.ok ? parsed.value : undefined;
}

/**
 * Whether supervisord loaded the file's value: equal, or not comparable (an account the server could
 * not name). supervisord reports user= as a uid, 'none'
 * without one; an AUTO log as the file it made in childlogdir, `<process>-stdout---<identifier>-<random>.log`.
 */
function sameAsLoaded(mine: unknown, loaded: unknown, key: string, process: string, accounts: ReadonlyMap<number, string> | undefined): boolean {
  if (key === 'user' && typeof loaded === 'number') return typeof mine === 'number' ? mine === loaded : mine === 'none' ? false : (accounts?.get(loaded) ?? mine) === mine;
  if (Array.isArray(mine)) return !Array.isArray(loaded) || (mine.length === loaded.length && mine.every((v, i) => v === loaded[i]));
  if (typeof loaded !== typeof mine) return true;
  if (mine === 'auto' && key.endsWith('_logfile')) {
    const stream = key.slice(0, -'_logfile'.length);
    const file = loaded as string;
    return file === 'auto' || file.slice(file.lastIndexOf('/') + 1).startsWith(`${process}-${stream}---`);
  }
  return mine === loaded;
}

/** Whitespace runs as one space: a value re-indented over continuation lines is the same command. */
function squeezed(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

/**
 * Where supervisorctl would connect for this main config (supervisor/options.py ClientOptions): its
 * [supervisorctl] serverurl (default http://localhost:9001), else, without [supervisorctl], the
 * server supervisord itself offers (the UNIX socket first). Credentials from [supervisorctl], else
 * from that server section. Undefined when it cannot be known here (expansions other than %(here)s,
 * relative socket paths, a hashed password) or names another machine.
 */
export function rpcTargetOf(main: SupervisorDocument, mainPath: string): RpcTarget | undefined {
  const here = dirname(mainPath);
  const value = (section: string, key: string) => {
    const raw = sectionValue(main, section, key)?.value.trim();
    return raw === undefined ? undefined : expandTemplate(raw, { here }) ?? null;
  };
  let url: string | null | undefined;
  let server: string | undefined;
  if (hasSection(main, 'supervisorctl')) {
    const set = value('supervisorctl', 'serverurl');
    url = set === undefined ? 'http://localhost:9001' : set;
  } else if (hasSection(main, 'unix_http_server')) {
    const file = value('unix_http_server', 'file');
    [url, server] = [file && `unix://${file}`, 'unix_http_server'];
  } else if (hasSection(main, 'inet_http_server')) {
    const port = value('inet_http_server', 'port');
    [url, server] = [port && `http://${port}`, 'inet_http_server'];
  }
  if (!url) return undefined;
  const auth = server ?? 'supervisorctl';
  const username = value(auth, 'username');
  const password = value(auth, 'password');
  if (username === null || password === null || password?.startsWith('{SHA}')) return undefined;
  const credentials = username !== undefined && password !== undefined ? { username, password } : {};
  if (url.startsWith('unix://')) {
    // A relative path is relative to the working directory of whoever reads it: not known here.
    const socketPath = url.slice('unix://'.length);
    return socketPath.startsWith('/') ? { socketPath, ...credentials } : undefined;
  }
  const http = /^https?:\/\/(?:\[([^\]]*)\]|([^:/]*))(?::(\d+))?\/?$/i.exec(url);
  if (!http) return undefined;
  const host = http[1] ?? http[2];
  // Only this machine's supervisord: another's /proc is not here to tell which config it reads, and a
  // copy of a production config must not send its credentials over the network on every edit.
  if (!LOOPBACK.has(host.toLowerCase())) return undefined;
  return { host: host === '' || host === '*' ? 'localhost' : host, port: http[3] ? Number(http[3]) : 80, ...credentials };
}
