/**
 * Hovers over the options of a Celery or memmon command line: what the option does, its unit and
 * default, the tuning guide's advice, links to the rules that check it, and numbers computed from this
 * file (a memory limit in MB and its worst case over the pool and numprocs, concurrency against the
 * server's cores, which processes a memmon -p name matches). The text comes from the typed records in
 * catalog/celeryDocs.ts and catalog/memmonDocs.ts.
 */
import { positionToValueOffset, valueSpanToRange, type Entry, type SupervisorDocument } from '../model/document';
import { expandTemplate } from '../model/percent';
import { rangeContains, type Position } from '../model/types';
import { watchersOf, type Deployment, type ProgramView } from '../deployment';
import { fromElsewhere } from '../rules/process/programKeys';
import { DEFAULT_SETTINGS, compareVersions, cpuCountSource, type Settings } from '../settings';
import { celeryOptionDoc, celeryPoolDoc, celerySubcommandDoc, type Advice, type CeleryOptionDoc, type CeleryPoolDoc, type CelerySubcommandDoc } from '../catalog/celeryDocs';
import { memmonOptionDoc } from '../catalog/memmonDocs';
import { isProcessPool, isThreadOrGreenletPool, poolSizeOf, type CeleryCommand, type CeleryOption } from '../command/celery';
import { LOG_LEVELS, POOL_CHOICES } from '../command/celeryOptions';
import { memmonExit, type MemmonCommand, type MemmonLimit, type MemmonOption } from '../command/memmon';
import type { HoverInfo } from './hover';
import { withNodePrefix } from '../rules/celery/commandLine';
import { workerPool, type CeleryProgram } from '../rules/celery/workers';

export interface CommandHoverOptions {
  /** Settings for computed numbers (serverCpuCount); the defaults when absent. */
  settings?: Settings;
  /** Link target of a rule's documentation page; `docs/rules/<code>.md` when absent. */
  ruleDocsUrl?: (code: string) => string;
}

/** The relative path of a rule's documentation page in this repository. */
export function defaultRuleDocsUrl(code: string): string {
  return `docs/rules/${code}.md`;
}

/** KiB below which the tuning guide advises against a per-child limit (128 MB). */
const FLOOR_KIB = 131072;
const MIB = 1024 * 1024;
/** supervisor's default stopwaitsecs. */
const DEFAULT_STOPWAITSECS = 10;

type Program = ProgramView & { command: Entry };

/**
 * The hover for a Celery or memmon option (or a -P pool name) under `position`, or undefined when the
 * position is not on one: elsewhere in the file, on the executable, on a non-Celery command ...
 */
export function commandHover(
  doc: SupervisorDocument,
  deployment: Deployment,
  position: Position,
  options: CommandHoverOptions = {},
): HoverInfo | undefined {
  const ctx: Ctx = {
    doc,
    deployment,
    settings: options.settings ?? DEFAULT_SETTINGS,
    ruleDocsUrl: options.ruleDocsUrl ?? defaultRuleDocsUrl,
  };
  for (const p of deployment.programs) {
    const entry = p.command;
    if (!entry || (!p.celery && !p.memmon)) continue;
    if (!rangeContains(entry.valueRange, position)) continue;
    const offset = positionToValueOffset(entry, position);
    if (offset < 0) continue;
    const program = p as Program;
    if (p.celery) return celeryHover(ctx, program, p.celery, offset);
    if (p.memmon) return memmonHover(ctx, program, p.memmon, offset);
  }
  return undefined;
}

/**
 * The span under the offset: one that contains it, else one that ends right there (an editor reports
 * the caret position nearest to the mouse, which is after the last character of a word).
 */
function spanAt<T extends { start: number; end: number }>(spans: readonly T[], offset: number): T | undefined {
  return spans.find((x) => offset >= x.start && offset < x.end) ?? spans.find((x) => offset === x.end && x.end > x.start);
}

interface Ctx {
  doc: SupervisorDocument;
  deployment: Deployment;
  settings: Settings;
  ruleDocsUrl: (code: string) => string;
}

// ---------------------------------------------------------------------------------------------
// Celery

