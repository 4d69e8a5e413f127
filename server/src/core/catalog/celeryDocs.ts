/**
 * Hover documentation for the Celery worker options and pools that matter under supervisor: one typed
 * record per option or pool, written from /work/shared/reference/celery-worker-options.json (celery
 * 5.2.6, `celery worker --help`) and the Alliance Auth Celery tuning guide
 * (/work/shared/reference/celery-tuning-guide.md, tuning-advice.md). Pure data, no logic: the hover
 * (features/commandHover.ts) adds what it computes from the file.
 */

/** Where a piece of advice comes from, cited by name in hovers and docs. */
export const SOURCES = {
  guide: 'Alliance Auth Celery tuning guide',
  celeryHelp: 'celery worker --help (Celery 5.2)',
  celeryDocs: 'Celery documentation',
  supervisorDocs: 'supervisor documentation',
  aaTemplate: 'Alliance Auth project template',
  memmonDocs: 'superlance memmon docs',
  memmonSource: 'superlance memmon.py source',
} as const;

export interface Advice {
  /** The recommendation, with its numbers. */
  text: string;
  /** Where it comes from (a name from SOURCES, optionally with the section). */
  source: string;
  /** The pools it is about; absent = every pool. A hover over a worker's option shows only what fits its pool. */
  pools?: readonly string[];
}

export interface CeleryOptionDoc {
  /** Canonical name as in command/celeryOptions.ts: the long name, or '-O'. */
  name: string;
  /** The one-letter spelling, if any ('-l'). */
  short?: string;
  /** Placeholder for the value, e.g. 'LEVEL'; absent for flags. */
  metavar?: string;
  /** Where the option goes: before the sub-command (global) or after `worker`. */
  scope: 'global' | 'worker';
  /** What it does, in one or two sentences. */
  what: string;
  /** Unit of the value, when it has one. */
  unit?: string;
  /** What Celery uses when the option is absent. */
  default: string;
  /** Pools where the option has an effect; absent = every pool. */
  pools?: readonly string[];
  /** The tuning guide's (or another cited source's) advice, with numbers. */
  advice: readonly Advice[];
  /** Rule codes that check this option. */
  rules: readonly string[];
  /** What differs for `celery beat`, which takes some of the worker's options (`short: undefined`: beat has no short spelling). */
  beat?: Pick<CeleryOptionDoc, 'short' | 'what' | 'default' | 'advice' | 'rules'>;
}

export interface CeleryPoolDoc {
  name: string;
  /** Processes, threads, greenlets ... */
  kind: string;
  what: string;
  /** What -c/--concurrency counts in this pool. */
  concurrencyMeans: string;
  /** --max-memory-per-child / --max-tasks-per-child work (child processes are recycled). */
  perChildLimits: boolean;
  /** Something to install or know before using it. */
  requires?: string;
  /** First Celery version that accepts it, when later than 5.2. */
  since?: string;
  advice: readonly Advice[];
  rules: readonly string[];
}

