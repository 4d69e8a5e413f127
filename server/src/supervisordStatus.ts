/**
 * Asks the supervisord running here about its processes, as supervisorctl does (XML-RPC over its UNIX
 * socket or HTTP port), for the process status lenses (core/features/processStatus.ts). Only a
 * supervisord that reads the deployment's own main config is asked about it.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import Deserializer from 'xmlrpc/lib/deserializer';
import type { LiveState, ProcessConfigInfo, ProcessInfo, RpcTarget } from './core/features/processStatus';
import { exitedOnItsOwn } from './core/features/processStates';
import { accountName, processEnvironment, realPath, supervisordConfigOf, treeMemory } from './thisMachine';

/** The methods asked, none with parameters: their call is a fixed text (no XML builder needed). */
type Method = 'supervisor.getPID' | 'supervisor.getAllProcessInfo' | 'supervisor.getAllConfigInfo';

/** One XML-RPC call to supervisord; rejects on a fault, an HTTP error, or after timeoutMs. */
export function callSupervisord(target: RpcTarget, method: Method, timeoutMs = 2_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = `<?xml version="1.0"?>\n<methodCall><methodName>${method}</methodName><params/></methodCall>\n`;
    const headers: Record<string, string | number> = { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) };
    if (target.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
    const where = target.socketPath !== undefined ? { socketPath: target.socketPath } : { host: target.host, port: target.port };
    const request = http.request({ ...where, path: '/RPC2', method: 'POST', headers, timeout: timeoutMs }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`supervisord answered HTTP ${response.statusCode} to ${method}`));
        return;
      }
      new Deserializer().deserializeMethodResponse(response, (error, value) => (error ? reject(error) : resolve(value)));
    });
    request.on('timeout', () => request.destroy(new Error(`supervisord did not answer ${method} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** What asking gave: the state, or why there is none ("no access to /var/run/supervisor.sock"). */
export type SupervisordAnswer = { live: LiveState } | { live?: undefined; problem: string };

/**
 * The state of the supervisord that reads `mainPath`, each answer remembered for `ttlMs` (the editor
 * asks for lenses after every edit, and every few seconds while they show). No state when none
 * answers at the target, or the one that does reads another config: the answer says which.
 */
export class SupervisordStatus {
  private readonly memo = new Map<string, { at: number; answer: Promise<SupervisordAnswer> }>();
  /** uid -> account name: accounts hardly change while the editor is open. */
  private readonly accountNames = new Map<number, string | undefined>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly proc = '/proc',
  ) {}

  stateOf(mainPath: string, target: RpcTarget): Promise<LiveState | undefined> {
    return this.answerOf(mainPath, target).then((a) => a.live);
  }

  answerOf(mainPath: string, target: RpcTarget): Promise<SupervisordAnswer> {
    const key = JSON.stringify([mainPath, target]);
    const hit = this.memo.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.answer;
    const answer = this.ask(mainPath, target).catch((err: unknown) => ({ problem: problemOf(err, target) }));
    if (this.memo.size > 100) this.memo.clear();
    this.memo.set(key, { at: Date.now(), answer });
    return answer;
  }

  private async ask(mainPath: string, target: RpcTarget): Promise<SupervisordAnswer> {
    const pid = await callSupervisord(target, 'supervisor.getPID');
    // The socket is a path any supervisord may hold: make sure this one reads this deployment.
    const config = typeof pid === 'number' ? supervisordConfigOf(pid, this.proc) : undefined;
    if (config === undefined) return { problem: `the one at ${where(target)} cannot be told apart (its command line in /proc)` };
    if (config !== realPath(mainPath)) return { problem: `the one at ${where(target)} reads ${config}` };
    const [processes, configs] = await Promise.all([callSupervisord(target, 'supervisor.getAllProcessInfo'), callSupervisord(target, 'supervisor.getAllConfigInfo')]);
    if (!listOf<ProcessInfo>(processes, PROCESS_FIELDS) || !listOf<ProcessConfigInfo>(configs, CONFIG_FIELDS)) return { problem: `unexpected answers from ${where(target)}` };
    const running = processes.filter((p) => p.statename === 'RUNNING' && typeof p.pid === 'number' && p.pid > 0);
    const memory = treeMemory(running.map((p) => p.pid!), this.proc);
    // Read when asked (for programs with environment=), once per answer.
    const runningPids = new Set(running.map((p) => p.pid!));
    const read = new Map<number, Map<string, string> | undefined>();
    const environments = {
      get: (pid: number) => {
        if (!runningPids.has(pid)) return undefined;
        if (!read.has(pid)) read.set(pid, processEnvironment(pid, this.proc));
        return read.get(pid);
      },
    };
    const described = processes.map((p) => {
      if (p.pid !== undefined && memory.has(p.pid)) return { ...p, memory: memory.get(p.pid) };
      const lastLogLine = exitedOnItsOwn(p.statename) ? lastLineOfLogs(p) : undefined;
      return lastLogLine === undefined ? p : { ...p, lastLogLine };
    });
    return { live: { processes: described, configs, accounts: this.accountsOf(configs), environments } };
  }

  /** The names of the accounts the loaded programs run as (supervisord reports their uids). */
  private accountsOf(configs: ProcessConfigInfo[]): Map<number, string> {
    const accounts = new Map<number, string>();
    for (const { uid } of configs) {
      if (typeof uid !== 'number' || accounts.has(uid)) continue;
      if (!this.accountNames.has(uid)) this.accountNames.set(uid, accountName(uid));
      const name = this.accountNames.get(uid);
      if (name !== undefined) accounts.set(uid, name);
    }
    return accounts;
  }
}

/** How much of a log's end is read for its last line. */
const TAIL_BYTES = 4096;
/** A lens is one line: a longer log line is cut. */
const MAX_LINE = 120;

/** The last line with text of the process's stderr log (where errors go), else of its stdout log. */
export function lastLineOfLogs(process: Pick<ProcessInfo, 'stdout_logfile' | 'stderr_logfile'>): string | undefined {
  for (const file of [process.stderr_logfile, process.stdout_logfile]) {
    const line = file.startsWith('/') ? lastLine(file) : undefined;
    if (line) return line;
  }
  return undefined;
}

function lastLine(file: string): string | undefined {
  let text: string;
  try {
    // Non-blocking: a log that is a FIFO must not stop the server waiting for a writer.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const size = stat.size;
      const buffer = Buffer.alloc(Math.min(size, TAIL_BYTES));
      const read = fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      text = buffer.subarray(0, read).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined; // not there, or not ours to read
  }
  // Colours (Celery's) and other control characters have no place in a lens.
  const lines = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.replace(/[\x00-\x1f\x7f]/g, ' ').trim());
  const last = lines.reverse().find((l) => l !== '');
  return last === undefined ? undefined : last.length > MAX_LINE ? `${last.slice(0, MAX_LINE - 1)}…` : last;
}

function where(target: RpcTarget): string {
  return target.socketPath ?? `${target.host}:${target.port}`;
}

/** Why asking failed, in the words an admin would look for. */
export function problemOf(err: unknown, target: RpcTarget): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `no access to ${where(target)}`;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') return `not running (nothing at ${where(target)})`;
  const message = err instanceof Error ? err.message : String(err);
  if (/HTTP 401/.test(message)) return `${where(target)} refused the login`;
  return `no answer from ${where(target)}: ${message}`;
}

const PROCESS_FIELDS = ['name', 'group', 'statename', 'description', 'stdout_logfile', 'stderr_logfile'];
const CONFIG_FIELDS = ['name', 'group', 'command'];

/** An answer of the shape the lenses read (strings where they read strings): anything else is not used. */
function listOf<T>(value: unknown, fields: string[]): value is T[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && fields.every((f) => typeof (v as Record<string, unknown>)[f] === 'string'));
}
