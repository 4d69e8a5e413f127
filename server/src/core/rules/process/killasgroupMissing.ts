import { withFixesOnDemand, type Finding, type Rule } from '../rule';
import { PROCESS_POOL, workerFacts } from '../celery/workers';
import { booleanKey, fromElsewhere, keyAnchor, setKey } from './programKeys';
import { unlessOtherPool } from '../celery/commandLine';
import { killedProcess } from './stopSignalPath';

/**
 * A prefork worker is a main process with pool children. When stopwaitsecs runs out supervisor sends
 * SIGKILL, and without killasgroup (or stopasgroup) only the main process gets it.
 */
export const celeryKillasgroupMissing: Rule = {
  code: 'celery-killasgroup-missing',
  defaultSeverity: 'warning',
  summary: 'A prefork Celery worker without killasgroup=true: a SIGKILL after stopwaitsecs can leave its pool processes behind.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const { workers, flags } = workerFacts(deployment);
    for (let i = 0; i < workers.length; i++) {
      if (!(flags[i] & PROCESS_POOL)) continue;
      const p = workers[i];
      const stopAsGroup = booleanKey(p, 'stopasgroup', false);
      const killAsGroup = booleanKey(p, 'killasgroup', stopAsGroup ?? false);
      if (stopAsGroup !== false || killAsGroup !== false) continue; // true, or not readable here
      const written = p.get('killasgroup');
      // A wrapper that stays Celery's parent (sudo, uv run, timeout, flock, su, runuser), or a shell that
      // runs it as its child, is the process supervisor kills. Where the shell's choice is not known, the
      // first such wrapper, as bash 5.2 replaces itself with the script's last command.
      const killed = killedProcess(p.celery);
      const parent = killed ? (killed.kind === 'wrapper' ? killed.word.name : killed.kind === 'shell' ? killed.name : undefined) : p.celery.wrapperWords?.find((w) => w.signals !== 'exec')?.name;
      const left = parent
        ? `supervisor's SIGKILL reaches only ${parent}, which runs Celery as its child, and Celery's main process and its pool processes can be left running without it`
        : `supervisor's SIGKILL reaches only the main process and its pool processes can be left running without it`;
      findings.push(
        withFixesOnDemand(
          unlessOtherPool(
            {
              code: this.code,
              severity: 'warning',
              message: `${written ? `killasgroup=${written.value}${fromElsewhere(p, written)}` : 'killasgroup is not set'} for the prefork worker '${p.name}': if it does not stop within stopwaitsecs, ${left}. Set killasgroup=true (as the Alliance Auth template does).`,
              range: keyAnchor(doc, p, 'killasgroup'),
            },
            p.celery,
          ),
          () => [{ title: 'Set killasgroup=true', edits: setKey(doc, p, 'killasgroup', 'true'), isPreferred: true }],
        ),
      );
    }
    return findings;
  },
};
