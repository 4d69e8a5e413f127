import { withFixesOnDemand, type Finding, type Rule, type RuleContext } from '../rule';
import { optionRange, subcommandRange } from '../../commandEdits';
import { memmonFix } from '../memmon/listenerFix';
import type { CeleryOption } from '../../command/celery';
import { THREAD_POOL, WATCHED, workerFacts, type CeleryProgram } from './workers';

/** With threads, gevent or eventlet the per-child limits do not work; only memmon can restart a leaking worker. */
export const celeryThreadsWithoutLeakProtection: Rule = {
  code: 'celery-threads-without-leak-protection',
  defaultSeverity: 'information',
  summary: 'A threads/gevent/eventlet worker that no memmon listener watches.',
  check(ctx) {
    const findings: Finding[] = [];
    const { workers, flags, pools, poolOptions } = workerFacts(ctx.deployment);
    for (let i = 0; i < workers.length; i++) {
      if (!(flags[i] & THREAD_POOL) || flags[i] & WATCHED) continue;
      findings.push(unprotected(ctx, this.code, workers[i], pools[i], poolOptions[i]));
    }
    return findings;
  },
};

/** A function of its own: a fix closure made in the loop would cost every worker a closure context, reported or not. */
function unprotected(ctx: RuleContext, code: string, p: CeleryProgram, poolName: string, pool: CeleryOption | undefined): Finding {
  return withFixesOnDemand(
    {
      code,
      severity: 'information',
      message: `Worker '${p.name}' runs the ${poolName} pool, where --max-memory-per-child does not work, and no memmon listener watches it. Add a memmon listener (superlance) to restart it above a memory limit.`,
      range: pool ? optionRange(p.command, pool) : subcommandRange(p.command, p.celery),
    },
    () => {
      const fix = memmonFix(ctx, p, false, undefined, true);
      return fix ? [fix] : [];
    },
  );
}
