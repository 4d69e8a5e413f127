import { withFixesOnDemand, type Finding, type Rule } from '../rule';
import { fromElsewhere, keyAnchor, parseInteger, setKey } from './programKeys';
import { celeryServices, describe } from './celeryServices';

const DEFAULT_STARTSECS = 1;
/** celery's sample configs and the Alliance Auth template. */
const RECOMMENDED = 10;

/**
 * A Celery program takes a few seconds to import the app and reach the broker. With startsecs=1 a
 * program that dies on startup (broker down, import error) already counts as RUNNING, so supervisor
 * restarts it forever instead of giving up after startretries and marking it FATAL.
 */
export const celeryStartsecsShort: Rule = {
  code: 'celery-startsecs-short',
  defaultSeverity: 'information',
  summary: 'A Celery program with startsecs below 10: a crash during startup is not noticed as a failed start.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const ps = celeryServices(deployment);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      const written = p.get('startsecs');
      const secs = written ? parseInteger(written.value) : DEFAULT_STARTSECS;
      if (secs === undefined || secs >= RECOMMENDED) continue;
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: 'information',
            message: `${describe(p)} ${written ? `has startsecs=${written.value}${fromElsewhere(p, written)}` : `has no startsecs (default ${DEFAULT_STARTSECS})`}: a start counts as successful after ${secs} s, before Celery has loaded the app and reached the broker, so a program that crashes on startup is restarted endlessly instead of ending FATAL after startretries. Set startsecs=${RECOMMENDED}.`,
            range: keyAnchor(doc, p, 'startsecs'),
          },
          () => [{ title: `Set startsecs=${RECOMMENDED}`, edits: setKey(doc, p, 'startsecs', String(RECOMMENDED)), isPreferred: true }],
        ),
      );
    }
    return findings;
  },
};
