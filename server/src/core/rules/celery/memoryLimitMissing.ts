import { withFixesOnDemand, type Finding, type Fix, type Rule, type RuleContext } from '../rule';
import { formatOption, insertOptionWords, optionStyle, optionRange, replaceSpan, subcommandRange } from '../../commandEdits';
import type { CeleryOption } from '../../command/celery';
import { pyInt } from '../../catalog/datatypes';
import { memmonFix } from '../memmon/listenerFix';
import { BACKSLASH_CONTINUED, HAS_MAX_MEMORY, PROCESS_POOL, kib, workerFacts, type CeleryProgram } from './workers';
import { celeryEnvironmentSets, unlessUnknownArguments } from './commandLine';

/**
 * The guide's "Protection against memory leaks": a prefork worker should restart its pool children
 * above a memory limit (--max-memory-per-child) or be watched by memmon with -c. Only
 * --max-tasks-per-child is a weaker protection, reported at a lower severity.
 */
export const celeryMemoryLimitMissing: Rule = {
  code: 'celery-memory-limit-missing',
  defaultSeverity: 'warning',
  summary: 'A prefork Celery worker with no memory-leak protection (--max-memory-per-child or memmon -c).',
  check(ctx) {
    const findings: Finding[] = [];
    const facts = workerFacts(ctx.deployment);
    for (let i = 0; i < facts.workers.length; i++) {
      const f = facts.flags[i];
      if (!(f & PROCESS_POOL) || f & (HAS_MAX_MEMORY | BACKSLASH_CONTINUED)) continue;
      // django-celery's manage.py celeryd runs Celery 3.1, which has no --max-memory-per-child, and does not
      // start with Celery 4 or 5 at all: celery-django-celery-command first, this advice once it runs celery.
      if (facts.workers[i].celery.managePy) continue;
      if (celeryEnvironmentSets(ctx.deployment, facts.workers[i], 'CELERY_WORKER_MAX_MEMORY_PER_CHILD')) continue;
      const watchers = facts.watches[i]!;
      if (watchers.length) continue; // watched: with -c it is protected, without -c memmon-children-not-counted says so
      findings.push(unprotected(ctx, this.code, facts.workers[i], facts.maxMemoryOptions[i]));
    }
    return findings;
  },
};

/** A value filled in outside the file: a supervisor expansion, a template expression, a shell variable. */
const SET_ELSEWHERE = /%\(|\{\{|<%|\$/;

/** A function of its own: a fix closure made in the loop would cost every worker a closure context, reported or not. */
function unprotected(ctx: RuleContext, code: string, p: CeleryProgram, off: CeleryOption | undefined): Finding {
  const limit = ctx.settings.maxMemoryPerChildKiB;
  const makeFixes = (): Fix[] => {
    const fixes: Fix[] = [
      off?.valueStart !== undefined && off.valueEnd !== undefined
        ? {
            title: `Change to ${limit} (${kib(limit)} per pool process)`,
            edits: [...replaceSpan(p.command, off.valueStart, off.valueEnd, String(limit))],
            isPreferred: true,
          }
        : {
            title: `Add --max-memory-per-child ${limit} (${kib(limit)} per pool process)`,
            edits: insertOptionWords(p.command, p.celery, p.celery.insertOffset, formatOption(optionStyle(p.celery), '--max-memory-per-child', undefined, String(limit))),
            isPreferred: true,
          },
    ];
    const memmon = memmonFix(ctx, p, true);
    if (memmon) fixes.push(memmon);
    return fixes;
  };
  // A task limit recycles the pool processes only when it is a positive number (0 stops the worker:
  // celery-invalid-option-value); one the file does not say (%(ENV_X)s, {{ x }}, $X) is taken at its word.
  const tasks = p.celery.get('--max-tasks-per-child');
  const count = tasks?.value === undefined ? undefined : pyInt(tasks.value);
  const recycles = tasks?.value !== undefined && (count === undefined ? SET_ELSEWHERE.test(tasks.value) : count > 0);
  const finding = off
    ? {
        code,
        severity: 'warning' as const,
        message: `Worker '${p.name}' has --max-memory-per-child ${off.value}, which turns the limit off (Celery restarts a pool process only above a limit greater than 0), so its processes can grow until the server runs out of memory. Write a limit in KiB, e.g. ${limit} (${kib(limit)}), or watch it with memmon -c.`,
        range: optionRange(p.command, off),
      }
    : tasks && recycles
    ? {
        code,
        severity: 'information' as const,
        message: `Worker '${p.name}' recycles its pool processes only by task count (--max-tasks-per-child ${tasks.value ?? ''}). That protects against leaks less precisely than a memory limit: add --max-memory-per-child (KiB) too.`,
        range: optionRange(p.command, tasks),
      }
    : unlessUnknownArguments(
        {
          code,
          severity: 'warning' as const,
          message: `Worker '${p.name}' runs a prefork pool with no memory-leak protection: its processes can grow until the server runs out of memory. Add --max-memory-per-child ${limit} (${kib(limit)}, restarts a pool process gracefully above it) or watch it with memmon -c.`,
          range: subcommandRange(p.command, p.celery),
        },
        '--max-memory-per-child',
        p.celery,
      );
  return withFixesOnDemand(finding, makeFixes);
}