function celeryHover(ctx: Ctx, p: Program, cmd: CeleryCommand, offset: number): HoverInfo | undefined {
  const sub = cmd.subcommandStart !== undefined && cmd.subcommandEnd !== undefined ? spanAt([{ start: cmd.subcommandStart, end: cmd.subcommandEnd }], offset) : undefined;
  const subDoc = sub && celerySubcommandDoc(cmd.subcommand);
  if (sub && subDoc) return { markdown: subcommandMarkdown(ctx, p, subDoc), range: valueSpanToRange(p.command, sub.start, sub.end) };
  const o = spanAt([...cmd.globalOptions, ...cmd.options, ...cmd.misplacedGlobalOptions], offset);
  if (!o || !(o.known || o.removed)) return undefined;
  const onValue = o.valueStart !== undefined && o.valueEnd !== undefined && offset >= o.valueStart && offset <= o.valueEnd;
  if (o.name === '--pool' && onValue && o.value !== undefined && o.valueStart !== undefined && o.valueEnd !== undefined) {
    return { markdown: poolValueMarkdown(ctx, p, cmd, o.value), range: valueSpanToRange(p.command, o.valueStart, o.valueEnd) };
  }
  const beat = cmd.subcommand === 'beat';
  const d = celeryOptionDoc(o.name, beat ? 'beat' : 'worker');
  if (!d) return undefined;
  const notes = [...writingNotes(ctx, p, cmd, o, d), ...optionNotes(ctx, p, cmd, o)];
  const pool = beat || cmd.unknownArguments?.length ? undefined : poolRun(ctx.deployment, p);
  return { markdown: celeryOptionMarkdown(ctx, d, notes, beat ? 'beat' : 'worker', pool), range: valueSpanToRange(p.command, o.start, o.end) };
}

/** The sub-command word (`worker`, `beat` ...): what it starts, what matters under supervisor, where to read on. */
function subcommandMarkdown(ctx: Ctx, p: Program, d: CelerySubcommandDoc): string {
  // What the file makes of it: numprocs copies of a scheduler send each periodic task that many times.
  const notes = d.name === 'beat' && p.numprocs > 1 ? [`numprocs=${p.numprocs}: ${p.numprocs} schedulers, so every periodic task is sent ${p.numprocs} times.`] : [];
  return compose([
    `**${code(d.name)}**: Celery sub-command`,
    d.what,
    notes.length ? `**Here:**\n${notes.map((n) => `- ${n}`).join('\n')}` : undefined,
    adviceBlock(d.advice),
    rulesLine(ctx, d.rules),
    `[Documentation](${d.docsUrl})`,
  ]);
}

function spellings(d: CeleryOptionDoc): string {
  const names = [d.short, d.name.startsWith('--') ? d.name : undefined, d.name === '-O' ? '-O' : undefined].filter((x): x is string => !!x);
  return names.map(code).join(', ') + (d.metavar ? ` ${d.metavar}` : '');
}

/** `pool`: the worker's pool, when the file shows it; advice about other pools is left out. */
function celeryOptionMarkdown(ctx: Ctx, d: CeleryOptionDoc, notes: string[], subcommand: 'worker' | 'beat', pool?: string): string {
  const facts = [
    d.unit ? `- **Unit:** ${d.unit}` : undefined,
    `- **Default:** ${d.default}`,
    d.pools ? `- **Works with:** ${d.pools.map(code).join(', ')} pools only` : undefined,
  ].filter((x): x is string => !!x);
  return compose([
    `**${spellings(d)}**: Celery ${d.scope === 'global' ? 'global option (before the sub-command)' : `${subcommand} option`}`,
    d.what,
    facts.join('\n'),
    notes.length ? `**Here:**\n${notes.map((n) => `- ${n}`).join('\n')}` : undefined,
    adviceBlock(pool === undefined ? d.advice : d.advice.filter((a) => !a.pools || a.pools.includes(pool))),
    rulesLine(ctx, d.rules),
  ]);
}

