import type { Finding, Fix, Rule } from '../rule';
import type { TextEdit } from '../../model/types';
import { PROCESS_POOL, workerFacts } from '../celery/workers';
import { booleanKey, entriesOf, fromElsewhere, ownEntry, removalRestoresDefault, removeKey, replaceValue, valueAnchor } from './programKeys';
import { deleteLines } from '../../edits';
import { signalName } from './stopSignal';
import { unlessOtherPool } from '../celery/commandLine';

/**
 * stopasgroup=true sends the stop signal to the whole process group. Prefork pool children reset
 * SIGTERM to its default action, so they die at once instead of finishing their task while the main
 * process drains them (WorkerLostError). killasgroup=true keeps the group-wide SIGKILL at the end.
 */
export const celeryStopasgroupPrefork: Rule = {
  code: 'celery-stopasgroup-prefork',
  defaultSeverity: 'warning',
  summary: 'stopasgroup=true on a prefork Celery worker: the stop signal kills the pool processes and their running tasks at once.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const { workers, flags } = workerFacts(deployment);
    for (let i = 0; i < workers.length; i++) {
      if (!(flags[i] & PROCESS_POOL)) continue;
      const p = workers[i];
      if (booleanKey(p, 'stopasgroup', false) !== true) continue;
      // A shell that runs celery without exec does not pass TERM on: there the group signal is what stops celery.
      if (p.celery.viaShell && !p.celery.shellExec) continue;
      // Nor does flock without -F: the same.
      if (p.celery.wrapperWords?.some((w) => w.signals === 'drops')) continue;
      // Children ignore INT; other stop signals are celery-stop-signal's business. Only TERM kills them early.
      const signal = p.get('stopsignal');
      if (signal && signalName(signal.value) !== 'TERM') continue;
      const stop = p.get('stopasgroup')!;
      const kill = p.get('killasgroup');
      const fixes: Fix[] = [];
      // A value from [DEFAULT] is every section's, and one there shows through a removal: the fix would have to
      // override both keys here, so none is offered.
      if (removalRestoresDefault(p, 'stopasgroup', stop) && (!kill || ownEntry(p, 'killasgroup') === kill)) {
        let edits: TextEdit[];
        let title: string;
        if (!kill) {
          // Rename the key: the line keeps its value (true) and becomes killasgroup; earlier duplicates go.
          const earlier = entriesOf(doc, p, 'stopasgroup').filter((e) => e !== stop);
          const lines = [...new Set(earlier.flatMap((e) => e.parts.map((x) => x.line)))].sort((a, b) => a - b);
          edits = [{ range: stop.keyRange, newText: 'killasgroup' }, ...deleteLines(doc, lines)];
          title = 'Replace stopasgroup=true with killasgroup=true';
        } else {
          edits = [...removeKey(doc, p, 'stopasgroup')];
          if (booleanKey(p, 'killasgroup', true) !== true) edits.push(...replaceValue(doc, kill, 'true'));
          title = booleanKey(p, 'killasgroup', true) === true ? 'Remove stopasgroup (killasgroup=true stays)' : 'Remove stopasgroup and set killasgroup=true';
        }
        fixes.push({ title, edits, isPreferred: true });
      }
      findings.push(
        unlessOtherPool(
          {
            code: this.code,
            severity: 'warning',
            message: `stopasgroup=${stop.value}${fromElsewhere(p, stop)} sends supervisor's stop signal to every process of the prefork worker '${p.name}'. Pool processes die at once on TERM (WorkerLostError) instead of finishing their tasks, so the warm shutdown loses work. Remove stopasgroup and keep killasgroup=true, which still kills the whole group if stopwaitsecs runs out.`,
            range: valueAnchor(doc, p, stop),
            fixes,
          },
          p.celery,
        ),
      );
    }
    return findings;
  },
};
