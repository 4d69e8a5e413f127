import { withFixesOnDemand, type Finding, type Rule } from '../rule';
import type { Severity } from '../../model/types';
import { celeryWorkers } from '../celery/workers';
import { fromElsewhere, removalRestoresDefault, removeKey, setKey, valueAnchor } from './programKeys';
import { lookupTable } from '../../lookupTable';

/** Signal numbers that are the same on every platform supervisor runs on. */
const BY_NUMBER: Readonly<Record<string, string>> = lookupTable({ '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '15': 'TERM' });

/** Hoisted: a regular expression literal would be a new object per call. */
const DIGITS = /^\d+$/;

/** supervisor's signal_number accepts TERM, sigterm, SIGTERM or a number. */
export function signalName(value: string): string | undefined {
  const v = value.trim().toUpperCase();
  if (DIGITS.test(v)) return BY_NUMBER[String(Number(v))];
  return v.startsWith('SIG') ? v.slice(3) : v;
}

const EFFECT: Readonly<Record<string, { severity: Severity; effect: string }>> = lookupTable({
  HUP: {
    severity: 'warning',
    effect: 'HUP does not stop a worker: without a terminal it re-executes itself (a restart, and under python -m celery the re-exec fails and the worker dies), so supervisor waits stopwaitsecs and then kills it with SIGKILL',
  },
  USR1: { severity: 'warning', effect: 'USR1 only makes a worker dump its tracebacks; it keeps running until supervisor kills it with SIGKILL after stopwaitsecs' },
  USR2: { severity: 'warning', effect: 'USR2 only triggers the remote-debugger hook; the worker keeps running until supervisor kills it with SIGKILL after stopwaitsecs' },
  QUIT: { severity: 'warning', effect: 'QUIT is a cold shutdown: the worker terminates its running tasks instead of letting them finish' },
  KILL: { severity: 'warning', effect: 'KILL ends the worker immediately: running tasks are lost and pool processes can be left behind' },
  INT: { severity: 'information', effect: 'INT is a warm shutdown too, but the worker records exit code 1 for it (Celery 5.3 and later exit with 1)' },
});

/** TERM is the warm shutdown: stop taking tasks, finish the running ones, exit. Other signals do something else. */
export const celeryStopSignal: Rule = {
  code: 'celery-stop-signal',
  defaultSeverity: 'warning',
  summary: 'A Celery worker stopped with a signal other than TERM (the warm shutdown).',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const ps = celeryWorkers(deployment);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      const entry = p.get('stopsignal');
      if (!entry) continue;
      const name = signalName(entry.value);
      const e = name ? EFFECT[name] : undefined;
      if (!e) continue;
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: e.severity,
            message: `stopsignal=${entry.value}${fromElsewhere(p, entry)} for worker '${p.name}': ${e.effect}. Remove stopsignal so supervisor sends TERM, the warm shutdown that finishes running tasks.`,
            range: valueAnchor(doc, p, entry),
          },
          () =>
            removalRestoresDefault(p, 'stopsignal', entry)
              ? [{ title: 'Remove stopsignal (use the default TERM)', edits: removeKey(doc, p, 'stopsignal'), isPreferred: true }]
              : // From [DEFAULT] (or [DEFAULT] would show through a removal), which every section reads: override it here.
                [{ title: 'Set stopsignal=TERM in this program', edits: setKey(doc, p, 'stopsignal', 'TERM'), isPreferred: true }],
        ),
      );
    }
    return findings;
  },
};
