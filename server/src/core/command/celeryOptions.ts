/**
 * Celery 5.x command-line option tables (global, `celery worker`, `celery beat`), written from
 * /work/shared/reference/celery-worker-options.json (ground truth: celery 5.2.6 + click 8.1.3, later
 * changes up to 5.6). Pure data; no run-time file reads.
 */
import { lookupTable } from '../lookupTable';

export type CeleryOptionType =
  | 'flag'
  | 'string'
  | 'path'
  | 'integer'
  | 'float'
  | 'choice'
  | 'list' // comma separated list
  | 'autoscale' // MAX,MIN or MAX
  | 'app' // module, module.attr or module:attr
  | 'url';

export interface CeleryOptionSpec {
  /** Canonical name: the long name, or '-O' (no long name in 5.2). */
  name: string;
  /** Single-character option, e.g. '-l' ('-O' for -O). */
  short?: string;
  /** Other long spellings click accepts, e.g. '--events' for --task-events. */
  aliases?: readonly string[];
  /** Version that introduced a spelling, when later than 5.0 (key: spelling). */
  aliasSince?: Readonly<Record<string, string>>;
  isFlag: boolean;
  type: CeleryOptionType;
  choices?: readonly string[];
  /** Choice matching ignores case (the log level is upper-cased before checking). */
  caseInsensitiveChoices?: boolean;
  /** First release with the option when later than 5.0/5.2 baseline, e.g. '5.3.0'. */
  since?: string;
  unit?: 'seconds' | 'KiB';
  /** The app setting that supplies the default. */
  setting?: string;
}

/** Options that existed in Celery 4.x (or earlier) and give 'No such option' in 5.x. */
export interface RemovedCeleryOption {
  spelling: string;
  /** The 5.x option that replaces it, if any. */
  replacement?: string;
  isFlag: boolean;
  removedIn: string;
}

/**
 * Celery 5.2.6's own sub-commands (celery.bin.celery), and flower, which its package adds as one (a plugin
 * through the celery.commands entry point).
 */
export const CELERY_COMMANDS: readonly string[] = [
  'amqp', 'beat', 'call', 'control', 'events', 'graph', 'inspect', 'list', 'logtool', 'migrate', 'multi',
  'purge', 'report', 'result', 'shell', 'status', 'upgrade', 'worker', 'flower',
];

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'FATAL'] as const;

/** -P/--pool choices in 5.2.6 (case-sensitive). 'custom' is accepted from 5.3.0. */
export const POOL_CHOICES = ['prefork', 'eventlet', 'gevent', 'solo', 'processes', 'threads'] as const;
export const POOL_CHOICES_SINCE: Readonly<Record<string, string>> = lookupTable({ custom: '5.3.0' });

export type PoolKind = 'processes' | 'threads' | 'greenlets' | 'inline' | 'custom';

export interface PoolInfo {
  kind: PoolKind;
  /** What -c/--concurrency counts. */
  concurrencyMeans: string;
  /** --max-tasks-per-child / --max-memory-per-child recycle children. */
  childRecycling: boolean;
  /** Options that have no effect in this pool. */
  ineffective: readonly string[];
  since?: string;
}

export const POOLS: Readonly<Record<string, PoolInfo>> = lookupTable({
  prefork: { kind: 'processes', concurrencyMeans: 'number of child processes', childRecycling: true, ineffective: [] },
  processes: { kind: 'processes', concurrencyMeans: 'number of child processes', childRecycling: true, ineffective: [] },
  threads: {
    kind: 'threads',
    concurrencyMeans: 'number of threads in one process',
    childRecycling: false,
    ineffective: ['--max-tasks-per-child', '--max-memory-per-child', '--time-limit', '--soft-time-limit', '--autoscale', '-O'],
  },
  gevent: {
    kind: 'greenlets',
    concurrencyMeans: 'number of greenlets in one process',
    childRecycling: false,
    ineffective: ['--max-tasks-per-child', '--max-memory-per-child', '--soft-time-limit', '-O'],
  },
  eventlet: {
    kind: 'greenlets',
    concurrencyMeans: 'number of greenlets in one process',
    childRecycling: false,
    ineffective: ['--max-tasks-per-child', '--max-memory-per-child', '--soft-time-limit', '--time-limit', '-O'],
  },
  solo: {
    kind: 'inline',
    concurrencyMeans: 'ignored (limit fixed at 1)',
    childRecycling: false,
    ineffective: ['--max-tasks-per-child', '--max-memory-per-child', '--time-limit', '--soft-time-limit', '--autoscale', '-O'],
  },
  custom: { kind: 'custom', concurrencyMeans: 'pool specific', childRecycling: false, ineffective: [], since: '5.3.0' },
});

