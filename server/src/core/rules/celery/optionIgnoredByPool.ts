import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { CeleryOption } from '../../command/celery';
import { isProcessPool } from '../../command/celery';
import { POOLS } from '../../command/celeryOptions';
import { optionRange } from '../../commandEdits';
import { workerFacts, type CeleryProgram } from './workers';
import { removeAllEdits } from './commandLine';

function reportIgnored(ctx: RuleContext, code: string, findings: Finding[], p: CeleryProgram, o: CeleryOption, message: string, extra: Fix[] = []): void {
  const removal = removeAllEdits(ctx.doc, p, o.name);
  findings.push({
    code,
    severity: 'information',
    message,
    range: optionRange(p.command, o),
    tag: 'unnecessary',
    fixes: [...(removal ? [{ title: `Remove ${o.spelling}`, edits: removal, isPreferred: true }] : []), ...extra],
  });
}

/** POOLS as a map (a property lookup with a name read from the file is slower). */
const POOL_INFO = new Map(Object.entries(POOLS));
const TIME_LIMIT_IGNORED = new Set(['threads', 'solo', 'eventlet']);
const AUTOSCALE_IGNORED = new Set(['threads', 'solo']);

/**
 * Options that have no effect with the worker's pool (Celery workers guide, "pool support"):
 * --autoscale with threads or solo, --soft-time-limit outside prefork, --time-limit with threads,
 * solo or eventlet, -O fair outside prefork, --concurrency with solo or next to --autoscale. The
 * per-child limits are celery-memory-limit-ignored's business.
 */
export const celeryOptionIgnoredByPool: Rule = {
  code: 'celery-option-ignored-by-pool',
  defaultSeverity: 'information',
  summary: 'A worker option that does nothing with the chosen pool (--autoscale, time limits, -O fair, --concurrency).',
  check(ctx) {
    const findings: Finding[] = [];
    const { workers, pools, poolOptions } = workerFacts(ctx.deployment);
    for (let i = 0; i < workers.length; i++) {
      const p = workers[i];
      const c = p.celery;
      if (poolOptions[i]?.invalidEquals) continue; // the pool itself is invalid: celery-invalid-option-value
      const pool = pools[i];
      const info = POOL_INFO.get(pool);
      if (!info || info.kind === 'custom') continue;
      const prefork = isProcessPool(pool);
      // Each option is looked up only when the pool can make it ignored (same findings, fewer lookups).
      const autoscale = c.get('--autoscale');
      const concurrency = autoscale || pool === 'solo' ? c.get('--concurrency') : undefined;
      if (autoscale && AUTOSCALE_IGNORED.has(pool)) {
        reportIgnored(
          ctx,
          this.code,
          findings,
          p,
          autoscale,
          `--autoscale does nothing useful with the ${pool} pool: only the prefork, gevent and eventlet pools grow and shrink. Remove it and size the pool with --concurrency.`,
        );
      } else if (autoscale && concurrency) {
        const removeAutoscale = removeAllEdits(ctx.doc, p, '--autoscale');
        reportIgnored(
          ctx,
          this.code,
          findings,
          p,
          concurrency,
          `--concurrency is ignored when --autoscale is given: the pool size follows --autoscale ${autoscale.value ?? ''} (MAX,MIN) instead. Remove --concurrency, or remove --autoscale for a fixed pool of ${concurrency.value ?? 'N'}.`,
          removeAutoscale ? [{ title: `Remove --autoscale (keep a fixed pool of ${concurrency.value ?? 'N'})`, edits: removeAutoscale }] : [],
        );
      }
      if (concurrency && pool === 'solo' && concurrency.value?.trim() !== '1') {
        reportIgnored(ctx, this.code, findings, p, concurrency, `The solo pool runs one task at a time in the worker process itself, so --concurrency has no effect. Remove it, or pick a pool that runs tasks in parallel.`);
      }
      const soft = prefork ? undefined : c.get('--soft-time-limit');
      if (soft && !prefork) {
        reportIgnored(ctx, this.code, findings, p, soft, `--soft-time-limit has no effect with the ${pool} pool: only prefork supports soft time limits. Remove it, or use prefork if tasks need a soft limit.`);
      }
      const hard = TIME_LIMIT_IGNORED.has(pool) ? c.get('--time-limit') : undefined;
      if (hard && TIME_LIMIT_IGNORED.has(pool)) {
        reportIgnored(ctx, this.code, findings, p, hard, `--time-limit has no effect with the ${pool} pool: hard time limits work with prefork (and gevent, for tasks that do not block). Remove it.`);
      }
      const optimization = prefork ? undefined : c.get('-O');
      if (optimization && !prefork && optimization.value === 'fair' && !optimization.invalidEquals) {
        reportIgnored(ctx, this.code, findings, p, optimization, `-O fair only changes how the prefork pool hands tasks to its child processes; the ${pool} pool ignores it. Remove it.`);
      }
    }
    return findings;
  },
};