export const CELERY_OPTION_DOCS: readonly CeleryOptionDoc[] = [
  {
    name: '--loglevel',
    short: '-l',
    metavar: 'LEVEL',
    scope: 'worker',
    what: 'The lowest level of log messages the worker writes. One of DEBUG, INFO, WARNING, ERROR, CRITICAL, FATAL; case does not matter (`info` works), but `WARN` is rejected.',
    default: 'WARNING: tasks being received and finishing (INFO messages) are not logged',
    advice: [{ text: 'Add `-l info` to the worker command so you can see what tasks are doing, not only warnings and errors.', source: `${SOURCES.guide}, "Task Logging"` }],
    rules: ['celery-loglevel-missing', 'celery-invalid-option-value'],
    beat: {
      what: 'The lowest level of log messages beat writes. One of DEBUG, INFO, WARNING, ERROR, CRITICAL, FATAL; case does not matter (`info` works), but `WARN` is rejected.',
      default: 'WARNING: the "Scheduler: Sending due task" lines (INFO messages) are not logged',
      advice: [{ text: 'With `-l info` beat logs each periodic task it sends, so you can tell a task that was never sent from one a worker did not run.', source: SOURCES.celeryDocs }],
      rules: ['celery-invalid-option-value'],
    },
  },
  {
    name: '--max-memory-per-child',
    metavar: 'KIB',
    scope: 'worker',
    what: 'Memory limit for each pool child process. When a child has finished a task and its resident memory is above the limit, Celery replaces it with a fresh process; the task that went over still completes.',
    unit: 'KiB (kibibytes): 262144 = 256 MB. No suffixes: `256MB` is refused as "not a valid integer"',
    default: 'no limit (worker_max_memory_per_child)',
    pools: ['prefork', 'processes'],
    advice: [
      { text: '`--max-memory-per-child 262144` (256 MB) is the example; adjust it to your server.', source: `${SOURCES.guide}, "Protection against memory leaks"` },
      { text: 'Do not go below 128 MB (131072 KiB): a freshly started worker already uses about 80 MB.', source: SOURCES.guide },
      { text: 'The limit applies to each pool process, and there is usually more than one: the total is roughly the limit times the concurrency.', source: SOURCES.guide },
      { text: 'It works only when the worker runs processes (prefork, the default), not with threads; use memmon there.', source: SOURCES.guide },
    ],
    rules: ['celery-memory-limit-missing', 'celery-memory-limit-too-low', 'celery-memory-limit-ignored', 'celery-invalid-option-value', 'celery-removed-option'],
  },
  {
    name: '--max-tasks-per-child',
    metavar: 'N',
    scope: 'worker',
    what: 'Replace a pool child process after it has run this many tasks, which also bounds how far a leak can grow.',
    unit: 'tasks',
    default: 'no limit (worker_max_tasks_per_child)',
    pools: ['prefork', 'processes'],
    advice: [
      { text: 'An alternative leak protection if the number is low enough, but less precise than `--max-memory-per-child`.', source: `${SOURCES.guide}, "Protection against memory leaks"` },
      { text: 'Other pools silently ignore it.', source: SOURCES.celeryDocs },
    ],
    rules: ['celery-memory-limit-missing', 'celery-memory-limit-ignored', 'celery-removed-option'],
  },
  {
    name: '--concurrency',
    short: '-c',
    metavar: 'N',
    scope: 'worker',
    what: 'Size of the pool: child processes for prefork, threads for threads, greenlets for gevent and eventlet. solo ignores it (always 1) and `--autoscale` replaces it.',
    unit: 'pool processes, threads or greenlets, depending on the pool',
    default: 'the number of CPU cores (worker_concurrency)',
    advice: [
      { text: 'With processes, the recommended number is one per CPU core, which is the default. Each process costs CPU and memory, and going beyond the core count can slow down everything else on the server.', source: `${SOURCES.guide}, "Concurrency"`, pools: ['prefork', 'processes'] },
      { text: 'With gevent, `--pool=gevent --concurrency=10` is a conservative start for I/O-bound tasks; experiment to find your optimum.', source: `${SOURCES.guide}, "Setting up for threads"`, pools: ['gevent'] },
    ],
    rules: ['celery-concurrency-above-cores', 'celery-io-pool-concurrency-missing', 'celery-option-ignored-by-pool'],
  },
  {
    name: '--pool',
    short: '-P',
    metavar: 'POOL',
    scope: 'worker',
    what: 'The pool implementation that runs tasks: prefork (alias processes), threads, gevent, eventlet or solo. The name is case-sensitive (`Gevent` is refused); `custom` exists from Celery 5.3.',
    default: 'prefork',
    advice: [
      { text: 'Processes suit CPU-bound tasks, threads suit I/O-bound ones. Alliance Auth tasks are mostly I/O (ESI requests, database updates), so the guide suggests `--pool=gevent --concurrency=10` after `pip install gevent`.', source: `${SOURCES.guide}, "Processes vs. Threads"` },
      { text: 'With threads `--max-memory-per-child` no longer works: let supervisor (superlance memmon) restart the worker instead.', source: SOURCES.guide },
      { text: 'Choose gevent and eventlet with -P, not with the worker_pool setting.', source: SOURCES.celeryDocs },
    ],
    rules: ['celery-memory-limit-ignored', 'celery-threads-without-leak-protection', 'celery-io-pool-concurrency-missing', 'celery-invalid-option-value'],
  },
  {
    name: '--hostname',
    short: '-n',
    metavar: 'NAME',
    scope: 'worker',
    what: 'The node name of this worker. Placeholders: %h (host with domain), %n (host without domain), %d (domain). A name without `@` is taken as the host part: `-n worker1` names the node `celery@worker1`.',
    default: 'celery@<hostname>',
    advice: [
      { text: 'In supervisor\'s command= double every Celery placeholder percent sign: `%%h`.', source: SOURCES.celeryDocs },
      { text: 'Give each worker process its own name; with numprocs > 1 use the process number, as in `-n %(program_name)s_%(process_num)02d`.', source: SOURCES.aaTemplate },
    ],
    rules: ['celery-duplicate-node-name'],
  },
  {
    name: '--app',
    short: '-A',
    metavar: 'APP',
    scope: 'global',
    what: 'The Celery application to load (module, module.attr or module:attr), imported relative to the working directory (set supervisor\'s directory=).',
    default: 'none (the APP or CELERY_APP environment variable)',
    advice: [
      { text: 'Celery 5 takes it before the sub-command: `celery -A myauth worker`. `celery worker -A myauth` fails with "No such option: -A".', source: SOURCES.celeryHelp },
    ],
    rules: ['celery-4-syntax'],
  },
  {
    name: '--beat',
    short: '-B',
    scope: 'worker',
    what: 'Also runs the beat scheduler (periodic tasks) inside this worker.',
    default: 'off',
    advice: [
      { text: 'Only one scheduler may run: with numprocs > 1, or next to a separate beat program, periodic tasks are sent more than once. Celery does not recommend it in production.', source: SOURCES.celeryDocs },
    ],
    rules: [],
  },
  {
    name: '--detach',
    short: '-D',
    scope: 'worker',
    what: 'Forks the worker into the background as a daemon.',
    default: 'off',
    advice: [
      { text: 'Do not use it under supervisor: supervisor needs the program to stay in the foreground, otherwise it sees the program exit and starts it again.', source: SOURCES.supervisorDocs },
    ],
    rules: ['celery-daemonizes'],
    beat: {
      short: undefined,
      what: 'Forks beat into the background as a daemon.',
      default: 'off',
      advice: [
        { text: 'Do not use it under supervisor: supervisor needs the program to stay in the foreground, otherwise it sees the program exit and starts it again.', source: SOURCES.supervisorDocs },
      ],
      rules: ['celery-daemonizes'],
    },
  },
  {
    name: '-O',
    metavar: 'PROFILE',
    scope: 'worker',
    what: 'Scheduling profile of the prefork pool: `fair` gives a task only to a child that is free, `default` hands tasks to children as soon as possible. The long form `--optimization` exists from Celery 5.3.1.',
    default: 'default',
    pools: ['prefork', 'processes'],
    advice: [],
    rules: ['celery-option-ignored-by-pool'],
  },
  {
    name: '--autoscale',
    metavar: 'MAX,MIN',
    scope: 'worker',
    what: 'Grows and shrinks the pool between MIN and MAX with the load (a single number N means N,0). Replaces `--concurrency`.',
    unit: 'pool processes (greenlets with gevent and eventlet)',
    default: 'off (fixed pool size)',
    // The workers guide names prefork and gevent, but eventlet's pool has grow/shrink too (celery/concurrency/eventlet.py).
    pools: ['prefork', 'processes', 'gevent', 'eventlet'],
    advice: [],
    rules: ['celery-option-ignored-by-pool'],
  },
  {
    name: '--time-limit',
    metavar: 'SECONDS',
    scope: 'worker',
    what: 'Hard time limit per task: the process running a task that takes longer is killed and replaced.',
    unit: 'seconds (a decimal number is allowed)',
    default: 'none (task_time_limit)',
    pools: ['prefork', 'processes', 'gevent'],
    advice: [
      { text: 'supervisor waits only stopwaitsecs (default 10 s) for a warm shutdown before SIGKILL; Celery\'s sample config uses stopwaitsecs=600. Keep it above your longest task.', source: 'celery extra/supervisord/celeryd.conf' },
    ],
    rules: ['celery-option-ignored-by-pool', 'celery-stopwaitsecs-short'],
  },
  {
    name: '--soft-time-limit',
    metavar: 'SECONDS',
    scope: 'worker',
    what: 'Soft time limit per task: raises SoftTimeLimitExceeded inside the task so it can clean up before the hard limit.',
    unit: 'seconds (a decimal number is allowed)',
    default: 'none (task_soft_time_limit)',
    pools: ['prefork', 'processes'],
    advice: [],
    rules: ['celery-option-ignored-by-pool'],
  },
  {
    name: '--prefetch-multiplier',
    metavar: 'N',
    scope: 'worker',
    what: 'How many messages each pool slot may reserve in advance; the worker reserves this times the concurrency. 1 reserves as little as possible. On the command line 0 does not mean no limit: Celery then uses the worker_prefetch_multiplier setting (4 unless set), whose own 0 is the one that means no limit.',
    unit: 'messages per pool slot',
    default: '4 (worker_prefetch_multiplier)',
    advice: [],
    rules: [],
  },
  {
    name: '--queues',
    short: '-Q',
    metavar: 'QUEUES',
    scope: 'worker',
    what: 'Comma-separated list of the queues this worker consumes from.',
    default: 'every queue in task_queues (the default queue is `celery`)',
    advice: [],
    rules: [],
  },
];

