import type { Finding, Rule } from '../rule';
import { formatOption, insertAt, insertOptionWords, optionRange, optionStyle, replaceSpan, subcommandRange } from '../../commandEdits';
import { pyInt } from '../../catalog/datatypes';
import { BACKSLASH_CONTINUED, POOL_VARIABLE, THREAD_POOL, workerFacts } from './workers';
import { celeryEnvironmentSets, unlessUnknownArguments } from './commandLine';

const GUIDE_CONCURRENCY = '10';

/** A whole number Python reads as 0 (`0`, `00`, `+0`, `0_0`). */
function isZero(value: string): boolean {
  return pyInt(value) === 0;
}

/**
 * The guide's "Setting up for threads": `--pool=gevent --concurrency=10`. Without -c the pool gets one
 * thread or greenlet per CPU core, which is few for I/O-bound tasks.
 */
export const celeryIoPoolConcurrencyMissing: Rule = {
  code: 'celery-io-pool-concurrency-missing',
  defaultSeverity: 'hint',
  summary: 'A threads/gevent/eventlet worker without --concurrency gets only one thread or greenlet per CPU core.',
  check(ctx) {
    const findings: Finding[] = [];
    const { workers, pools, flags } = workerFacts(ctx.deployment);
    for (let i = 0; i < workers.length; i++) {
      if (!(flags[i] & THREAD_POOL) || flags[i] & BACKSLASH_CONTINUED) continue;
      const p = workers[i];
      const concurrency = p.celery.get('--concurrency');
      // Celery reads -c 0 as "not given" (its callback: `value or app.conf.worker_concurrency`).
      const zero = concurrency?.value !== undefined && concurrency.valueStart !== undefined && isZero(concurrency.value);
      if ((concurrency && !zero) || p.celery.has('--autoscale')) continue;
      if (celeryEnvironmentSets(ctx.deployment, p, 'CELERY_WORKER_CONCURRENCY')) continue;
      // No -P: the pool comes from CELERY_WORKER_POOL (flag POOL_FROM_ENVIRONMENT), so -c goes after the sub-command.
      const pool = p.celery.get('--pool');
      if (pool?.invalidEquals) continue; // '-P=gevent': celery-invalid-option-value
      const name = pools[i];
      const how = pool ? `the ${name} pool` : `the ${name} pool (${POOL_VARIABLE} in its environment)`;
      const unit = name === 'threads' ? 'threads' : 'greenlets';
      const advice = `few for I/O-bound tasks that mostly wait on the network or the database. Set it explicitly; the tuning guide calls --concurrency=${GUIDE_CONCURRENCY} a conservative value that works even on small servers.`;
      const finding = {
        code: this.code,
        severity: 'hint' as const,
        message: zero
          ? `Worker '${p.name}' runs ${how} with ${concurrency!.spelling} ${concurrency!.value}, which Celery reads as "not set": it gets as many ${unit} as the machine has CPU cores, ${advice}`
          : `Worker '${p.name}' runs ${how} without -c/--concurrency, so it gets as many ${unit} as the machine has CPU cores: ${advice}`,
        range: zero ? optionRange(p.command, concurrency!) : pool ? optionRange(p.command, pool) : subcommandRange(p.command, p.celery),
      };
      const added = formatOption(optionStyle(p.celery), '--concurrency', '-c', GUIDE_CONCURRENCY);
      findings.push({
        ...(zero ? finding : unlessUnknownArguments(finding, '--concurrency', p.celery)),
        fixes: [
          zero
            ? {
                title: `Change to ${GUIDE_CONCURRENCY}`,
                edits: [...replaceSpan(p.command, concurrency!.valueStart!, concurrency!.valueEnd!, GUIDE_CONCURRENCY)],
                isPreferred: true,
              }
            : pool
              ? { title: `Add --concurrency ${GUIDE_CONCURRENCY} after the pool option`, edits: [insertAt(p.command, pool.end, added)], isPreferred: true }
              : { title: `Add --concurrency ${GUIDE_CONCURRENCY} to the worker command`, edits: insertOptionWords(p.command, p.celery, p.celery.insertOffset, added), isPreferred: true },
        ],
      });
    }
    return findings;
  },
};
