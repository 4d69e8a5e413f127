import type { Finding, Fix, Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';
import { parseByteSize, type MemmonCommand, type MemmonLimit } from '../../command/memmon';
import { aloneOf, type Deployment } from '../../deployment';
import type { Settings } from '../../settings';
import { isProcessPool, poolOf, poolSizeOf, type CeleryCommand } from '../../command/celery';
import { describeBytes } from '../../units';
import { workerFacts } from '../celery/workers';

const MB = 1024 * 1024;
/** The tuning guide's floor per process: a fresh Celery worker already uses about 80 MB. */
const FLOOR = 128 * MB;
const DIGITS = /^\d+$/;

type Target = { kind: 'p' | 'g' | 'a'; name?: string };

/** A Celery worker of the deployment: what this rule needs of it, wherever it is defined. */
interface Worker {
  name: string;
  group: string;
  processNames: string[] | undefined;
  celery: CeleryCommand;
  /** The pool it runs, CELERY_WORKER_POOL included for this file's workers (workerFacts). */
  pool: string;
}

/** The deployment's Celery workers (this file's and the other files') by process name and by group, built at the first limit that needs them. */
interface WorkerIndex {
  all: Worker[];
  byProcess: Map<string, Worker>;
  byGroup: Map<string, Worker[]>;
}

function workerIndex(deployment: Deployment): WorkerIndex {
  const { workers, pools } = workerFacts(deployment);
  const all: Worker[] = workers.map((w, i) => ({ name: w.name, group: w.group, processNames: w.processNames, celery: w.celery, pool: pools[i] }));
  const external = deployment.external;
  if (external) {
    const docs = new Map(external.files.map((f) => [f.path, f.doc]));
    for (const e of external.programs) {
      const doc = docs.get(e.file);
      // Read in its own file; the name, group and process names as the whole deployment gives them.
      const celery = doc ? aloneOf(doc).byName.get(e.name)?.celery : undefined;
      if (celery?.subcommand === 'worker') all.push({ name: e.name, group: e.group, processNames: e.processNames, celery, pool: poolOf(celery) });
    }
  }
  const byProcess = new Map<string, Worker>();
  const byGroup = new Map<string, Worker[]>();
  for (const p of all) {
    for (const name of p.processNames ?? []) if (!byProcess.has(name)) byProcess.set(name, p);
    const members = byGroup.get(p.group);
    if (members) members.push(p);
    else byGroup.set(p.group, [p]);
  }
  return { all, byProcess, byGroup };
}

/** The Celery workers a limit applies to: one of their process names, their group, or -a. */
function workersLimited(index: WorkerIndex, target: Target): Worker[] {
  if (target.kind === 'a') return index.all;
  if (target.name === undefined) return [];
  if (target.kind === 'g') return index.byGroup.get(target.name) ?? [];
  const worker = index.byProcess.get(target.name.slice(target.name.indexOf(':') + 1));
  return worker ? [worker] : [];
}

/** A listener's limits with what each applies to. */
function limitsOf(m: MemmonCommand): [MemmonLimit, Target][] {
  return [
    ...m.programs.map((l): [MemmonLimit, Target] => [l, { kind: 'p', name: l.name }]),
    ...m.groups.map((l): [MemmonLimit, Target] => [l, { kind: 'g', name: l.name }]),
    ...(m.any ? [[m.any, { kind: 'a' }] as [MemmonLimit, Target]] : []),
  ];
}

/** Processes memmon -c adds up for a prefork worker: the main process and its pool; undefined when the pool size is unknown. */
function processesCounted(celery: CeleryCommand, pool: string, settings: Settings): number | undefined {
  if (!isProcessPool(pool)) return undefined;
  const size = poolSizeOf(celery)?.n ?? settings.serverCpuCount ?? undefined;
  return size === undefined ? undefined : size + 1;
}

/** The floor a limit on these workers must reach: 128 MB for each process memmon measures (with -c, a prefork worker's main process and pool). */
function floorFor(workers: Worker[], cumulative: boolean, settings: Settings): { needed: number; counted: number; example?: Worker } {
  let counted = 1;
  let example: Worker | undefined;
  if (cumulative) {
    for (const w of workers) {
      const n = processesCounted(w.celery, w.pool, settings);
      if (n !== undefined && n > counted) [counted, example] = [n, w];
    }
  }
  return { needed: FLOOR * counted, counted, example };
}

/**
 * memmon sizes are bytes unless they say KB, MB or GB: `-p worker=256` restarts the worker as soon as it
 * uses 256 bytes, that is at every check. And the tuning guide's 128 MB floor holds for memmon too: a
 * Celery worker starts at about 80 MB, and with -c memmon adds up the main process and every pool process.
 */
export const memmonLimitTooLow: Rule = {
  code: 'memmon-limit-too-low',
  defaultSeverity: 'warning',
  summary: 'A memmon size under 1 MB written without a unit (it is bytes), or under 128 MB per process it measures for a Celery worker: memmon restarts it at almost every check.',
  check({ deployment, settings }) {
    const findings: Finding[] = [];
    let index: WorkerIndex | undefined;
    for (const listener of deployment.memmonListeners) {
      const m = listener.memmon;
      for (const [limit, target] of limitsOf(m)) {
        const bytes = limit.bytes;
        if (bytes === undefined || limit.malformed) continue; // memmon-invalid-size
        const size = limit.size.trim();
        const range = spanRange(listener.command, limit.sizeStart, limit.sizeEnd);
        const replace = (text: string) => [...replaceSpan(listener.command, limit.sizeStart, limit.sizeEnd, text)];
        if (DIGITS.test(size) && bytes < MB) {
          // Meant as megabytes, but under the floor for the Celery workers it limits even so (-p worker=64):
          // writing 64MB would only turn this finding into the one below.
          const limited = workersLimited((index ??= workerIndex(deployment)), target);
          const { needed, counted, example } = limited.length ? floorFor(limited, !!m.cumulative, settings) : { needed: 0, counted: 1, example: undefined };
          if (Number(size) * MB < needed) {
            const raise = suggestedSize(settings, needed);
            const floor =
              counted > 1
                ? `the ${describeBytes(needed).text} memmon -c needs for the main process of '${example!.name}' and its ${counted - 1} pool processes (the tuning guide's floor is 128 MB per process`
                : `the 128 MB the tuning guide recommends as a floor for Celery workers (a fresh worker already uses about 80 MB`;
            findings.push({
              code: this.code,
              severity: 'warning',
              message: `memmon reads '${size}' as ${describeBytes(bytes).text}: a size without KB, MB or GB is in bytes, so memmon restarts ${what(target)} at every check. Even ${size} MB would be below ${floor}): write ${raise}.`,
              range,
              fixes: [{ title: `Raise it to ${raise}`, edits: replace(raise), isPreferred: true, safeForFixAll: false }],
            });
            continue;
          }
          findings.push({
            code: this.code,
            severity: 'warning',
            message: `memmon reads '${size}' as ${describeBytes(bytes).text}: a size without KB, MB or GB is in bytes, so memmon restarts ${what(target)} at every check. For ${size} MB write ${size}MB.`,
            range,
            fixes: [{ title: `Write ${size}MB`, edits: replace(`${size}MB`), isPreferred: true }],
          });
          continue;
        }
        if (bytes >= FLOOR && !m.cumulative) continue; // nothing below can apply: skip the lookup
        const workers = workersLimited((index ??= workerIndex(deployment)), target);
        if (!workers.length) continue;
        const { needed, counted, example } = floorFor(workers, !!m.cumulative, settings);
        if (bytes >= needed) continue;
        const raise = suggestedSize(settings, needed);
        const fixes: Fix[] = [{ title: `Raise it to ${raise}`, edits: replace(raise), isPreferred: true, safeForFixAll: false }];
        const message =
          counted > 1 && bytes >= FLOOR
            ? `memmon -c adds up the main process of '${example!.name}' and its ${counted - 1} pool processes: ${describeBytes(bytes).text} is about ${describeBytes(Math.round(bytes / counted)).text} each, below the 128 MB per process the tuning guide recommends as a floor (a fresh worker already uses about 80 MB), so memmon would restart it at almost every check. Raise it to at least ${describeBytes(needed).text}, or leave the pool to --max-memory-per-child.`
            : `memmon restarts ${what(target)} above ${describeBytes(bytes).text}, below the 128 MB the tuning guide recommends as a floor for Celery workers: a fresh worker already uses about 80 MB, so memmon would restart it at almost every check.`;
        findings.push({ code: this.code, severity: 'warning', message, range, fixes });
      }
    }
    return findings;
  },
};

/**
 * The size for a new memmon limit on a worker that this rule accepts (the quick fixes that add a
 * listener or a -p): supervisor.memmon.defaultLimit when it is enough, else the floor. `celery` is
 * the worker's command as memmon will measure it (undefined: one process, as after a switch to gevent).
 */
export function acceptedMemmonSize(settings: Settings, celery: CeleryCommand | undefined, cumulative: boolean): string {
  const counted = cumulative && celery ? processesCounted(celery, poolOf(celery), settings) ?? 1 : 1;
  return suggestedSize(settings, FLOOR * counted);
}

/** The same for each -p or -g name a listener may get (completion): the workers it would limit, wherever they are defined; the default for other programs. */
export function acceptedMemmonSizes(deployment: Deployment, settings: Settings, cumulative: boolean): (kind: 'p' | 'g', name: string) => string {
  let index: WorkerIndex | undefined;
  return (kind, name) => {
    const workers = workersLimited((index ??= workerIndex(deployment)), { kind, name });
    return workers.length ? suggestedSize(settings, floorFor(workers, cumulative, settings).needed) : settings.memmonDefaultLimit;
  };
}

/**
 * Whether -c would put a limit of this listener that is enough today under the floor: memmon would
 * then add up the pool processes of the prefork workers it watches (the memmon fix adds -c).
 */
export function cumulativeLowersLimits(deployment: Deployment, settings: Settings, memmon: MemmonCommand): boolean {
  if (memmon.cumulative) return false;
  let index: WorkerIndex | undefined;
  return limitsOf(memmon).some(([limit, target]) => {
    if (limit.bytes === undefined || limit.malformed) return false;
    const workers = workersLimited((index ??= workerIndex(deployment)), target);
    return limit.bytes >= floorFor(workers, false, settings).needed && limit.bytes < floorFor(workers, true, settings).needed;
  });
}

/** supervisor.memmon.defaultLimit when it is enough, else the floor in whole MB (a size memmon reads: memmon-invalid-size). */
function suggestedSize(settings: Settings, needed: number): string {
  const configured = parseByteSize(settings.memmonDefaultLimit) ?? 0;
  return configured >= needed ? settings.memmonDefaultLimit : `${Math.ceil(needed / MB)}MB`;
}

function what(target: Target): string {
  if (target.kind === 'a') return 'every process';
  return target.kind === 'g' ? `the group '${target.name}'` : `'${target.name}'`;
}
