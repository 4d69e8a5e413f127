import type { Finding, Rule } from '../rule';
import { formatOption, insertOptionWords, optionStyle, subcommandRange } from '../../commandEdits';
import { BACKSLASH_CONTINUED, HAS_LOGLEVEL, workerFacts } from './workers';
import { celeryEnvironmentSets, unlessUnknownArguments } from './commandLine';

/** The guide's "Task Logging": without -l the worker logs at WARNING and task activity is invisible. */
export const celeryLoglevelMissing: Rule = {
  code: 'celery-loglevel-missing',
  defaultSeverity: 'information',
  summary: 'A Celery worker without -l/--loglevel logs only warnings, so task activity is invisible.',
  check({ deployment }) {
    const findings: Finding[] = [];
    const { workers, flags } = workerFacts(deployment);
    for (let i = 0; i < workers.length; i++) {
      if (flags[i] & (HAS_LOGLEVEL | BACKSLASH_CONTINUED)) continue;
      const p = workers[i];
      if (celeryEnvironmentSets(deployment, p, 'CELERY_WORKER_LOGLEVEL')) continue;
      findings.push({
        ...unlessUnknownArguments(
          {
            code: this.code,
            severity: 'information' as const,
            message: `Worker '${p.name}' has no -l/--loglevel, so it logs at WARNING and you will not see tasks start and finish. Add '-l info' to the command.`,
            range: subcommandRange(p.command, p.celery),
          },
          '-l/--loglevel',
          p.celery,
        ),
        fixes: [
          {
            title: 'Add -l info to the worker command',
            edits: insertOptionWords(p.command, p.celery, p.celery.insertOffset, formatOption(optionStyle(p.celery), '--loglevel', '-l', 'info')),
            isPreferred: true,
          },
        ],
      });
    }
    return findings;
  },
};