export const CELERY_POOL_DOCS: readonly CeleryPoolDoc[] = [
  {
    name: 'prefork',
    kind: 'processes',
    what: 'The default pool: a main process with child processes (billiard multiprocessing) that run the tasks.',
    concurrencyMeans: 'child processes',
    perChildLimits: true,
    advice: [
      { text: 'Recommended concurrency: one process per CPU core, which is the default.', source: `${SOURCES.guide}, "Concurrency"` },
      { text: 'Protect against leaks with `--max-memory-per-child 262144` (256 MB per child, not below 128 MB).', source: `${SOURCES.guide}, "Protection against memory leaks"` },
      { text: 'The memory is in the children: memmon must use -c (--cumulative) to count it.', source: SOURCES.memmonDocs },
    ],
    rules: ['celery-memory-limit-missing', 'celery-memory-limit-too-low', 'memmon-children-not-counted'],
  },
  {
    name: 'processes',
    kind: 'processes',
    what: 'Another name for prefork, kept for compatibility.',
    concurrencyMeans: 'child processes',
    perChildLimits: true,
    advice: [{ text: 'Same advice as prefork: one process per core, `--max-memory-per-child 262144`.', source: SOURCES.guide }],
    rules: ['celery-memory-limit-missing', 'celery-memory-limit-too-low', 'memmon-children-not-counted'],
  },
  {
    name: 'threads',
    kind: 'threads',
    what: 'Runs tasks in threads of a single process (a thread pool executor).',
    concurrencyMeans: 'threads in one process',
    perChildLimits: false,
    advice: [
      { text: 'Good for I/O-bound tasks such as Alliance Auth\'s; `--max-memory-per-child` no longer works, so add memmon.', source: `${SOURCES.guide}, "Processes vs. Threads"` },
      { text: 'The Alliance Auth v4 template runs `--pool=threads --concurrency=5` and watches the worker with memmon.', source: SOURCES.aaTemplate },
    ],
    rules: ['celery-memory-limit-ignored', 'celery-threads-without-leak-protection', 'celery-io-pool-concurrency-missing'],
  },
  {
    name: 'gevent',
    kind: 'greenlets',
    what: 'Runs tasks in gevent greenlets inside one process.',
    concurrencyMeans: 'greenlets in one process',
    perChildLimits: false,
    requires: '`pip install gevent` in the worker\'s virtualenv',
    advice: [
      { text: 'The guide\'s choice for I/O-bound tasks: `--pool=gevent --concurrency=10`, a conservative number that works on small systems.', source: `${SOURCES.guide}, "Setting up for threads"` },
      { text: '`--max-memory-per-child` does not work here: use memmon, e.g. `memmon -p worker=512MB` with events=TICK_60.', source: `${SOURCES.guide}, "Protection against memory leaks"` },
    ],
    rules: ['celery-memory-limit-ignored', 'celery-threads-without-leak-protection', 'celery-io-pool-concurrency-missing'],
  },
  {
    name: 'eventlet',
    kind: 'greenlets',
    what: 'Runs tasks in eventlet green threads inside one process.',
    concurrencyMeans: 'green threads in one process',
    perChildLimits: false,
    requires: '`pip install eventlet` in the worker\'s virtualenv',
    advice: [
      { text: 'The guide prefers gevent and suggests eventlet if gevent gives trouble. Per-child limits do not work: use memmon.', source: `${SOURCES.guide}, "Setting up for threads"` },
    ],
    rules: ['celery-memory-limit-ignored', 'celery-threads-without-leak-protection', 'celery-io-pool-concurrency-missing'],
  },
  {
    name: 'solo',
    kind: 'inline',
    what: 'Runs one task at a time in the main thread; a running task also blocks remote-control commands.',
    concurrencyMeans: 'nothing (always 1)',
    perChildLimits: false,
    advice: [{ text: 'No per-child limits and no time limits: restart a leaking solo worker with memmon.', source: SOURCES.celeryDocs }],
    rules: ['celery-memory-limit-ignored', 'celery-option-ignored-by-pool'],
  },
  {
    name: 'custom',
    kind: 'user supplied',
    what: 'Loads the pool class named by the CELERY_CUSTOM_WORKER_POOL environment variable (`package:Class`).',
    concurrencyMeans: 'whatever the pool does with it',
    perChildLimits: false,
    since: '5.3.0',
    advice: [{ text: 'Celery 5.2 refuses `custom` as a pool name.', source: SOURCES.celeryHelp }],
    rules: ['celery-invalid-option-value'],
  },
];