export const THREAD_OR_GREENLET_POOLS = ['threads', 'gevent', 'eventlet'] as const;
export const SINGLE_PROCESS_POOLS = ['threads', 'gevent', 'eventlet', 'solo'] as const;
export const CHILD_RECYCLING_POOLS = ['prefork', 'processes'] as const;

const DAEMON_OPTIONS: readonly CeleryOptionSpec[] = [
  { name: '--logfile', short: '-f', isFlag: false, type: 'path' },
  { name: '--pidfile', isFlag: false, type: 'path' },
  { name: '--uid', isFlag: false, type: 'string' },
  { name: '--gid', isFlag: false, type: 'string' },
  { name: '--umask', isFlag: false, type: 'string' },
  { name: '--executable', isFlag: false, type: 'string' },
];

const HELP: CeleryOptionSpec = { name: '--help', isFlag: true, type: 'flag' };

export const GLOBAL_OPTIONS: readonly CeleryOptionSpec[] = [
  { name: '--app', short: '-A', isFlag: false, type: 'app' },
  { name: '--broker', short: '-b', isFlag: false, type: 'url' },
  { name: '--result-backend', isFlag: false, type: 'url' },
  { name: '--loader', isFlag: false, type: 'string' },
  { name: '--config', isFlag: false, type: 'string' },
  { name: '--workdir', isFlag: false, type: 'path' },
  { name: '--no-color', short: '-C', isFlag: true, type: 'flag' },
  { name: '--quiet', short: '-q', isFlag: true, type: 'flag' },
  { name: '--version', isFlag: true, type: 'flag' },
  { name: '--skip-checks', isFlag: true, type: 'flag', since: '5.3.0' },
  HELP,
];

export const WORKER_OPTIONS: readonly CeleryOptionSpec[] = [
  { name: '--hostname', short: '-n', isFlag: false, type: 'string' },
  { name: '--detach', short: '-D', isFlag: true, type: 'flag' },
  { name: '--statedb', short: '-S', isFlag: false, type: 'path', setting: 'worker_state_db' },
  { name: '--loglevel', short: '-l', isFlag: false, type: 'choice', choices: LOG_LEVELS, caseInsensitiveChoices: true },
  {
    name: '-O',
    short: '-O',
    aliases: ['--optimization'],
    aliasSince: { '--optimization': '5.3.1' },
    isFlag: false,
    type: 'choice',
    choices: ['default', 'fair'],
  },
  { name: '--prefetch-multiplier', isFlag: false, type: 'integer', setting: 'worker_prefetch_multiplier' },
  { name: '--disable-prefetch', isFlag: true, type: 'flag', since: '5.6.0' },
  { name: '--concurrency', short: '-c', isFlag: false, type: 'integer', setting: 'worker_concurrency' },
  { name: '--pool', short: '-P', isFlag: false, type: 'choice', choices: POOL_CHOICES, setting: 'worker_pool' },
  { name: '--task-events', short: '-E', aliases: ['--events'], isFlag: true, type: 'flag', setting: 'worker_send_task_events' },
  { name: '--time-limit', isFlag: false, type: 'float', unit: 'seconds', setting: 'task_time_limit' },
  { name: '--soft-time-limit', isFlag: false, type: 'float', unit: 'seconds', setting: 'task_soft_time_limit' },
  { name: '--max-tasks-per-child', isFlag: false, type: 'integer', setting: 'worker_max_tasks_per_child' },
  { name: '--max-memory-per-child', isFlag: false, type: 'integer', unit: 'KiB', setting: 'worker_max_memory_per_child' },
  { name: '--purge', aliases: ['--discard'], isFlag: true, type: 'flag' },
  { name: '--queues', short: '-Q', isFlag: false, type: 'list' },
  { name: '--exclude-queues', short: '-X', isFlag: false, type: 'list' },
  { name: '--include', short: '-I', isFlag: false, type: 'list' },
  { name: '--without-gossip', isFlag: true, type: 'flag' },
  { name: '--without-mingle', isFlag: true, type: 'flag' },
  { name: '--without-heartbeat', isFlag: true, type: 'flag' },
  { name: '--heartbeat-interval', isFlag: false, type: 'integer', unit: 'seconds' },
  { name: '--autoscale', isFlag: false, type: 'autoscale' },
  { name: '--beat', short: '-B', isFlag: true, type: 'flag' },
  { name: '--schedule-filename', short: '-s', aliases: ['--schedule'], isFlag: false, type: 'path', setting: 'beat_schedule_filename' },
  { name: '--scheduler', isFlag: false, type: 'string', setting: 'beat_scheduler' },
  ...DAEMON_OPTIONS,
  HELP,
];