/** How the option is written: removed Celery 4 spelling, global option after the sub-command, given twice, no effect in this pool. */
function writingNotes(ctx: Ctx, p: Program, cmd: CeleryCommand, o: CeleryOption, d: CeleryOptionDoc): string[] {
  const notes: string[] = [];
  if (o.removed && o.removedAlias) {
    notes.push(`${code(o.spelling)} is the Celery 4 spelling: Celery 5 stops with "No such option". Write ${code(o.removedAlias)}.`);
  }
  if (o.misplaced) notes.push(`Celery 5 takes ${code(o.spelling)} only before the sub-command (\`celery ${o.spelling} ... ${cmd.subcommandText ?? 'worker'}\`); here it stops with "No such option".`);
  if (o.since) notes.push(`${code(o.spelling)} exists from Celery ${o.since}.`);
  const effective = cmd.get(o.name);
  if (effective && effective !== o) notes.push(`Given again later in this command: Celery uses the last one${effective.value !== undefined ? ` (${code(effective.value)})` : ''}.`);
  if (d.pools && cmd.subcommand === 'worker') {
    const pool = poolRun(ctx.deployment, p);
    if ((POOL_CHOICES as readonly string[]).includes(pool) && !d.pools.includes(pool)) {
      notes.push(`No effect with ${code(`--pool=${pool}`)}: only ${d.pools.map(code).join(', ')} use it.`);
    }
  }
  if (o.invalidEquals) notes.push(`Written ${code(`${o.spelling}=...`)}: click takes the value as ${code(`=${o.value ?? ''}`)}. Write ${code(`${o.spelling} ${o.value ?? ''}`)}.`);
  if (o.missingValue) notes.push('The value is missing: Celery stops with "Option requires an argument".');
  return notes;
}

const isInt = (v: string | undefined): v is string => v !== undefined && /^\d+$/.test(v);

/** Notes computed from the value and the rest of the file. */
function optionNotes(ctx: Ctx, p: Program, cmd: CeleryCommand, o: CeleryOption): string[] {
  const v = o.invalidEquals ? undefined : o.value;
  switch (o.name) {
    case '--loglevel':
      return loglevelNotes(v);
    case '--max-memory-per-child':
      return memoryNotes(ctx, p, cmd, v);
    case '--max-tasks-per-child':
      return isInt(v) ? [`Each pool process is replaced after ${v} task${v === '1' ? '' : 's'}.`] : invalidInteger(v);
    case '--concurrency':
      return concurrencyNotes(ctx, p, cmd, v);
    case '--pool':
      return v === undefined ? [] : [poolSummary(ctx, v)];
    case '--hostname':
      return hostnameNotes(p, v);
    case '--beat':
      return p.numprocs > 1 ? [`numprocs=${p.numprocs}: each process runs its own scheduler, so every periodic task is sent ${p.numprocs} times.`] : [];
    case '--detach':
      return ['supervisor will see the worker exit right after the fork and start it again and again.'];
    case '--autoscale':
      return autoscaleNotes(v);
    case '--time-limit':
    case '--soft-time-limit':
      return timeLimitNotes(p, o.name, v);
    case '--prefetch-multiplier':
      return prefetchNotes(cmd, v);
    case '--queues':
      return v === undefined ? [] : [`Consumes from ${v.split(',').filter(Boolean).map((q) => code(q.trim())).join(', ')}.`];
    default:
      return [];
  }
}

function invalidInteger(v: string | undefined): string[] {
  return v === undefined ? [] : [`${code(v)} is not a whole number: Celery 5 stops with "not a valid integer".`];
}

function loglevelNotes(v: string | undefined): string[] {
  if (v === undefined) return [];
  const upper = v.toUpperCase();
  if ((LOG_LEVELS as readonly string[]).includes(upper)) {
    return upper === 'WARNING' ? ['WARNING is already the default: task activity (INFO) is not logged.'] : [`Logs ${upper} and more severe messages.`];
  }
  if (upper === 'WARN') return ['Celery 5 refuses `WARN` (Celery 4 accepted it): write `WARNING`.'];
  return [`${code(v)} is not a level Celery accepts: ${LOG_LEVELS.join(', ')}.`];
}