/** A Celery sub-command the engine tells apart (command/celery.ts's CelerySubcommand, less `other`). */
export interface CelerySubcommandDoc {
  name: 'worker' | 'beat' | 'multi' | 'flower';
  /** What it starts, in one or two sentences. */
  what: string;
  /** What matters when supervisor runs it. */
  advice: readonly Advice[];
  /** Rule codes that check programs running it. */
  rules: readonly string[];
  /** The documentation page to read on. */
  docsUrl: string;
}

export const CELERY_SUBCOMMAND_DOCS: readonly CelerySubcommandDoc[] = [
  {
    name: 'worker',
    what: 'Starts a worker: it takes tasks from the broker\'s queues and runs them in its pool (prefork child processes by default, as many as the server has CPU cores unless `-c` or the worker_concurrency setting says otherwise).',
    advice: [
      { text: 'Keep it in the foreground (no `--detach`) and let `numprocs` start more copies: supervisor restarts a program that exits.', source: SOURCES.supervisorDocs },
      { text: 'With numprocs > 1, give each process its own node name: `-n %(program_name)s_%(process_num)02d@%%h`.', source: `${SOURCES.celeryDocs}, workers guide; ${SOURCES.aaTemplate}` },
      { text: '`stopwaitsecs=600`, so that running tasks can finish at a warm shutdown before supervisor kills the worker.', source: `celery extra/supervisord/celeryd.conf; ${SOURCES.aaTemplate}` },
      { text: 'Add `-l info` to see what tasks are doing, and `--max-memory-per-child 262144` (256 MB, the unit is KiB) against memory leaks.', source: `${SOURCES.guide}, "Task Logging", "Protection against memory leaks"` },
    ],
    rules: ['celery-daemonizes', 'celery-duplicate-node-name', 'celery-stopwaitsecs-short', 'celery-loglevel-missing', 'celery-memory-limit-missing'],
    docsUrl: 'https://docs.celeryq.dev/en/stable/userguide/workers.html',
  },
  {
    name: 'beat',
    what: 'Starts the beat scheduler: it sends each periodic task to the broker when it is due, for the workers to run. It runs no task itself.',
    advice: [
      { text: 'Run exactly one: a single `[program:beat]` with `numprocs=1`, and no `-B` on the workers. Each further scheduler sends every periodic task once more.', source: `${SOURCES.celeryDocs}, periodic tasks guide` },
      { text: 'It keeps its schedule state in `celerybeat-schedule` in the working directory unless `-s` names another file: the program\'s user must be able to write there.', source: 'celery beat --help (Celery 5.2)' },
    ],
    rules: ['celery-beat-duplicate', 'celery-daemonizes'],
    docsUrl: 'https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html',
  },
  {
    name: 'multi',
    what: 'Starts several workers in the background (`celery multi start 3 ...`) and exits: a tool for init scripts, not for supervisor.',
    advice: [
      { text: 'Under supervisor, run one `celery ... worker` per program and use `numprocs` for more copies: supervisor takes `multi`\'s exit for the program\'s end (what follows depends on startsecs and autorestart: FATAL, EXITED, or started again), while the workers it detached run unsupervised.', source: SOURCES.supervisorDocs },
    ],
    rules: ['celery-daemonizes'],
    docsUrl: 'https://docs.celeryq.dev/en/stable/reference/celery.bin.multi.html',
  },
  {
    name: 'flower',
    what: 'Starts Flower, a web tool to monitor and administer the workers and their tasks (the separate `flower` package; port 5555 unless `--port` says otherwise).',
    advice: [{ text: 'Celery\'s options go before the sub-command and Flower\'s own after it, as Flower\'s documentation writes it: `celery -A proj flower --port=5555`.', source: 'Flower documentation' }],
    rules: [],
    docsUrl: 'https://flower.readthedocs.io/en/latest/',
  },
];

