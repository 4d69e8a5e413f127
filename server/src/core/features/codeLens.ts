/**
 * A line above each Celery worker that sums up what the tuning guide asks about it: the pool, how many
 * processes, threads or greenlets it runs, and what limits its memory.
 *
 *   Celery worker · prefork · 2 × 4 pool processes · each replaced above 256 MB (at most 2 GB)
 *   Celery worker · gevent · 10 greenlets · memmon restarts it above 512 MB
 */
import type { SupervisorDocument } from '../model/document';
import type { Range } from '../model/types';
import { watchersOf, type Deployment, type ProgramView } from '../deployment';
import { isProcessPool, poolSizeOf, type CeleryCommand } from '../command/celery';
import { memmonExit, type MemmonCommand, type MemmonLimit } from '../command/memmon';
import { editorSwitch, type Settings } from '../settings';
import { describeBytes } from '../units';
import { workerPool, type CeleryProgram } from '../rules/celery/workers';
import { workerOptionValue } from '../rules/celery/commandLine';

export interface CodeLensInfo {
  /** The program's [program:x] header. */
  range: Range;
  title: string;
}

export interface CodeLensOptions {
  /** The summary above each Celery worker (default true). */
  celeryWorkers?: boolean;
  /** The state of each program's processes, from the supervisord running the file (default true; processStatus.ts). */
  processStatus?: boolean;
}

/** The `supervisor.codeLens` settings from the client's `supervisor` section (a missing or odd value: on). */
export function codeLensOptionsFrom(config: unknown): CodeLensOptions {
  return { celeryWorkers: editorSwitch(config, 'codeLens', 'celeryWorkers') !== false, processStatus: editorSwitch(config, 'codeLens', 'processStatus') !== false };
}

const KIB = 1024;
const DIGITS = /^\d+$/;

/** One lens per Celery worker program of this file, on its first header. */
export function codeLenses(doc: SupervisorDocument, deployment: Deployment, settings: Settings, options: CodeLensOptions = {}): CodeLensInfo[] {
  if (options.celeryWorkers === false) return [];
  const lenses: CodeLensInfo[] = [];
  for (const p of deployment.celeryPrograms) {
    if (p.celery.subcommand !== 'worker') continue;
    const section = doc.sections[p.sectionIndexes[0]];
    if (!section) continue;
    lenses.push({ range: section.headerRange, title: workerSummary(deployment, p, p.celery, workerPool(deployment, p), settings).join(' · ') });
  }
  return lenses;
}

/** `pool` is the one the worker runs: its -P, or CELERY_WORKER_POOL where it has none. */
function workerSummary(deployment: Deployment, p: CeleryProgram, cmd: CeleryCommand, pool: string, settings: Settings): string[] {
  const parts = ['Celery worker', pool];
  if (p.numprocs <= 0) return [...parts, `numprocs=${p.numprocs}: supervisor starts no process`];
  const size = cmd.has('--autoscale') || cmd.has('--concurrency') ? poolSizeOf(cmd) : environmentSize(deployment, p);
  const cpu = settings.serverCpuCount;
  // Celery's default pool size is the CPU count, for every pool but solo.
  const perProcess = size?.n ?? cpu ?? undefined;
  const copies = p.numprocs > 1 ? `${p.numprocs} × ` : '';
  const upTo = size?.how.startsWith('--autoscale') ? 'up to ' : '';
  if (pool === 'solo') parts.push(`${copies}1 task at a time`);
  else if (perProcess === undefined) parts.push(`${copies}1 ${unitOf(pool, 1)} per CPU core`);
  else parts.push(`${copies}${upTo}${perProcess} ${unitOf(pool, perProcess)}${size ? '' : ' (1 per core)'}`);
  // A Celery 4 spelling stops Celery 5 before anything else counts (celery-removed-option).
  const removed = cmd.options.filter((o) => o.removed).map((o) => o.spelling);
  if (removed.length) parts.push(`does not start: Celery 5 has no ${[...new Set(removed)].join(', ')}`);
  // django-celery's command needs Celery 3.1 (celery-django-celery-command).
  if (cmd.managePy) parts.push(`does not start with Celery 4 or 5: manage.py ${cmd.managePy.command} is django-celery's`);
  parts.push(...limits(deployment, p, pool, perProcess));
  // Arguments the file does not show may change all of the above (another pool, a limit).
  if (cmd.unknownArguments?.length) parts.push(`and whatever ${cmd.unknownArguments[0].text} adds`);
  return parts;
}