export const BEAT_OPTIONS: readonly CeleryOptionSpec[] = [
  { name: '--detach', isFlag: true, type: 'flag' },
  { name: '--schedule', short: '-s', isFlag: false, type: 'path', setting: 'beat_schedule_filename' },
  { name: '--scheduler', short: '-S', isFlag: false, type: 'string', setting: 'beat_scheduler' },
  { name: '--max-interval', isFlag: false, type: 'integer', unit: 'seconds', setting: 'beat_max_loop_interval' },
  { name: '--loglevel', short: '-l', isFlag: false, type: 'choice', choices: LOG_LEVELS, caseInsensitiveChoices: true },
  ...DAEMON_OPTIONS,
  HELP,
];

/** Celery 4.x worker spellings that 5.x rejects with 'No such option'. */
export const REMOVED_WORKER_OPTIONS: readonly RemovedCeleryOption[] = [
  { spelling: '--maxtasksperchild', replacement: '--max-tasks-per-child', isFlag: false, removedIn: '5.0' },
  { spelling: '--maxmemperchild', replacement: '--max-memory-per-child', isFlag: false, removedIn: '5.0' },
  { spelling: '--autoreload', isFlag: true, removedIn: '4.0' },
  { spelling: '--no-execv', isFlag: true, removedIn: '4.0' },
  { spelling: '--force-execv', isFlag: true, removedIn: '4.0' },
];

/** Removed executables and what replaced them. */
export const LEGACY_EXECUTABLES: Readonly<Record<'celeryd' | 'celerybeat' | 'celeryd-multi', string>> = {
  celeryd: 'celery worker',
  celerybeat: 'celery beat',
  'celeryd-multi': 'celery multi',
};

/** Lookup tables for one option set. */
export interface OptionTable {
  /** Long spellings (canonical names and aliases) -> spec. */
  long: ReadonlyMap<string, CeleryOptionSpec>;
  /** Single-character spellings ('-l') -> spec. */
  short: ReadonlyMap<string, CeleryOptionSpec>;
  all: readonly CeleryOptionSpec[];
}

export function buildTable(specs: readonly CeleryOptionSpec[]): OptionTable {
  const long = new Map<string, CeleryOptionSpec>();
  const short = new Map<string, CeleryOptionSpec>();
  for (const s of specs) {
    if (s.name.startsWith('--')) long.set(s.name, s);
    if (s.short) short.set(s.short, s);
    for (const a of s.aliases ?? []) long.set(a, s);
  }
  return { long, short, all: specs };
}

export const GLOBAL_TABLE = buildTable(GLOBAL_OPTIONS);
export const WORKER_TABLE = buildTable(WORKER_OPTIONS);
export const BEAT_TABLE = buildTable(BEAT_OPTIONS);

/** Canonical name for any spelling in a table ('-l' -> '--loglevel', '--events' -> '--task-events'), or undefined. */
export function canonicalName(table: OptionTable, spelling: string): string | undefined {
  return (table.long.get(spelling) ?? table.short.get(spelling))?.name;
}