function memoryNotes(ctx: Ctx, p: Program, cmd: CeleryCommand, v: string | undefined): string[] {
  if (v === undefined) return [];
  if (!isInt(v)) {
    const suggestion = kibFromSized(v);
    return [`${code(v)} is not a whole number: Celery 5 stops with "not a valid integer". The unit is KiB${suggestion !== undefined ? `: write ${code(String(suggestion))}` : ''}.`];
  }
  const n = Number(v);
  if (n <= 0) return [`${n} turns the limit off: Celery restarts a pool process only above a limit greater than 0.`];
  const notes = [`${n} KiB = ${mb(n)} per pool process.`];
  // As celery-memory-limit-too-low: megabytes still under the floor are raised, not multiplied.
  if (n < 1024 && n * 1024 >= FLOOR_KIB) notes.push(`That is less than 1 MB: for ${n} MB write ${code(String(n * 1024))}. Every pool process would be replaced after each task.`);
  else if (n < 1024) notes.push(`That is less than 1 MB, and even ${n} MB would be below the tuning guide's floor of 128 MB: write at least ${code(String(FLOOR_KIB))}. Every pool process would be replaced after each task.`);
  else if (n < FLOOR_KIB) notes.push(`Below the tuning guide's floor of 128 MB (131072 KiB): a fresh worker already uses about 80 MB.`);
  if (cmd.subcommand === 'worker' && !isProcessPool(poolRun(ctx.deployment, p))) return notes; // the pool note says it does nothing
  const conc = poolSizeOf(cmd);
  const procs = p.numprocs > 1 ? ` x ${p.numprocs} (numprocs)` : '';
  const perProgram = Math.max(1, p.numprocs);
  if (conc) {
    notes.push(`This limit is per pool process. Worst case for [program:${p.name}]: ${n} KiB x ${conc.n} (${code(conc.how)})${procs} = ${mb(n * conc.n * perProgram)}.`);
  } else {
    const cpu = ctx.settings.serverCpuCount;
    notes.push(
      `This limit is per pool process. Worst case for [program:${p.name}]: ${n} KiB x the number of CPU cores (the default concurrency)${procs}` +
        (cpu ? `; with ${cpu} cores (${cpuCountSource(ctx.settings)}) that is ${mb(n * cpu * perProgram)}.` : '.'),
    );
  }
  return notes;
}

/** '256MB' -> 262144, '1GB' -> 1048576, '256M' -> 262144; undefined when it is not a size. */
function kibFromSized(v: string): number | undefined {
  const m = /^(\d+)\s*([kKmMgG])(?:i?[bB])?$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toUpperCase();
  return unit === 'K' ? n : unit === 'M' ? n * 1024 : n * 1024 * 1024;
}

function concurrencyNotes(ctx: Ctx, p: Program, cmd: CeleryCommand, v: string | undefined): string[] {
  if (v === undefined) return [];
  if (!isInt(v)) return invalidInteger(v);
  const n = Number(v);
  const pool = cmd.subcommand === 'worker' ? poolRun(ctx.deployment, p) : 'prefork';
  const notes: string[] = [];
  if (cmd.has('--autoscale')) notes.push('`--autoscale` is also given and replaces this number.');
  if (pool === 'solo') return [...notes, 'The solo pool ignores it: it runs one task at a time.'];
  // Celery's option callback: `value or app.conf.worker_concurrency`.
  if (n === 0) return [...notes, 'Celery reads 0 as "not set": the pool gets the default size, the number of CPU cores.'];
  if (n < 0) return [...notes, 'A pool cannot have a negative size: the worker fails as it starts its pool.'];
  const cpu = ctx.settings.serverCpuCount;
  const total = n * Math.max(1, p.numprocs);
  const perNumprocs = p.numprocs > 1 ? ` (${p.numprocs} processes x ${n} = ${total} in all)` : '';
  if (isProcessPool(pool)) {
    notes.push(`${n} child process${n === 1 ? '' : 'es'} per worker${perNumprocs}.`);
    if (cpu) {
      const cmp =
        total > cpu
          ? `more than the server's ${cpu} cores (${cpuCountSource(ctx.settings)}): the guide recommends one process per core, and more can slow down everything else on the server.`
          : total === cpu
            ? `one per core on the server's ${cpu} cores (${cpuCountSource(ctx.settings)}), as the guide recommends.`
            : `fewer than the server's ${cpu} cores (${cpuCountSource(ctx.settings)}).`;
      notes.push(`${total} process${total === 1 ? '' : 'es'}: ${cmp}`);
    } else {
      notes.push('Set `supervisor.celery.serverCpuCount` to compare this with your server\'s cores (the guide recommends one process per core).');
    }
  } else if (isThreadOrGreenletPool(pool)) {
    const what = pool === 'threads' ? 'threads' : 'greenlets';
    notes.push(`${n} ${what} in one process${perNumprocs}: tasks waiting on I/O do not need a core each. The guide calls 10 a conservative start.`);
    if (cpu) notes.push(`The server has ${cpu} cores (${cpuCountSource(ctx.settings)}); the one-per-core advice is for process pools, not for ${what}.`);
  }
  return notes;
}