const OPTION_BY_NAME: ReadonlyMap<string, CeleryOptionDoc> = new Map(CELERY_OPTION_DOCS.map((d) => [d.name, d]));
const POOL_BY_NAME: ReadonlyMap<string, CeleryPoolDoc> = new Map(CELERY_POOL_DOCS.map((d) => [d.name, d]));

/** The record for a canonical option name ('--loglevel', '-O'), as `celery beat` reads it where it differs, or undefined. */
export function celeryOptionDoc(name: string, subcommand: 'worker' | 'beat' = 'worker'): CeleryOptionDoc | undefined {
  const d = OPTION_BY_NAME.get(name);
  return d?.beat && subcommand === 'beat' ? { ...d, ...d.beat } : d;
}

const SUBCOMMAND_BY_NAME: ReadonlyMap<string, CelerySubcommandDoc> = new Map(CELERY_SUBCOMMAND_DOCS.map((d) => [d.name, d]));

/** The record for a sub-command ('worker', 'beat', 'multi', 'flower'), or undefined. */
export function celerySubcommandDoc(name: string): CelerySubcommandDoc | undefined {
  return SUBCOMMAND_BY_NAME.get(name);
}

/** The record for a pool name as written (case-sensitive, as Celery is), or undefined. */
export function celeryPoolDoc(name: string): CeleryPoolDoc | undefined {
  return POOL_BY_NAME.get(name);
}
