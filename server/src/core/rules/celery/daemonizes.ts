import type { Finding, Rule } from '../rule';
import { optionRange, spanRange, subcommandRange } from '../../commandEdits';
import { removeOptionEdits } from './commandLine';

/**
 * supervisor manages programs that stay in the foreground. `celery worker -D/--detach`,
 * `celery beat --detach` and `celery multi` fork into the background and exit: supervisor sees the
 * exit, restarts the program, and loses track of the daemon it started.
 */
export const celeryDaemonizes: Rule = {
  code: 'celery-daemonizes',
  defaultSeverity: 'warning',
  summary: 'Celery started in the background (-D/--detach, celery multi) under supervisor, which needs a foreground process.',
  check(ctx) {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.deployment.celeryPrograms.length; i++) {
      const p = ctx.deployment.celeryPrograms[i];
      const c = p.celery;
      if (c.subcommand === 'multi') {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `celery multi starts its workers in the background and exits, so supervisor sees '${p.name}' exit: depending on autorestart and startsecs it starts it again (each start leaves more background workers) or reports it as exited, and it cannot stop or watch the workers left behind. Run one 'celery -A proj worker' in this program instead (in the foreground) and use numprocs for more copies.`,
          range: c.legacyExecutable ? spanRange(p.command, c.executableStart, c.executableEnd) : c.managePy && c.subcommandStart === undefined ? spanRange(p.command, c.managePy.start, c.managePy.end) : subcommandRange(p.command, c),
          fixes: [],
        });
        continue;
      }
      if (c.subcommand !== 'worker' && c.subcommand !== 'beat') continue;
      for (let j = 0; j < c.options.length; j++) {
        const o = c.options[j];
        if (o.name !== '--detach' || !o.known || o.unexpectedValue) continue;
        const removal = removeOptionEdits(ctx.doc, p, o);
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `${o.spelling} makes the ${c.subcommand} fork into the background and exit. supervisor needs the program in the foreground: it sees '${p.name}' exit and, depending on autorestart and startsecs, starts it again (each start leaves another detached copy) or reports it as exited; either way it cannot stop or watch the detached copy. Remove ${o.spelling}.`,
          range: optionRange(p.command, o),
          fixes: removal ? [{ title: `Remove ${o.spelling}`, edits: removal, isPreferred: true }] : [],
        });
      }
    }
    return findings;
  },
};
