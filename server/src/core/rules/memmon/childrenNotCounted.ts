import type { Finding, Rule } from '../rule';
import { insertAt, spanRange, subcommandRange } from '../../commandEdits';
import { HAS_MAX_MEMORY, PROCESS_POOL, workerFacts } from '../celery/workers';
import type { MemmonLimit } from '../../command/memmon';
import { unlessOtherPool } from '../celery/commandLine';

/**
 * Without -c memmon measures only the process supervisor started. A prefork worker's memory sits in
 * its pool children, so that memmon never sees the leak.
 */
export const memmonChildrenNotCounted: Rule = {
  code: 'memmon-children-not-counted',
  defaultSeverity: 'warning',
  summary: 'memmon watches a prefork Celery worker without -c, so the pool children it should measure are not counted.',
  check(ctx) {
    const findings: Finding[] = [];
    const facts = workerFacts(ctx.deployment);
    for (let i = 0; i < facts.workers.length; i++) {
      const f = facts.flags[i];
      if (!(f & PROCESS_POOL) || f & HAS_MAX_MEMORY) continue;
      const p = facts.workers[i];
      const watches = facts.watches[i]!;
      if (!watches.length || watches.some((w) => w.cumulative)) continue;
      const listener = watches.find((w) => w.listener)?.listener;
      if (!listener) {
        // Only listeners in other files watch it: say so here, on the worker (findings stay in this file).
        const external = watches[0].external!;
        findings.push(
          unlessOtherPool(
            {
              code: this.code,
              severity: 'warning',
              message: `memmon [eventlistener:${external.name}] in ${external.file} watches the prefork worker '${p.name}' without -c (--cumulative), so it measures only the worker's main process and never the pool processes whose memory grows. Add -c to that listener's command.`,
              range: subcommandRange(p.command, p.celery),
              fixes: [],
            },
            p.celery,
          ),
        );
        continue;
      }
      const names = new Set(p.processNames ?? []);
      const m = listener.memmon;
      const selector: MemmonLimit | undefined =
        m.programs.find((l) => l.name !== undefined && (names.has(l.name) || names.has(l.name.slice(l.name.indexOf(':') + 1)))) ??
        m.groups.find((l) => l.name === p.group) ??
        m.any;
      findings.push(
        unlessOtherPool(
          {
            code: this.code,
            severity: 'warning',
            message: `memmon [eventlistener:${listener.name}] watches the prefork worker '${p.name}' without -c (--cumulative), so it measures only the worker's main process and never the pool processes whose memory grows. Add -c.`,
            range: selector ? spanRange(listener.command, selector.start, selector.end) : listener.command.valueRange,
            fixes: [{ title: `Add -c to memmon so it counts ${p.name}'s pool processes`, edits: [insertAt(listener.command, m.endOffset, ' -c')], isPreferred: true }],
          },
          p.celery,
        ),
      );
    }
    return findings;
  },
};
