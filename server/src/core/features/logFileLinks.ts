/**
 * Log files as links: `stdout_logfile=/var/log/celery/worker.log` opens the log (Ctrl+click), the
 * quickest way to see why a worker keeps restarting. The core says which paths a value names, after
 * supervisor's expansions; the server links the first of them that exists on disk.
 */
import type { Deployment, ProgramView } from '../deployment';
import type { Entry, SupervisorDocument } from '../model/document';
import { sectionValue } from '../rules/memmon/servers';
import type { Range } from '../model/types';
import { dirname, joinPath } from '../include';
import { expandTemplate } from '../model/percent';
import { namedFile } from '../rules/process/sharedLogFile';
import { entryHere, processExpansions } from '../rules/process/programKeys';

export interface LogFileLink {
  range: Range;
  /** The file of each process, in process order, each once (a value without %(process_num) names one). */
  paths: string[];
}

/** Paths tried per value: a worker with numprocs=200 need not be stat()ed 200 times. */
const MAX_PATHS = 20;

/**
 * The log files the document names: its programs' stdout_logfile and stderr_logfile and
 * [supervisord] logfile, expanded as supervisor does (`%(here)s` is the folder of `file`, unknown for
 * an unsaved document). Left out: AUTO, NONE, OFF, SYSLOG, /dev/ paths, relative or `~` paths
 * (supervisord resolves them from its own working directory or user) and values that read the
 * environment.
 */
export function logFileLinks(doc: SupervisorDocument, deployment: Deployment, file: string | undefined): LogFileLink[] {
  const here = file === undefined ? undefined : dirname(file);
  // By entry: programs that take the value from [DEFAULT] share its entry, and get one link.
  const links = new Map<Entry, LogFileLink>();
  for (const program of deployment.programs) {
    if (program.numprocs < 1) continue;
    for (const key of LOG_KEYS) {
      // Another file's [DEFAULT] path is linked in that file, where its text is.
      const entry = entryHere(program, key);
      const value = entry && namedFile(entry);
      const paths = value === undefined ? undefined : logPathsOf(program, value, MAX_PATHS, here);
      if (paths) addLink(links, entry!, paths);
    }
  }
  // supervisor merges repeated [supervisord] sections: the last logfile= wins.
  const logfile = sectionValue(doc, 'supervisord', 'logfile');
  const value = logfile && namedFile(logfile);
  const path = value === undefined ? undefined : expandTemplate(value, here === undefined ? {} : { here });
  if (path !== undefined) addLink(links, logfile!, [path]);
  return [...links.values()];
}

const LOG_KEYS = ['stdout_logfile', 'stderr_logfile'];

/**
 * The file each of the program's first `max` processes writes for a log path, expanded as supervisor
 * 4.2 does (twice), each once and in process order: a value that does not read process_num is one
 * file for them all. Undefined when the path needs a name only the server knows (an environment
 * variable, or %(here)s without `here`).
 */
export function logPathsOf(program: ProgramView, value: string, max: number, here?: string): string[] | undefined {
  if (!value.includes('%')) return [value];
  const names = processExpansions(program, here);
  if (names === undefined) return undefined;
  const start = names.process_num;
  const count = value.includes('process_num') ? Math.min(program.numprocs, max) : 1;
  const paths: string[] = [];
  for (let n = start; n < start + count; n++) {
    names.process_num = n;
    const once = expandTemplate(value, names);
    const path = once === undefined ? undefined : expandTemplate(once, names);
    if (path === undefined) return undefined;
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}

/**
 * Links the absolute paths among `paths`, with `.`, `..` and doubled slashes resolved (as the link's file:
 * URL would be); added to the entry's link when it has one (at most MAX_PATHS in all).
 */
function addLink(links: Map<Entry, LogFileLink>, entry: Entry, paths: string[]): void {
  const absolute = links.get(entry)?.paths ?? [];
  for (const p of paths) {
    if (!p.startsWith('/') || absolute.length >= MAX_PATHS) continue;
    const normal = p.includes('/.') || p.includes('//') ? joinPath('/', p) : p;
    if (!absolute.includes(normal)) absolute.push(normal);
  }
  if (absolute.length && !links.has(entry)) links.set(entry, { range: entry.valueRange, paths: absolute });
}
