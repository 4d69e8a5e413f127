import { withFixesOnDemand, type Finding, type Fix, type Rule, type RuleContext } from '../rule';
import type { CeleryOption } from '../../command/celery';
import { optionRange, removeOption } from '../../commandEdits';
import { memmonFix } from '../memmon/listenerFix';
import { memmonExit } from '../../command/memmon';
import type { Watch } from '../../deployment';
import { SINGLE_PROCESS_POOL, WATCHED, workerFacts, type CeleryProgram } from './workers';

const PER_CHILD = ['--max-memory-per-child', '--max-tasks-per-child'];

/** Per-child limits work only in the prefork pool; with threads, gevent, eventlet or solo they do nothing. */
export const celeryMemoryLimitIgnored: Rule = {
  code: 'celery-memory-limit-ignored',
  defaultSeverity: 'warning',
  summary: '--max-memory-per-child / --max-tasks-per-child with a pool where they have no effect.',
  check(ctx) {
    const findings: Finding[] = [];
    const facts = workerFacts(ctx.deployment);
    for (let i = 0; i < facts.workers.length; i++) {
      if (!(facts.flags[i] & SINGLE_PROCESS_POOL)) continue;
      const p = facts.workers[i];
      const options = p.celery.options;
      for (let k = 0; k < options.length; k++) {
        if (PER_CHILD.includes(options[k].name)) findings.push(ignored(ctx, this.code, p, options[k], facts.pools[i], (facts.flags[i] & WATCHED) !== 0 ? facts.watches[i]! : undefined));
      }
    }
    return findings;
  },
};

/** A function of its own: a fix closure made in the loop would cost every worker a closure context, reported or not. */
function ignored(ctx: RuleContext, code: string, p: CeleryProgram, opt: CeleryOption, pool: string, watches: readonly Watch[] | undefined): Finding {
  const watched = watches !== undefined;
  const makeFixes = (): Fix[] => {
    const removal = removeOption(ctx.doc, p.command, opt);
    const fixes: Fix[] = [{ title: `Remove ${opt.spelling}, which the ${pool} pool ignores`, edits: removal, isPreferred: true }];
    if (!watched) {
      const memmon = memmonFix(ctx, p, false, removal, false, (size) => `Replace ${opt.spelling} with a memmon listener that restarts '${p.name}' above ${size}`);
      if (memmon) fixes.push(memmon);
    }
    return fixes;
  };
  const message = `${opt.spelling} has no effect in worker '${p.name}', which runs --pool=${pool}: only prefork pools recycle child processes. ${
    watches ? watchedNote(watches) : 'Remove it and let memmon restart the worker above a memory limit instead.'
  }`;
  return withFixesOnDemand({ code, severity: 'warning', message, range: optionRange(p.command, opt), tag: 'unnecessary' }, makeFixes);
}

/** memmon watches the worker, unless every listener naming it exits at start (memmon-invalid-size, memmon-invalid-option say why). */
function watchedNote(watches: readonly Watch[]): string {
  const exits = watches.map((w) => memmonExit((w.listener?.memmon ?? w.external?.memmon)!));
  if (exits.some((e) => e === undefined)) return 'memmon already watches this worker; remove the option.';
  const name = watches[0].listener?.name ?? watches[0].external?.name;
  return `memmon [eventlistener:${name}] is meant to watch this worker but exits at start (${exits[0]!.summary}): fix it there, and remove this option.`;
}
