import { watchersOf, type Deployment, type Watch } from '../../deployment';
import { poolNamedBy, isProcessPool, isThreadOrGreenletPool, type CeleryOption } from '../../command/celery';
import { SINGLE_PROCESS_POOLS } from '../../command/celeryOptions';
import { selection } from '../selection';
import { pyInt } from '../../catalog/datatypes';
import { celeryEnvironmentValue } from './commandLine';

export type CeleryProgram = Deployment['celeryPrograms'][number];

const workersOf = new WeakMap<Deployment, CeleryProgram[]>();

const isWorker = (p: CeleryProgram): boolean => p.celery.subcommand === 'worker';

/** The programs that run `celery worker` (not beat, flower or other sub-commands); computed once per analysis. */
export function celeryWorkers(deployment: Deployment): CeleryProgram[] {
  let workers = workersOf.get(deployment);
  if (!workers) workersOf.set(deployment, (workers = selection(deployment.celeryPrograms, isWorker)));
  return workers;
}

export function kib(n: number): string {
  return n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} MB` : `${n} KiB`;
}

/** Flags of WorkerFacts.flags. */
export const PROCESS_POOL = 1;
export const THREAD_POOL = 2;
export const SINGLE_PROCESS_POOL = 4;
export const HAS_LOGLEVEL = 8;
export const HAS_MAX_MEMORY = 16;
export const WATCHED = 32;
/**
 * A backslash at the end of a line runs into the next word ('\n-l'), so the options after it are read
 * as stray words (celery-stray-argument): rules that find an option missing say nothing, as it may be there.
 */
export const BACKSLASH_CONTINUED = 64;
/** No -P/--pool: the pool comes from CELERY_WORKER_POOL, which click reads for an option not given. */
export const POOL_FROM_ENVIRONMENT = 128;

/** The variable through which Celery's click takes the worker's pool when -P/--pool is not given. */
export const POOL_VARIABLE = 'CELERY_WORKER_POOL';

/**
 * What many worker rules ask first about every worker (its pool, -l, --max-memory-per-child, whether
 * memmon watches it), read once per analysis into arrays parallel to celeryWorkers(): a rule skips the
 * workers it cannot apply to without touching them again.
 */
export interface WorkerFacts {
  workers: CeleryProgram[];
  /** The pool of each worker: poolOf(), or CELERY_WORKER_POOL's value where no -P/--pool is given (flag POOL_FROM_ENVIRONMENT). */
  pools: string[];
  /** Each worker's -P/--pool and --max-memory-per-child options (undefined when absent): the rules that read them again need not search the command. */
  poolOptions: (CeleryOption | undefined)[];
  maxMemoryOptions: (CeleryOption | undefined)[];
  flags: Uint8Array;
  /** watchersOf() of each worker in a single-process pool, or a prefork one without --max-memory-per-child (else undefined); never changed by callers. */
  watches: (Watch[] | undefined)[];
}

/**
 * `--max-memory-per-child 0` (or less) is no limit: Celery passes the number on, and billiard checks
 * memory only when it is above 0.
 */
export function turnsLimitOff(option: CeleryOption): boolean {
  const n = option.value === undefined ? undefined : pyInt(option.value);
  return n !== undefined && n <= 0;
}

/** The pool one worker runs, CELERY_WORKER_POOL included (workerFacts' pools[], for a caller that looks at one worker). */
export function workerPool(deployment: Deployment, p: CeleryProgram): string {
  const option = p.celery.get('--pool');
  const fromEnvironment = option ? undefined : celeryEnvironmentValue(deployment, p, POOL_VARIABLE);
  return fromEnvironment ?? poolNamedBy(option);
}

const factsOf = new WeakMap<Deployment, WorkerFacts>();
const NO_WATCHES: Watch[] = [];

export function workerFacts(deployment: Deployment): WorkerFacts {
  let facts = factsOf.get(deployment);
  if (facts) return facts;
  const workers = celeryWorkers(deployment);
  const pools: string[] = new Array(workers.length);
  const poolOptions: (CeleryOption | undefined)[] = new Array(workers.length);
  const maxMemoryOptions: (CeleryOption | undefined)[] = new Array(workers.length);
  const flags = new Uint8Array(workers.length);
  const watches: (Watch[] | undefined)[] = new Array(workers.length).fill(undefined);
  for (let i = 0; i < workers.length; i++) {
    const p = workers[i];
    const c = p.celery;
    const poolOption = c.get('--pool');
    const maxMemory = c.get('--max-memory-per-child');
    const poolFromEnvironment = poolOption ? undefined : celeryEnvironmentValue(deployment, p, POOL_VARIABLE);
    const pool = poolFromEnvironment ?? poolNamedBy(poolOption);
    pools[i] = pool;
    poolOptions[i] = poolOption;
    maxMemoryOptions[i] = maxMemory;
    let f = poolFromEnvironment === undefined ? 0 : POOL_FROM_ENVIRONMENT;
    if (isProcessPool(pool)) f |= PROCESS_POOL;
    if (isThreadOrGreenletPool(pool)) f |= THREAD_POOL;
    if ((SINGLE_PROCESS_POOLS as readonly string[]).includes(pool)) f |= SINGLE_PROCESS_POOL;
    if (c.has('--loglevel')) f |= HAS_LOGLEVEL;
    for (let k = 0; k < c.positionals.length; k++) if (c.positionals[k].text.charCodeAt(0) === 0x0a) f |= BACKSLASH_CONTINUED;
    if (maxMemory !== undefined && !turnsLimitOff(maxMemory)) f |= HAS_MAX_MEMORY;
    if (f & SINGLE_PROCESS_POOL || f & THREAD_POOL || (f & PROCESS_POOL && !(f & HAS_MAX_MEMORY))) {
      const w = watchersOf(deployment, p);
      // Unwatched workers share one empty list instead of each keeping its own for the analysis.
      watches[i] = w.length ? w : NO_WATCHES;
      if (w.length) f |= WATCHED;
    }
    flags[i] = f;
  }
  facts = { workers, pools, poolOptions, maxMemoryOptions, flags, watches };
  factsOf.set(deployment, facts);
  return facts;
}