/** Processes whose node names a hover lists. */
const SHOWN_NODE_NAMES = 3;

/**
 * The node names the worker's processes get: supervisor expands `%(...)s` in command= first, then
 * Celery its own placeholders (%h, %n, %d); a name without `@` is the host part of `celery@<name>`.
 * Undefined when the value uses a name only the server knows (`%(ENV_X)s`, `%(here)s`).
 */
function nodeNames(p: Program, v: string): string[] | undefined {
  const start = Number(p.get('numprocs_start')?.value.trim() ?? 0);
  if (!Number.isInteger(start) || p.numprocs < 1) return undefined;
  const values = { program_name: p.name, group_name: p.group, process_num: start, numprocs: p.numprocs, host_node_name: '<host>' };
  const names: string[] = [];
  for (let n = start; n < start + Math.min(p.numprocs, SHOWN_NODE_NAMES); n++) {
    values.process_num = n;
    const expanded = expandTemplate(v, values);
    if (expanded === undefined) return undefined;
    const celery = expanded.replace(/%([hnd%])/g, (_, c: string) => (c === 'h' ? '<hostname>' : c === 'n' ? '<host>' : c === 'd' ? '<domain>' : '%'));
    names.push(withNodePrefix(celery));
  }
  return names;
}

function hostnameNotes(p: Program, v: string | undefined): string[] {
  if (v === undefined) return [];
  const notes: string[] = [];
  const names = nodeNames(p, v);
  if (names) {
    const rest = p.numprocs > names.length ? ` … (${p.numprocs} in all)` : '';
    notes.push(`${names.length === 1 ? 'Node name' : 'Node names'}: ${names.map(code).join(', ')}${rest}.`);
  }
  if (p.numprocs > 1 && !v.includes('%(process_num)')) {
    notes.push(`numprocs=${p.numprocs} and the name does not contain %(process_num): every process gets the same node name (Celery warns about duplicate node names).`);
  }
  if (/(^|[^%])%[hnd]/.test(v)) notes.push('A single `%` before h, n or d breaks supervisor\'s own %-expansion: write `%%h`.');
  return notes;
}

function autoscaleNotes(v: string | undefined): string[] {
  if (v === undefined) return [];
  if (!/^\d+(,\d+)?$/.test(v)) return [`${code(v)} is not MAX,MIN or a single number.`];
  const nums = v.split(',').map(Number);
  const max = Math.max(...nums);
  const min = nums.length > 1 ? Math.min(...nums) : 0;
  return [`Between ${min} and ${max} pool processes; size memory limits for ${max}.`];
}

function timeLimitNotes(p: Program, name: string, v: string | undefined): string[] {
  if (v === undefined) return [];
  const secs = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(secs)) return [`${code(v)} is not a number of seconds: Celery 5 stops with "not a valid float".`];
  const notes = [`${secs} s${secs >= 120 ? ` = ${Math.round((secs / 60) * 10) / 10} min` : ''} per task.`];
  if (name === '--time-limit') {
    const waitEntry = p.get('stopwaitsecs');
    const wait = waitEntry?.value.trim();
    const stopwait = wait !== undefined && /^\d+$/.test(wait) ? Number(wait) : DEFAULT_STOPWAITSECS;
    if (stopwait < secs) {
      notes.push(`stopwaitsecs is ${stopwait}${wait === undefined ? ' (supervisor\'s default)' : fromElsewhere(p, waitEntry)}: on stop, supervisor kills the worker before a long task can finish. Celery's sample config uses stopwaitsecs=600.`);
    }
  }
  return notes;
}

function prefetchNotes(cmd: CeleryCommand, v: string | undefined): string[] {
  if (v === undefined) return [];
  if (!isInt(v)) return invalidInteger(v);
  const n = Number(v);
  if (n === 0) return ['0: the worker reserves as many messages as it can get.'];
  const conc = poolSizeOf(cmd);
  return [conc ? `Reserves up to ${n} x ${conc.n} = ${n * conc.n} messages per worker process.` : `Reserves up to ${n} x the concurrency messages per worker process.`];
}