/** The pool size CELERY_WORKER_CONCURRENCY gives a worker whose command sets none. */
function environmentSize(deployment: Deployment, p: CeleryProgram): { n: number; how: string } | undefined {
  const n = positive(workerOptionValue(deployment, p, '--concurrency'));
  return n === undefined ? undefined : { n, how: 'CELERY_WORKER_CONCURRENCY' };
}

function unitOf(pool: string, n: number): string {
  const one = isProcessPool(pool) ? 'pool process' : pool === 'threads' ? 'thread' : pool === 'gevent' || pool === 'eventlet' ? 'greenlet' : 'slot';
  return n === 1 ? one : one.endsWith('s') ? `${one}es` : `${one}s`;
}

/** What replaces a process that grew: Celery's per-child limits (process pools only) and memmon. */
function limits(deployment: Deployment, p: CeleryProgram, pool: string, perProcess: number | undefined): string[] {
  const out: string[] = [];
  if (isProcessPool(pool)) {
    const kib = positive(workerOptionValue(deployment, p, '--max-memory-per-child'));
    if (kib !== undefined) {
      const total = perProcess !== undefined ? ` (at most ${bytes(kib * KIB * perProcess * p.numprocs)})` : '';
      out.push(`each replaced above ${bytes(kib * KIB)}${total}`);
    }
    const tasks = positive(workerOptionValue(deployment, p, '--max-tasks-per-child'));
    if (tasks !== undefined) out.push(`each replaced after ${tasks} task${tasks === 1 ? '' : 's'}`);
  }
  const sizes = new Set<number>();
  const exits = new Set<string>();
  let counted = false;
  for (const w of watchersOf(deployment, p)) {
    const memmon = w.listener?.memmon ?? w.external?.memmon;
    if (!memmon) continue;
    // memmon-invalid-size or memmon-invalid-option says why: memmon exits at start, so it protects nothing.
    const exit = memmonExit(memmon);
    if (exit) {
      exits.add(exit.summary);
      continue;
    }
    for (const l of limitsFor(memmon, p)) if (l.bytes !== undefined) sizes.add(l.bytes);
    counted ||= w.cumulative;
  }
  if (sizes.size) {
    // memmon measures one process unless -c adds its children: a prefork pool's memory is in its children.
    const uncounted = isProcessPool(pool) && !counted ? ' (pool processes not counted: no -c)' : '';
    out.push(`memmon restarts it above ${[...sizes].sort((a, b) => a - b).map(bytes).join(' / ')}${uncounted}`);
  }
  if (exits.size) out.push(`memmon exits at start (${[...exits].join('; ')})`);
  if (!out.length) out.push('no memory limit');
  return out;
}

/**
 * The limits memmon applies to the program: -p for its processes, -g for its group, -a. memmon keeps
 * the last size of each name (a dict), and checks a process against the size of its bare name even
 * when a `group:name` -p selected it (without a bare -p, that lookup crashes memmon: no size applies).
 */
function limitsFor(memmon: MemmonCommand, p: ProgramView): MemmonLimit[] {
  const names = new Set(p.processNames ?? []);
  const last = new Map<string, MemmonLimit>();
  for (const l of memmon.programs) if (l.name !== undefined && names.has(l.name)) last.set(`-p ${l.name}`, l);
  for (const l of memmon.groups) if (l.name === p.group) last.set('-g', l);
  if (memmon.any) last.set('-a', memmon.any);
  return [...last.values()];
}

function positive(v: string | undefined): number | undefined {
  return v !== undefined && DIGITS.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

function bytes(n: number): string {
  return describeBytes(n).text;
}
