import type { Finding, Rule } from '../rule';
import { watchersOf } from '../../deployment';
import { optionRange, subcommandRange } from '../../commandEdits';
import { poolOf } from '../../command/celery';
import { memmonFix } from '../memmon/listenerFix';
import { celeryWorkers, runsThreadOrGreenletPool } from './workers';

/** With threads, gevent or eventlet the per-child limits do not work; only memmon can restart a leaking worker. */
export const celeryThreadsWithoutLeakProtection: Rule = {
  code: 'celery-threads-without-leak-protection',
  defaultSeverity: 'information',
  summary: 'A threads/gevent/eventlet worker that no memmon listener watches.',
  check(ctx) {
    const findings: Finding[] = [];
    for (const p of celeryWorkers(ctx.deployment)) {
      if (!runsThreadOrGreenletPool(p) || watchersOf(ctx.deployment, p).length) continue;
      const pool = p.celery.get('--pool');
      const fix = memmonFix(ctx, p, false);
      findings.push({
        code: this.code,
        severity: 'information',
        message: `Worker '${p.name}' runs the ${poolOf(p.celery)} pool, where --max-memory-per-child does not work, and no memmon listener watches it. Add a memmon listener (superlance) to restart it above a memory limit.`,
        range: pool ? optionRange(p.command, pool) : subcommandRange(p.command, p.celery),
        fixes: fix ? [{ ...fix, isPreferred: true }] : [],
      });
    }
    return findings;
  },
};
