import type { Deployment, ProgramView } from '../../deployment';
import type { Finding, Fix, Rule } from '../rule';
import { celeryWorkers } from '../celery/workers';
import { deploymentSectionValue } from '../memmon/servers';
import { keyAnchor, setKey } from './programKeys';
import { environmentKeys } from '../celery/commandLine';

/** Wrappers that start the worker as another user, in front of celery or inside a `sh -c` script. */
const DROPS_PRIVILEGES = /(^|[\s;&|("'])(sudo|su|gosu|su-exec|runuser|setuidgid|s6-setuidgid|chpst|setpriv)(\s|$)/;
const EXPANSION = '%(';

/** supervisor's name_to_uid: a user name or a numeric uid. */
function isRoot(user: string): boolean {
  return user === 'root' || /^0+$/.test(user);
}

/**
 * The user supervisord runs as: its [supervisord] user= (it drops to that user at start; the last one
 * supervisor reads, in whichever file), '' when none is set (supervisord then keeps the user it was
 * started as: root for the Debian and RHEL services), undefined when the value cannot be read here.
 */
function supervisordUser(deployment: Deployment): string | undefined {
  const user = deploymentSectionValue(deployment, 'supervisord', 'user')?.value.trim();
  if (user === undefined) return '';
  return user.includes(EXPANSION) ? undefined : user;
}

/** The user= most programs of this file run as (not root, not an expansion): the service account to suggest. */
function commonUser(deployment: Deployment): string | undefined {
  const counts = new Map<string, number>();
  for (const p of deployment.programs) {
    const user = p.get('user')?.value.trim();
    if (user && !isRoot(user) && !user.includes(EXPANSION) && !/\s/.test(user)) counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The owner of the /home folder the worker runs from (the Alliance Auth layout: /home/allianceserver/venv/auth/bin/celery). */
function homeOwner(worker: ProgramView): string | undefined {
  for (const key of ['command', 'directory']) {
    const home = /(?:^|[\s=:"'])\/home\/([a-z_][a-z0-9_-]*)\//.exec(worker.get(key)?.value ?? '');
    if (home) return home[1];
  }
  return undefined;
}

/**
 * Celery checks at start whether the worker runs with root privileges (celery/platforms.py
 * check_privileges): it warns, and refuses to start when it accepts pickle messages. Under supervisor a
 * worker runs as root when it has no user= and supervisord itself runs as root, or with user=root.
 */
export const celeryRunsAsRoot: Rule = {
  code: 'celery-runs-as-root',
  defaultSeverity: 'warning',
  summary: "A Celery worker that runs as root (no user= while supervisord runs as root, or user=root): Celery warns, and refuses to start when it accepts pickle.",
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const workers = celeryWorkers(deployment);
    if (!workers.length) return findings;
    const daemonUser = supervisordUser(deployment);
    let common: string | undefined | null = null; // null: not looked for yet
    for (const p of workers) {
      const written = p.get('user')?.value.trim();
      const user = written || daemonUser;
      if (user === undefined || user.includes(EXPANSION)) continue;
      if (user !== '' && !isRoot(user)) continue;
      if (p.celery.wrappers?.some((w) => w === 'sudo' || w === 'setuidgid') || DROPS_PRIVILEGES.test(p.command.value)) continue;
      // --uid: the worker drops to that user itself before the check (checked by running Celery 5.2.6 as root).
      const uid = p.celery.get('--uid')?.value?.trim();
      if (uid && !isRoot(uid)) continue;
      if (common === null) common = commonUser(deployment);
      const account = common ?? homeOwner(p);
      const fixes: Fix[] = account
        ? [{ title: `Run '${p.name}' as ${account} (user=${account})`, edits: setKey(doc, p, 'user', account), isPreferred: true, safeForFixAll: false }]
        : [];
      const why = written
        ? `user=${written} runs it as root`
        : daemonUser === ''
          ? `it has no user=, so it runs as the user supervisord runs as: root, unless supervisord was started as another user (${deployment.isMainFile || deployment.external ? '[supervisord] sets no user=' : 'the main config is not known here'})`
          : `it has no user= and [supervisord] user=${daemonUser} is root`;
      // C_FORCE_ROOT in the worker's environment lifts the pickle refusal (celery/platforms.py), not the warning.
      const forced = environmentKeys(deployment, p).has('C_FORCE_ROOT');
      findings.push({
        code: this.code,
        severity: 'warning',
        message:
          `Celery worker '${p.name}' runs as root: ${why}. Celery warns "You're running the worker with superuser privileges: this is absolutely not recommended!" ` +
          `${forced ? 'and, with C_FORCE_ROOT set, starts even when it accepts pickle messages' : 'and refuses to start if it accepts pickle messages'}; every task runs with root's rights. ${account ? `Set user=${account} (or another service account).` : 'Set user= to a service account (the Alliance Auth guide uses user=allianceserver).'}`,
        range: keyAnchor(doc, p, 'user'),
        fixes,
      });
    }
    return findings;
  },
};
