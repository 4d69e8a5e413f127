import type { Finding, Fix, RelatedLocation, Rule } from '../rule';
import type { Range } from '../../model/types';
import type { CeleryOption } from '../../command/celery';
import type { SupervisorDocument } from '../../model/document';
import { aloneOf, type Deployment } from '../../deployment';
import { formatOption, insertOptionWords, optionRange, optionStyle, replaceSpan, subcommandRange } from '../../commandEdits';
import { PROCESS_POOL, workerFacts, type CeleryProgram } from './workers';
import { celeryEnvironmentSets, removeAllEdits, unlessOtherPool } from './commandLine';
import { parseBoolean } from '../process/programKeys';

/** Hoisted: a regular expression literal in the loop would be a new object per worker. */
const DIGITS = /^\d+$/;
/** Workers a deployment-wide message names (the largest first). */
const LISTED = 6;

/** An option whose value the file shows, which a fix can replace. */
type ValuedOption = CeleryOption & { valueStart: number; valueEnd: number };

/** A prefork worker's share of the server's pool processes: numprocs x --concurrency, or x cores without it. */
interface PoolShare {
  program: CeleryProgram;
  copies: number;
  /** --concurrency with its number; absent: one process per core. */
  concurrency?: { option: ValuedOption; n: number };
  processes: number;
  range: Range;
  /** Another file of the deployment; absent for this file. */
  file?: string;
  /**
   * Counted in the deployment's total: started with supervisord (not autostart=false) and with a numprocs
   * the file shows (not %(ENV_N)s).
   */
  inTotal: boolean;
  /** The section's name as written (configparser merges sections of one name across files). */
  section: string;
}

/**
 * The prefork workers of one file and what each starts; workers whose count the file does not show
 * (--autoscale, a value from the environment or an expansion) are left out.
 */
function poolShares(deployment: Deployment, cores: number, file?: string): PoolShare[] {
  const shares: PoolShare[] = [];
  const { workers: ps, flags } = workerFacts(deployment);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (!(flags[i] & PROCESS_POOL) || p.numprocs < 1 || p.celery.has('--autoscale')) continue;
    const option = p.celery.get('--concurrency');
    const copies = p.numprocs;
    const where = file === undefined ? {} : { file };
    const numprocs = p.get('numprocs')?.value.trim();
    const inTotal = parseBoolean(p.get('autostart')?.value ?? 'true') !== false && (numprocs === undefined || DIGITS.test(numprocs));
    const section = deployment.doc.sections[p.sectionIndexes[0]].name;
    if (option) {
      const raw = option.value?.trim() ?? '';
      if (!DIGITS.test(raw) || option.valueStart === undefined || option.valueEnd === undefined || option.invalidEquals) continue;
      const n = Number(raw);
      shares.push({ ...where, program: p, copies, concurrency: { option: option as ValuedOption, n }, processes: copies * n, range: optionRange(p.command, option), inTotal, section });
    } else if (!celeryEnvironmentSets(deployment, p, 'CELERY_WORKER_CONCURRENCY')) {
      shares.push({ ...where, program: p, copies, processes: copies * cores, range: subcommandRange(p.command, p.celery), inTotal, section });
    }
  }
  return shares;
}

/** A worker with more processes than cores on its own (a single copy without --concurrency has one per core). */
const aboveAlone = (s: PoolShare, cores: number) => (s.concurrency ? s.processes > cores : s.copies > 1);

/**
 * The guide's "Concurrency": one prefork pool process per CPU core (Celery's own default) is the
 * recommendation; more processes take CPU and memory from everything else on the server. Under
 * supervisor the total is numprocs x concurrency, and the workers of a deployment add up. Needs
 * supervisor.celery.serverCpuCount, or the machine checks (then this machine's cores).
 */
export const celeryConcurrencyAboveCores: Rule = {
  code: 'celery-concurrency-above-cores',
  defaultSeverity: 'information',
  summary: 'Prefork workers start more pool processes (numprocs x --concurrency, added up over the deployment) than the server has CPU cores.',
  check(ctx) {
    const cores = ctx.settings.serverCpuCount;
    if (cores === null || !(cores >= 1)) return [];
    const source = ctx.settings.cpuCountOfThisMachine ? ' (this machine, which runs supervisord)' : '';
    const here = poolShares(ctx.deployment, cores);
    const findings: Finding[] = [];
    for (const s of here) if (aboveAlone(s, cores)) findings.push(workerAboveCores(this.code, ctx.doc, s, cores, source));
    findings.push(...deploymentTotal(this.code, ctx.deployment, here, cores, source));
    return findings;
  },
};

