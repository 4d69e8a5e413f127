import type { Finding, Fix, Rule } from '../rule';
import { formatOption, insertAt, optionRange, optionStyle, replaceSpan, subcommandRange } from '../../commandEdits';
import { PROCESS_POOL, workerFacts } from './workers';
import { celeryEnvironmentSets, removeAllEdits, unlessOtherPool } from './commandLine';

/** Hoisted: a regular expression literal in the loop would be a new object per worker. */
const DIGITS = /^\d+$/;

/**
 * The guide's "Concurrency": one prefork pool process per CPU core (Celery's own default) is the
 * recommendation; more processes take CPU and memory from everything else on the server. Under
 * supervisor the total is numprocs x concurrency. Needs supervisor.celery.serverCpuCount, or the machine
 * checks (then this machine's cores).
 */
export const celeryConcurrencyAboveCores: Rule = {
  code: 'celery-concurrency-above-cores',
  defaultSeverity: 'information',
  summary: 'A prefork worker starts more pool processes (numprocs x --concurrency) than the server has CPU cores.',
  check(ctx) {
    const cores = ctx.settings.serverCpuCount;
    if (cores === null || !(cores >= 1)) return [];
    const source = ctx.settings.cpuCountOfThisMachine ? ' (this machine, which runs supervisord)' : '';
    const findings: Finding[] = [];
    const { workers: ps, flags } = workerFacts(ctx.deployment);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      if (!(flags[i] & PROCESS_POOL) || p.numprocs < 1 || p.celery.has('--autoscale')) continue;
      const copies = p.numprocs;
      const perCopy = Math.floor(cores / copies);
      const opt = p.celery.get('--concurrency');
      const style = optionStyle(p.celery);
      if (opt) {
        const raw = opt.value?.trim() ?? '';
        if (!DIGITS.test(raw) || opt.valueStart === undefined || opt.valueEnd === undefined || opt.invalidEquals) continue;
        const n = Number(raw);
        const total = n * copies;
        if (total <= cores) continue;
        const fixes: Fix[] = [];
        if (perCopy >= 1) {
          fixes.push({
            title: copies > 1 ? `Set --concurrency to ${perCopy} (${copies} x ${perCopy} processes for ${cores} cores)` : `Set --concurrency to ${cores}, one process per core`,
            edits: [...replaceSpan(p.command, opt.valueStart, opt.valueEnd, String(copies > 1 ? perCopy : cores))],
            isPreferred: true,
          });
        }
        const removal = copies === 1 ? removeAllEdits(ctx.doc, p, '--concurrency') : undefined;
        if (removal) fixes.push({ title: 'Remove --concurrency (Celery then starts one pool process per CPU core)', edits: removal });
        findings.push(
          unlessOtherPool(
            {
              code: this.code,
              severity: 'information',
              message:
                copies > 1
                  ? `Worker '${p.name}' runs numprocs=${copies} copies with ${n} prefork processes each: ${copies} x ${n} = ${total} pool processes on a server with ${cores} CPU cores${source}. The tuning guide recommends one worker process per core; beyond that the rest of the server slows down while tasks run. ${
                      perCopy >= 1 ? `Lower --concurrency to ${perCopy}, or reduce numprocs.` : `Reduce numprocs to at most ${cores} and use --concurrency 1.`
                    }`
                  : `Worker '${p.name}' starts ${n} prefork pool processes on a server with ${cores} CPU cores${source}. The tuning guide recommends one worker process per core (Celery's default); beyond that the rest of the server slows down while tasks run. Set --concurrency to ${cores}, or remove it to get one process per core.`,
              range: optionRange(p.command, opt),
              fixes,
            },
            p.celery,
          ),
        );
        continue;
      }
      if (copies < 2 || celeryEnvironmentSets(ctx.deployment, p, 'CELERY_WORKER_CONCURRENCY')) continue;
      // No --concurrency: every copy starts one process per core.
      findings.push(
        unlessOtherPool(
          {
            code: this.code,
            severity: 'information',
            message: `Worker '${p.name}' runs numprocs=${copies} copies without --concurrency, and each copy starts one prefork process per CPU core: ${copies} x ${cores} = ${copies * cores} pool processes on ${cores} cores${source}. The tuning guide recommends one worker process per core in total. ${
              perCopy >= 1 ? `Add --concurrency ${perCopy}.` : `Reduce numprocs to at most ${cores} and add --concurrency 1.`
            }`,
            range: subcommandRange(p.command, p.celery),
            fixes:
              perCopy >= 1
                ? [
                    {
                      title: `Add --concurrency ${perCopy} (${copies} x ${perCopy} processes for ${cores} cores)`,
                      edits: [insertAt(p.command, p.celery.insertOffset, formatOption(style, '--concurrency', '-c', String(perCopy)))],
                      isPreferred: true,
                    },
                  ]
                : [],
          },
          p.celery,
        ),
      );
    }
    return findings;
  },
};
