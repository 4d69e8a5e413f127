import type { Finding, Fix, Rule } from '../rule';
import type { Deployment } from '../../deployment';
import type { WrapperWord } from '../../command/invocation';
import { insertAt, spanRange } from '../../commandEdits';
import { booleanKey } from './programKeys';
import { signalName } from './stopSignal';

/**
 * A Celery program started from a shell script that keeps Celery as its child (`sh -c "cd /srv && celery
 * ..."`): supervisor signals the shell, which dies on TERM while Celery runs on without supervisor. With
 * stopasgroup=true the signal reaches the whole group, Celery included, so that is left alone. The same
 * for a wrapper that runs Celery as its child and does not pass the signal on (flock without -F).
 */
export const celeryShellWithoutExec: Rule = {
  code: 'celery-shell-without-exec',
  defaultSeverity: 'warning',
  summary: 'Celery started from a shell script without exec (sh -c "cd /srv && celery ...") or under flock without -F: supervisor stops the shell or flock, and Celery runs on without it.',
  check({ deployment }) {
    const findings: Finding[] = [];
    for (const p of deployment.celeryPrograms) {
      const c = p.celery;
      if (c.subcommand === 'multi' || booleanKey(p, 'stopasgroup', false) === true) continue;
      const dropping = c.wrapperWords?.find((w) => w.signals === 'drops');
      if (dropping) findings.push(wrapperFinding(this.code, p, dropping));
      if (!c.shellWaits) continue;
      // `trap 'kill -TERM $child' TERM`: the script passes the stop signal on itself.
      const stop = signalName(p.get('stopsignal')?.value ?? 'TERM');
      if (stop !== undefined && c.shellTraps?.includes(stop)) continue;
      const shell = c.shell === 'bash' ? 'bash runs Celery as its child here (it replaces itself only with the last command of a script, and not when that has a redirection, a pipe or &)' : `${c.shell} runs Celery as its child (dash, Debian's and Ubuntu's sh, does so for every command)`;
      const after = c.subcommand === 'worker' ? `the worker goes on taking tasks, and a restart starts a second one next to it` : `it goes on running, and a restart starts a second one next to it`;
      const fixes: Fix[] =
        c.execAt === undefined ? [] : [{ title: 'Write exec before the command, so the shell becomes Celery', edits: [insertAt(p.command, c.execAt, 'exec ')], isPreferred: true }];
      if (c.shellDetaches) {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `The shell of '${p.name}' starts Celery in the background (&) and exits without waiting for it: supervisor sees '${p.name}' exit at once and starts it again (or gives up, FATAL), and each start leaves another Celery running outside supervisor, which can neither stop nor watch it. Drop the &, write exec before the Celery command and make it the last command of the script, so that the shell replaces itself with Celery.`,
          range: spanRange(p.command, c.executableStart, c.executableEnd),
          fixes: [],
        });
        continue;
      }
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `supervisor sends its stop signal to the shell of '${p.name}', not to Celery: ${shell} and waits, so on TERM the shell exits and Celery runs on without supervisor. supervisorctl stop reports '${p.name}' stopped while ${after}. Write exec before the Celery command${c.execAt === undefined ? ' and make it the last command of the script' : ''}, so that the shell replaces itself with Celery and the signal reaches it.`,
        range: spanRange(p.command, c.executableStart, c.executableEnd),
        fixes,
      });
    }
    return findings;
  },
};

/**
 * flock without -F forks, runs Celery as its child and waits; supervisor's stop signal kills flock (it
 * handles none of TERM, INT, QUIT, HUP), and Celery runs on (checked with util-linux 2.38). -F
 * (--no-fork, util-linux 2.38 and later) makes flock replace itself with Celery, which keeps the lock.
 */
function wrapperFinding(code: string, p: Deployment['celeryPrograms'][number], w: WrapperWord): Finding {
  const after = p.celery.subcommand === 'worker' ? 'the worker goes on taking tasks, and a restart starts a second one next to it (which then waits for the lock, or with -n exits at once)' : 'it goes on running, and a restart starts a second one next to it';
  return {
    code,
    severity: 'warning',
    message: `supervisor sends its stop signal to flock, not to Celery: flock runs '${p.name}' as its child and waits, and on TERM flock exits without passing the signal on, so Celery runs on without supervisor, still holding the lock. supervisorctl stop reports '${p.name}' stopped while ${after}. Write flock -F (--no-fork, util-linux 2.38 and later), so that flock replaces itself with Celery and the signal reaches it.`,
    range: spanRange(p.command, w.start, w.end),
    fixes: [{ title: 'Write flock -F, so flock becomes Celery (util-linux 2.38 and later)', edits: [insertAt(p.command, w.end, ' -F')], isPreferred: false, safeForFixAll: false }],
  };
}