function workerAboveCores(code: string, doc: SupervisorDocument, s: PoolShare, cores: number, source: string): Finding {
  const { program: p, copies } = s;
  const perCopy = Math.floor(cores / copies);
  if (s.concurrency) {
    const { option: opt, n } = s.concurrency;
    const fixes: Fix[] = [];
    if (perCopy >= 1) {
      fixes.push({
        title: copies > 1 ? `Set --concurrency to ${perCopy} (${copies} x ${perCopy} processes for ${cores} cores)` : `Set --concurrency to ${cores}, one process per core`,
        edits: [...replaceSpan(p.command, opt.valueStart, opt.valueEnd, String(copies > 1 ? perCopy : cores))],
        isPreferred: true,
      });
    }
    const removal = copies === 1 ? removeAllEdits(doc, p, '--concurrency') : undefined;
    if (removal) fixes.push({ title: 'Remove --concurrency (Celery then starts one pool process per CPU core)', edits: removal });
    return unlessOtherPool(
      {
        code,
        severity: 'information',
        message:
          copies > 1
            ? `Worker '${p.name}' runs numprocs=${copies} copies with ${n} prefork processes each: ${copies} x ${n} = ${s.processes} pool processes on a server with ${cores} CPU cores${source}. The tuning guide recommends one worker process per core; beyond that the rest of the server slows down while tasks run. ${
                perCopy >= 1 ? `Lower --concurrency to ${perCopy}, or reduce numprocs.` : `Reduce numprocs to at most ${cores} and use --concurrency 1.`
              }`
            : `Worker '${p.name}' starts ${n} prefork pool processes on a server with ${cores} CPU cores${source}. The tuning guide recommends one worker process per core (Celery's default); beyond that the rest of the server slows down while tasks run. Set --concurrency to ${cores}, or remove it to get one process per core.`,
        range: s.range,
        fixes,
      },
      p.celery,
    );
  }
  // No --concurrency: every copy starts one process per core.
  return unlessOtherPool(
    {
      code,
      severity: 'information',
      message: `Worker '${p.name}' runs numprocs=${copies} copies without --concurrency, and each copy starts one prefork process per CPU core: ${copies} x ${cores} = ${s.processes} pool processes on ${cores} cores${source}. The tuning guide recommends one worker process per core in total. ${
        perCopy >= 1 ? `Add --concurrency ${perCopy}.` : `Reduce numprocs to at most ${cores} and add --concurrency 1.`
      }`,
      range: s.range,
      fixes:
        perCopy >= 1
          ? [
              {
                title: `Add --concurrency ${perCopy} (${copies} x ${perCopy} processes for ${cores} cores)`,
                edits: insertOptionWords(p.command, p.celery, p.celery.insertOffset, formatOption(optionStyle(p.celery), '--concurrency', '-c', String(perCopy))),
                isPreferred: true,
              },
            ]
          : [],
    },
    p.celery,
  );
}

/**
 * Workers that each fit the cores can still add up to more: the guide's one process per core is for the
 * server. One finding per file, on its largest worker without a finding of its own, naming the largest
 * workers of the deployment and pointing at them.
 */
function deploymentTotal(code: string, deployment: Deployment, here: PoolShare[], cores: number, source: string): Finding[] {
  // A section two files define is merged by supervisor key by key, the file read last winning: the
  // program's concurrency, numprocs and autostart may each come from another file, so it is left out of
  // the total (duplicate-section-across-files reports it).
  const others = deployment.external?.files ?? [];
  const seen = new Set<string>();
  const merged = new Set<string>();
  // A file checked alone merges nothing (its own repeated headers are one section already).
  for (const doc of others.length ? [deployment.doc, ...others.map((f) => f.doc)] : []) {
    const names = new Set<string>();
    for (const sec of doc.sections) names.add(sec.name);
    for (const name of names) (seen.has(name) ? merged : seen).add(name);
  }
  const shares = here.filter((s) => s.inTotal && !merged.has(s.section));
  if (shares.length === 0) return [];
  for (const f of others) for (const s of externalShares(f.doc, f.path, cores)) if (s.inTotal && !merged.has(s.section)) shares.push(s);
  if (shares.length < 2) return [];
  let total = 0;
  let copies = 0;
  for (const s of shares) {
    total += s.processes;
    copies += s.copies;
  }
  if (total <= cores) return [];
  let at: PoolShare | undefined;
  for (const s of here) if (s.inTotal && !aboveAlone(s, cores) && (at === undefined || s.processes > at.processes)) at = s;
  if (at === undefined) return [];
  // Thousands of workers would make the message list every one: the largest few are named.
  const largest = [...shares].sort((a, b) => b.processes - a.processes).slice(0, LISTED);
  const more = shares.length - largest.length;
  const list = largest.map((o) => `'${o.program.name}' ${howMany(o, cores)}${o.file === undefined ? '' : ` in ${o.file}`}`).join(', ') + (more ? `, and ${more} more` : '');
  const advice =
    copies > cores
      ? `Even with --concurrency 1 they would start ${copies} processes, more than the cores: let fewer workers consume the queues (one worker takes several, -Q a,b), or give the I/O-bound ones a threads or gevent pool.`
      : 'Lower their --concurrency so that the total fits.';
  return [
    unlessOtherPool(
      {
        code,
        severity: 'information',
        message: `The prefork workers of this deployment start ${total} pool processes together on a server with ${cores} CPU cores${source}: ${list}. The tuning guide recommends one worker process per core for the whole server; beyond that the rest of it slows down while tasks run. ${advice}`,
        range: at.range,
        related: largest.filter((o) => o !== at).map((o) => ({ ...(o.file === undefined ? {} : { file: o.file }), range: o.range, message: `'${o.program.name}' starts ${o.processes} pool processes` })),
        fixes: [],
      },
      at.program.celery,
    ),
  ];
}

/** Another file's shares, built once per parsed file (every file of a deployment is analysed with all the others). */
const externalSharesOf = new WeakMap<SupervisorDocument, Map<string, PoolShare[]>>();
function externalShares(doc: SupervisorDocument, path: string, cores: number): PoolShare[] {
  let byKey = externalSharesOf.get(doc);
  if (!byKey) externalSharesOf.set(doc, (byKey = new Map()));
  const key = `${cores}\0${path}`;
  let shares = byKey.get(key);
  if (!shares) byKey.set(key, (shares = poolShares(aloneOf(doc), cores, path)));
  return shares;
}

/** How a worker's count comes about: `2 x 3`, `4 (one per core)`. */
function howMany(s: PoolShare, cores: number): string {
  const each = s.concurrency ? `${s.concurrency.n}` : `${cores} (one per core)`;
  return s.copies > 1 ? `${s.copies} x ${each}` : each;
}
