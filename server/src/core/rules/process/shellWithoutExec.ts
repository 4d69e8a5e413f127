import type { Finding, Fix, Rule } from '../rule';
import type { Deployment } from '../../deployment';
import type { WrapperWord } from '../../command/invocation';
import { insertAt, insertOptionWords, spanRange } from '../../commandEdits';
import { booleanKey } from './programKeys';
import { signalName } from './stopSignal';
import { signalStop } from './stopSignalPath';

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
      // The first wrapper or shell on the signal's way that keeps it from Celery (a shell's trap that passes it on counts).
      const stop = signalName(p.get('stopsignal')?.value ?? 'TERM');
      const blocked = signalStop(c, stop);
      if (blocked?.kind === 'drops') findings.push(wrapperFinding(this.code, p, blocked.word, stop));
      if (blocked?.kind !== 'shell') continue;
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
 * A wrapper that keeps Celery as its child and never passes the stop signal on. flock without -F handles
 * none of TERM, INT, QUIT, HUP and dies (checked with util-linux 2.38); -F (--no-fork, util-linux 2.38 and
 * later) makes it replace itself with Celery, which keeps the lock. su and runuser pass on TERM alone and
 * neither pass on nor act on INT, QUIT or HUP (checked). timeout passes on TERM, INT, QUIT and HUP and dies
 * on other signals.
 */
function wrapperFinding(code: string, p: Deployment['celeryPrograms'][number], w: WrapperWord, stop: string | undefined): Finding {
  const range = spanRange(p.command, w.start, w.end);
  if (w.name !== 'flock') {
    const what =
      w.signals === 'kills'
        ? `${w.name} passes on TERM alone and does nothing with ${stop}, so Celery never hears of the stop, and the SIGKILL after stopwaitsecs reaches ${w.name}${booleanKey(p, 'killasgroup', false) === true ? ' and, with killasgroup, Celery without a warm shutdown' : ' only, leaving Celery running without supervisor'}. Use stopsignal=TERM, or drop ${w.name} and set user= in the program (supervisor then starts Celery itself as that user).`
        : `${w.name} dies on ${stop} without passing it on, and Celery runs on without supervisor. Use stopsignal=TERM (timeout passes TERM, INT, QUIT and HUP on), or drop ${w.name}.`;
    const written = p.get('stopsignal')?.value.trim() ?? stop;
    return { code, severity: 'warning', message: `supervisor sends stopsignal=${written} to ${w.name}, which runs '${p.name}' as its child: ${what}`, range, fixes: [] };
  }
  const after = p.celery.subcommand === 'worker' ? 'the worker goes on taking tasks, and a restart starts a second one next to it (which then waits for the lock, or with -n exits at once)' : 'it goes on running, and a restart starts a second one next to it';
  return {
    code,
    severity: 'warning',
    message: `supervisor sends its stop signal to flock, not to Celery: flock runs '${p.name}' as its child and waits, and on TERM flock exits without passing the signal on, so Celery runs on without supervisor, still holding the lock. supervisorctl stop reports '${p.name}' stopped while ${after}. Write flock -F (--no-fork, util-linux 2.38 and later), so that flock replaces itself with Celery and the signal reaches it.`,
    range,
    fixes: [{ title: 'Write flock -F, so flock becomes Celery (util-linux 2.38 and later)', edits: insertOptionWords(p.command, p.celery, w.end, ' -F'), isPreferred: false, safeForFixAll: false }],
  };
}