function poolSummary(ctx: Ctx, pool: string): string {
  const d = celeryPoolDoc(pool);
  if (!d) return unknownPool(pool);
  const tooNew = d.since && compareVersions(ctx.settings.celeryVersion, d.since) < 0 ? ` Celery ${ctx.settings.celeryVersion} does not have it (from ${d.since}).` : '';
  return `${code(pool)}: ${d.kind}; -c counts ${d.concurrencyMeans}; per-child limits ${d.perChildLimits ? 'work' : 'have no effect'}.${tooNew}`;
}

function unknownPool(pool: string): string {
  const lower = POOL_CHOICES.find((c) => c === pool.toLowerCase());
  return `${code(pool)} is not a pool Celery 5.2 accepts (${POOL_CHOICES.join(', ')}; case-sensitive)${lower ? `: write ${code(lower)}` : ''}.`;
}

function poolValueMarkdown(ctx: Ctx, p: Program, cmd: CeleryCommand, pool: string): string {
  const d: CeleryPoolDoc | undefined = celeryPoolDoc(pool);
  if (!d) return compose([`**${code(pool)}**: Celery worker pool`, unknownPool(pool), rulesLine(ctx, [])]);
  const facts = [
    `- **Kind:** ${d.kind}`,
    `- **-c/--concurrency counts:** ${d.concurrencyMeans}`,
    `- **--max-memory-per-child / --max-tasks-per-child:** ${d.perChildLimits ? 'work' : 'no effect'}`,
    d.requires ? `- **Needs:** ${d.requires}` : undefined,
    d.since ? `- **Since:** Celery ${d.since}` : undefined,
  ].filter((x): x is string => !!x);
  const notes: string[] = [];
  if (d.since && compareVersions(ctx.settings.celeryVersion, d.since) < 0) notes.push(`Celery ${ctx.settings.celeryVersion} (supervisor.celery.version) refuses it.`);
  const conc = poolSizeOf(cmd);
  if (d.name !== 'solo' && d.name !== 'custom') notes.push(conc ? `${conc.n} ${d.concurrencyMeans} (${code(conc.how)}).` : `-c not given: as many ${d.concurrencyMeans} as the server has CPU cores.`);
  if (!d.perChildLimits) {
    const ignored = ['--max-memory-per-child', '--max-tasks-per-child'].map((n) => cmd.get(n)).filter((x): x is CeleryOption => !!x);
    if (ignored.length) notes.push(`${ignored.map((x) => code(x.spelling)).join(' and ')} in this command ${ignored.length > 1 ? 'do' : 'does'} nothing with this pool.`);
  }
  const watchers = watchersOf(ctx.deployment, p);
  for (const w of watchers) {
    const name = `[eventlistener:${w.listener?.name ?? w.external?.name}]`;
    const exit = memmonExit((w.listener?.memmon ?? w.external?.memmon)!);
    notes.push(exit ? `memmon ${name} names it but exits at start, watching nothing: ${exit.reason}.` : `Watched by memmon ${name}.`);
  }
  if (!watchers.length && !d.perChildLimits && d.name !== 'custom') notes.push('No memmon listener watches it.');
  return compose([
    `**${code(pool)}**: Celery worker pool`,
    d.what,
    facts.join('\n'),
    notes.length ? `**Here:**\n${notes.map((n) => `- ${n}`).join('\n')}` : undefined,
    adviceBlock(d.advice),
    rulesLine(ctx, d.rules),
  ]);
}

// ---------------------------------------------------------------------------------------------
// memmon

function memmonHover(ctx: Ctx, p: Program, m: MemmonCommand, offset: number): HoverInfo | undefined {
  const o = spanAt(m.all, offset);
  if (!o) return undefined;
  const d = memmonOptionDoc(o.option);
  if (!d) return undefined;
  const limit = [...m.programs, ...m.groups, ...(m.any ? [m.any] : [])].find((l) => l.optionStart === o.optionStart);
  const notes = memmonNotes(ctx, p, m, o, limit);
  const facts = [
    d.unit ? `- **${d.argument?.includes('SIZE') ? 'Size' : 'Unit'}:** ${d.unit}` : undefined,
    `- **Default:** ${d.default}`,
    d.repeatable ? '- Can be given several times.' : undefined,
  ].filter((x): x is string => !!x);
  const title = `**${code(d.short)}, ${code(d.long)}${d.argument ? ` ${d.argument}` : ''}**: memmon option`;
  return {
    markdown: compose([
      title,
      d.what,
      facts.join('\n'),
      notes.length ? `**Here:**\n${notes.map((n) => `- ${n}`).join('\n')}` : undefined,
      adviceBlock(d.advice),
      rulesLine(ctx, d.rules),
    ]),
    range: valueSpanToRange(p.command, o.start, o.end),
  };
}

