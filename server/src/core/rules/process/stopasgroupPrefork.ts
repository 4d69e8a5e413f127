import type { Finding, Fix, Rule } from '../rule';
import type { TextEdit } from '../../model/types';
import { PROCESS_POOL, workerFacts } from '../celery/workers';
import { booleanKey, entriesOf, fromElsewhere, ownEntry, removalRestoresDefault, removeKey, replaceValue, valueAnchor } from './programKeys';
import { deleteLines } from '../../edits';
import { signalName } from './stopSignal';
import { signalStop } from './stopSignalPath';
import { unlessOtherPool } from '../celery/commandLine';
import { insertOptionWords, spanRange } from '../../commandEdits';
import type { Deployment } from '../../deployment';
import type { WrapperWord } from '../../command/invocation';

/**
 * timeout without --foreground passes the TERM it gets on to its whole process group (coreutils
 * timeout.c: the child, then kill(0, sig)), which is what stopasgroup=true does, and so does it when its
 * duration runs out, with the signal its -s names there (checked with coreutils 9.1 and a script that
 * logs the signals it and its child get: `timeout -s INT 30` passes on the TERM it gets, `timeout -s INT 2`
 * sends INT to both when the 2 s run out, `-s KILL` kills both). Checked with Celery 5.2.6 under `timeout 1d celery ... worker -P prefork`: TERM to
 * timeout's pid, and the pool process running a task exits with 'signal 15 (SIGTERM)' at once; under
 * `timeout --foreground 1d` the task finishes in the warm shutdown, as without timeout.
 */
function timeoutFinding(code: string, p: Deployment['celeryPrograms'][number], w: WrapperWord): Finding | undefined {
  const signal = p.get('stopsignal');
  if (signal && signalName(signal.value) !== 'TERM') return undefined;
  return unlessOtherPool(
    {
      code,
      severity: 'warning',
      message: `timeout passes the TERM supervisor sends it on to its whole process group, as stopasgroup=true would: every pool process of the prefork worker '${p.name}' gets TERM at once and dies in the middle of its task (WorkerLostError) instead of finishing it in the warm shutdown${atExpiry(w)}. Write timeout --foreground, which signals Celery's main process only.`,
      range: spanRange(p.command, w.start, w.end),
      fixes: [{ title: 'Write timeout --foreground, so only Celery gets the signal', edits: insertOptionWords(p.command, p.celery, w.end, ' --foreground'), isPreferred: true }],
    },
    p.celery,
  );
}

/** What timeout does to the group when its duration runs out: it sends the signal of its -s (TERM without one), not the one it passes on. */
function atExpiry(w: WrapperWord): string {
  if (w.signal === undefined) return ', and so do they when the duration runs out';
  const name = signalName(w.signal);
  if (name === 'TERM') return ', and so do they when the duration runs out';
  if (name === undefined || name.includes('%') || name.includes('$')) return `; when the duration runs out, timeout sends the whole group the signal its -s names (${w.signal})`;
  if (name === 'KILL') return '; when the duration runs out, timeout sends its -s KILL to the whole group, which ends every process at once, the main one included';
  return `; when the duration runs out, timeout sends the whole group its -s ${name} instead of TERM`;
}

/**
 * stopasgroup=true sends the stop signal to the whole process group. Prefork pool children reset
 * SIGTERM to its default action, so they die at once instead of finishing their task while the main
 * process drains them (WorkerLostError). killasgroup=true keeps the group-wide SIGKILL at the end.
 */
export const celeryStopasgroupPrefork: Rule = {
  code: 'celery-stopasgroup-prefork',
  defaultSeverity: 'warning',
  summary: 'stopasgroup=true (or timeout without --foreground) on a prefork Celery worker: the stop signal kills the pool processes and their running tasks at once.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const { workers, flags } = workerFacts(deployment);
    for (let i = 0; i < workers.length; i++) {
      if (!(flags[i] & PROCESS_POOL)) continue;
      const p = workers[i];
      // Only where timeout gets the signal: not behind a shell or flock that keeps it and dies on TERM.
      const blocked = signalStop(p.celery, signalName(p.get('stopsignal')?.value ?? 'TERM'));
      const fromTimeout = blocked?.kind === 'group' && timeoutFinding(this.code, p, blocked.word);
      if (fromTimeout) findings.push(fromTimeout);
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
