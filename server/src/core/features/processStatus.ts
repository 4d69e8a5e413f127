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
 * What "not applied" compares is notApplied.ts's.
 */
import type { SupervisorDocument } from '../model/document';
import type { Range } from '../model/types';
import type { Deployment, ProgramView } from '../deployment';
import { expandTemplate } from '../model/percent';
import { hasSection, sectionValue } from '../rules/memmon/servers';
import { dirname } from '../include';
import { describeBytes } from '../units';
import { notApplied } from './notApplied';
import { byGroup, stateCounts } from './processStates';
import { programIsOwnGroup } from './programNames';

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
  /** The other keys it reports, compared with the file (notApplied.ts). */
  [key: string]: unknown;
}

export interface LiveState {
  processes: ProcessInfo[];
  configs: ProcessConfigInfo[];
  /** The account names of the uids in `configs` (supervisord reports a uid for user=), where the server could look them up. */
  accounts?: ReadonlyMap<number, string>;
  /**
   * The environment each running process started with, by pid, where the server could read it
   * (getAllConfigInfo does not report environment=): kept apart from the processes, which the lenses
   * pass to the editor. Asked only for the processes of programs with environment=.
   */
  environments?: { get(pid: number): ReadonlyMap<string, string> | undefined };
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

/** Hosts that are this machine. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
/** What a server listening on every interface names (supervisor's '' and '*', the OS's 0.0.0.0 and ::): this machine too. */
const ANY_INTERFACE = new Set(['', '*', '0.0.0.0', '::']);


/** One or two lines per program of this file that supervisord should run (numprocs > 0). */
export function processStatusLenses(doc: SupervisorDocument, deployment: Deployment, here: string, live: LiveState): ProcessStatusLens[] {
  const lenses: ProcessStatusLens[] = [];
  // By group: a file of thousands of programs would otherwise scan every process once per program.
  const processesOf = byGroup(live.processes);
  const configsOf = byGroup(live.configs);
  for (const p of deployment.programs) {
    const section = doc.sections[p.sectionIndexes[0]];
    if (!section || p.numprocs < 1) continue;
    const isMine = processMatcher(deployment, p);
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
    const changed = notApplied(deployment, p, { processes, configs }, here, live);
    if (changed.length) {
      lenses.push({ range, title: `supervisord: not applied yet: ${changed.join(', ')} · supervisorctl update restarts it with them`, action: { kind: 'update', program: p.name, group: p.group } });
    }
  }
  return lenses;
}

/** Whether a process (group, name) is one of the program's; undefined when its names are not known here. */
function processMatcher(deployment: Deployment, p: ProgramView): ((group: string, name: string) => boolean) | undefined {
  // Its own group holds only its processes, also those the file no longer names (numprocs lowered,
  // process_name changed) that supervisord runs until `supervisorctl update`.
  if (programIsOwnGroup(deployment, p)) return (group) => group === p.group;
  if (!p.processNames) return undefined;
  const names = new Set(p.processNames);
  return (group, name) => group === p.group && names.has(name);
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

/** "1.2 GB with 4 child processes": what memmon -c would measure for it. */
function memoryText(bytes: number, children: number): string {
  const size = describeBytes(bytes).text;
  return children ? `${size} with ${children} child process${children === 1 ? '' : 'es'}` : size;
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
    // inet_address: a port alone (`port=9001`) listens on every interface.
    [url, server] = [port && `http://${port.includes(':') ? port : `:${port}`}`, 'inet_http_server'];
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
  const anyInterface = ANY_INTERFACE.has(host);
  if (!anyInterface && !LOOPBACK.has(host.toLowerCase())) return undefined;
  return { host: anyInterface ? 'localhost' : host, port: http[3] ? Number(http[3]) : 80, ...credentials };
}