function memmonNotes(ctx: Ctx, listener: Program, m: MemmonCommand, o: MemmonOption, limit: MemmonLimit | undefined): string[] {
  const notes: string[] = [];
  if (o.spelling.startsWith('--') && o.spelling !== `--${o.long}`) notes.push(`${code(o.spelling)} works as an abbreviation of ${code(`--${o.long}`)}.`);
  if (o.option === '-c') {
    const prefork = preforkWorkersWatchedBy(ctx.deployment, listener.name);
    if (prefork.length) notes.push(`Counts the pool processes of the prefork worker${prefork.length > 1 ? 's' : ''} ${prefork.map(code).join(', ')}.`);
    return notes;
  }
  if (!limit) return notes;
  if (limit.missingValue) return [...notes, 'The value is missing: memmon prints its usage and exits.'];
  if (limit.malformed) return [...notes, `${code(limit.size)} is not NAME=SIZE with exactly one \`=\`: memmon exits with "Unparseable value".`];
  notes.push(sizeNote(limit));
  const matched = limit.option === '-p' ? matchProcess(ctx.deployment, limit.name ?? '') : limit.option === '-g' ? matchGroup(ctx.deployment, limit.name ?? '') : matchAny(ctx.deployment, listener);
  notes.push(...matched.notes);
  for (const w of matched.programs) {
    if (!w.celery || w.celery.subcommand !== 'worker') continue;
    if (limit.bytes !== undefined && limit.bytes < 128 * MIB) {
      notes.push(`Below 128 MB for the Celery worker ${code(w.name)}: a fresh worker already uses about 80 MB, so memmon would restart it on every check.`);
    }
    if (!m.cumulative && isProcessPool(poolRun(ctx.deployment, w))) {
      notes.push(`${code(w.name)} runs a prefork pool and this memmon has no -c: it measures only the main process, not the pool processes whose memory grows.`);
    }
  }
  return notes;
}

function sizeNote(limit: MemmonLimit): string {
  if (limit.bytes === undefined) return `memmon cannot read the size ${code(limit.size)}: it exits at start ("Unparseable byte_size"). Use a whole number with KB, MB or GB, e.g. 512MB.`;
  const b = limit.bytes;
  const inMb = b >= MIB ? `${round1(b / MIB)} MB` : `${b} bytes`;
  const bare = /^\s*\d+\s*$/.test(limit.size) ? ' (no suffix means bytes)' : '';
  return `Restarts above ${code(limit.size.trim())} = ${inMb}${b >= MIB ? ` (${b} bytes)` : ''}${bare}, checked on every TICK event (TICK_60: every 60 s).`;
}

interface Match {
  notes: string[];
  programs: ProgramView[];
}

function describeProcesses(d: Deployment, p: ProgramView, names: string[]): string {
  const all = p.processNames ?? [];
  const shown = names.length === all.length && all.length > 1 ? `all ${all.length} processes` : names.map(code).join(', ');
  const what = p.celery ? `, Celery ${p.celery.subcommand}${p.celery.subcommand === 'worker' ? ` (${poolRun(d, p)} pool)` : ''}` : '';
  return `${shown} of [${p.kind}:${p.name}]${what}`;
}

function unknownNames(d: Deployment): boolean {
  return d.programs.some((p) => p.processNames === undefined);
}

