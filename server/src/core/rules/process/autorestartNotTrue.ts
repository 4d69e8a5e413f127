import { withFixesOnDemand, type Finding, type Rule } from '../rule';
import { fromElsewhere, keyAnchor, parseBoolean, setKey } from './programKeys';
import { lowerCase } from '../../catalog/datatypes';

/**
 * With autorestart=unexpected (the default) and exitcodes=0, a process that exits with status 0 stays
 * down. Celery 5.2 exits 0 after any shutdown, also one that supervisor did not ask for (a remote
 * `celery control shutdown`, a signal from elsewhere), so the worker or beat is simply gone.
 */
export const celeryAutorestartNotTrue: Rule = {
  code: 'celery-autorestart-not-true',
  defaultSeverity: 'information',
  summary: 'A Celery worker or beat without autorestart=true stays down after it exits with status 0.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    for (let i = 0; i < deployment.celeryPrograms.length; i++) {
      const p = deployment.celeryPrograms[i];
      const sub = p.celery.subcommand;
      if (sub !== 'worker' && sub !== 'beat') continue;
      const entry = p.get('autorestart');
      const value = entry ? lowerCase(entry.value.trim()) : 'unexpected';
      if (value !== 'unexpected' && parseBoolean(value) !== false) continue; // true, or not readable here
      const what = sub === 'worker' ? `Worker '${p.name}'` : `Beat '${p.name}'`;
      const message =
        value === 'unexpected'
          ? `${what} ${entry ? `has autorestart=${entry.value}${fromElsewhere(p, entry)}` : 'has no autorestart (default unexpected)'}: supervisor restarts it only after an unexpected exit code, and Celery exits with 0 after any shutdown, even one supervisor did not ask for (such as celery control shutdown). Set autorestart=true so it always comes back.`
          : `${what} has autorestart=${entry!.value}${fromElsewhere(p, entry)}: once it exits for any reason, supervisor leaves it stopped. Set autorestart=true so it always comes back (celery's sample config and the Alliance Auth template do).`;
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: 'information',
            message,
            range: keyAnchor(doc, p, 'autorestart'),
          },
          () => [{ title: 'Set autorestart=true', edits: setKey(doc, p, 'autorestart', 'true'), isPreferred: true }],
        ),
      );
    }
    return findings;
  },
};
