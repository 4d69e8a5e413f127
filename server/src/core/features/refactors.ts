/**
 * Refactorings offered on a Celery worker's command (not tied to a diagnostic). The guide's whole
 * "Setting up for threads" section as one action: gevent pool, concurrency 10, options that stop
 * working removed, and a memmon listener because --max-memory-per-child no longer protects.
 */
import type { Analysis } from '../analyze';
import { rangesOverlap, type Range, type TextEdit } from '../model/types';
import { formatOption, insertOptionWords, optionStyle, removeSpans, replaceSpan } from '../commandEdits';
import { poolOf } from '../command/celery';
import { celeryWorkers } from '../rules/celery/workers';
import { memmonWatchEdits } from '../rules/memmon/listenerFix';
import { watchersOf } from '../deployment';
import type { CodeActionInfo } from './codeActions';

/** Options that do nothing (or are rejected) once the pool is gevent. */
const DROPPED_WITH_GEVENT = new Set(['--max-memory-per-child', '--max-tasks-per-child', '--soft-time-limit', '-O']);

const GEVENT_CONCURRENCY = '10';

export function refactors(analysis: Analysis, range: Range): CodeActionInfo[] {
  const actions: CodeActionInfo[] = [];
  const ctx = { doc: analysis.doc, settings: analysis.settings, deployment: analysis.deployment };
  for (const p of celeryWorkers(analysis.deployment)) {
    if (!rangesOverlap(p.command.range, range) || poolOf(p.celery) === 'gevent' || p.celery.argvError) continue;
    const style = optionStyle(p.celery);
    const edits: TextEdit[] = [];
    let inserted = '';
    const pool = p.celery.get('--pool');
    if (pool) edits.push(...replaceSpan(p.command, pool.start, pool.end, formatOption(style, '--pool', '-P', 'gevent').trimStart()));
    else inserted += formatOption(style, '--pool', '-P', 'gevent');
    const concurrency = p.celery.get('--concurrency');
    if (concurrency) edits.push(...replaceSpan(p.command, concurrency.start, concurrency.end, formatOption(style, '--concurrency', '-c', GEVENT_CONCURRENCY).trimStart()));
    else inserted += formatOption(style, '--concurrency', '-c', GEVENT_CONCURRENCY);
    // All at once: removed one by one, two options that start a continuation line overlap.
    edits.push(...removeSpans(analysis.doc, p.command, p.celery.options.filter((o) => DROPPED_WITH_GEVENT.has(o.name))));
    if (inserted) edits.push(...insertOptionWords(p.command, p.celery, p.celery.insertOffset, inserted));
    if (!watchersOf(analysis.deployment, p).length) {
      // keepsPool false: memmon will measure one gevent process, not the prefork pool the command has now.
      const watch = memmonWatchEdits(ctx, p, false, false);
      if (watch) edits.push(...watch.edits);
    }
    actions.push({
      title: `Switch worker '${p.name}' to gevent (I/O-bound tasks; gevent must be installed in its virtualenv)`,
      kind: 'refactor.rewrite',
      edits,
      findings: [],
    });
  }
  return actions;
}