function matchProcess(d: Deployment, name: string): Match {
  const colon = name.indexOf(':');
  const bare = colon >= 0 ? name.slice(colon + 1) : name;
  const group = colon >= 0 ? name.slice(0, colon) : undefined;
  const programs = d.programs.filter((p) => (p.processNames ?? []).includes(bare) && (group === undefined || p.group === group));
  const notes: string[] = [];
  if (programs.length) {
    notes.push(`${code(name)} matches ${programs.map((p) => describeProcesses(d, p, [bare])).join('; ')}.`);
    if (group !== undefined) notes.push(`memmon 2.0.0 crashes with KeyError on this group:process form: write ${code(bare)}.`);
    return { notes, programs };
  }
  const program = d.byName.get(bare);
  if (program && program.processNames && program.processNames.length) {
    const names = program.processNames;
    notes.push(
      `${code(name)} matches no process: [${program.kind}:${program.name}] names its processes ${names.slice(0, 4).map(code).join(', ')}${names.length > 4 ? ', ...' : ''}, and memmon compares process names exactly.` +
        (program.group === program.name ? ` ${code(`-g ${program.name}`)} covers all of them.` : ''),
    );
    return { notes, programs: [] };
  }
  const elsewhere = d.external?.programs.find((p) => (p.processNames ?? []).includes(bare) && (group === undefined || p.group === group));
  if (elsewhere) {
    notes.push(`${code(name)} matches a process of [${elsewhere.kind}:${elsewhere.name}] in ${elsewhere.file}.`);
    return { notes, programs: [] };
  }
  const where = d.external
    ? 'any file of this deployment'
    : `this file${d.isMainFile ? '' : ' (this file has no [supervisord] section: the process may be defined in another file)'}`;
  notes.push(`${code(name)} matches no process in ${where}${unknownNames(d) ? '; some process names here depend on values only the server knows' : ''}.`);
  return { notes, programs: [] };
}

function matchGroup(d: Deployment, name: string): Match {
  const programs = d.programs.filter((p) => p.group === name);
  if (programs.length) {
    return { notes: [`Group ${code(name)} holds ${programs.map((p) => describeProcesses(d, p, p.processNames ?? [])).join('; ')}.`], programs };
  }
  const program = d.byName.get(name);
  if (program) return { notes: [`${code(name)} matches no group: [program:${name}] is in the group ${code(program.group)}.`], programs: [] };
  const members = d.external?.programs.filter((p) => p.group === name) ?? [];
  if (members.length) {
    return { notes: [`Group ${code(name)} holds ${members.map((p) => `[${p.kind}:${p.name}] (${p.file})`).join(', ')}.`], programs: [] };
  }
  return { notes: [`${code(name)} matches no group in this file${d.isMainFile ? '' : ' (it may be defined in another file)'}.`], programs: [] };
}

function matchAny(d: Deployment, listener: Program): Match {
  const programs = d.programs.filter((p) => p !== listener);
  const count = programs.reduce((n, p) => n + (p.processNames?.length ?? p.numprocs), 0);
  return { notes: [`Applies to every process supervisor runs: ${count} in this file.`], programs };
}

function preforkWorkersWatchedBy(d: Deployment, listenerName: string): string[] {
  return d.celeryPrograms
    .filter((p) => p.celery.subcommand === 'worker' && isProcessPool(poolRun(d, p)) && watchersOf(d, p).some((w) => w.listener?.name === listenerName))
    .map((p) => p.name);
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** The pool a Celery worker runs: its -P, else CELERY_WORKER_POOL from its environment, else prefork. */
function poolRun(d: Deployment, p: ProgramView): string {
  return workerPool(d, p as CeleryProgram);
}

function code(s: string): string {
  const clean = s.replace(/`/g, "'");
  return `\`${clean}\``;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** KiB as MB (and GB from 1024 MB on). */
function mb(kib: number): string {
  const m = kib / 1024;
  // Under 1 MB, one decimal says too little: 256 KiB is 0.25 MB, not 0.3.
  const text = `${m < 1 ? Number(m.toPrecision(2)) : round1(m)} MB`;
  return m >= 1024 ? `${text} (${round1(m / 1024)} GB)` : text;
}

function adviceBlock(advice: readonly Advice[]): string | undefined {
  if (!advice.length) return undefined;
  return `**Advice:**\n${advice.map((a) => `- ${a.text} (${a.source})`).join('\n')}`;
}

function rulesLine(ctx: Ctx, codes: readonly string[]): string | undefined {
  if (!codes.length) return undefined;
  return `Rules: ${codes.map((c) => `[${c}](${ctx.ruleDocsUrl(c)})`).join(' · ')}`;
}

function compose(blocks: (string | undefined)[]): string {
  return blocks.filter((b): b is string => !!b && b.length > 0).join('\n\n');
}
