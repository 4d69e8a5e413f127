import { withFixesOnDemand, type Finding, type Fix, type Rule } from '../rule';
import type { TextEdit } from '../../model/types';
import type { CeleryProgram } from '../celery/workers';
import { booleanKey, homeSection, insertKeys, keyAnchor, ownEntry, replaceValue } from './programKeys';
import { celeryServices, describe } from './celeryServices';
import { upperCase } from '../../catalog/datatypes';

type Target = 'auto' | 'none' | 'syslog' | 'file';

/** What supervisor does with a *_logfile value (AUTO when the key is absent). */
function targetOf(value: string | undefined): Target {
  if (value === undefined) return 'auto';
  const trimmed = value.trim();
  // Upper-casing can grow a text ('oﬀ' -> 'OFF') and at most halve it: longer texts are file paths.
  if (trimmed.length > 12) return 'file';
  const v = upperCase(trimmed);
  if (v === 'AUTO') return 'auto';
  if (v === 'NONE' || v === 'OFF') return 'none';
  if (v === 'SYSLOG') return 'syslog';
  return 'file';
}

/** `<directory or /var/log>/<program>.log`, per process when there are several. */
function logPathFor(p: CeleryProgram): string {
  const dir = p.get('directory')?.value.trim() ?? '';
  const usable = dir.startsWith('/') && !dir.includes('%') && !/\s/.test(dir);
  const base = usable ? dir.replace(/\/+$/, '') || '' : '/var/log';
  const name = p.name.replace(/%/g, '%%%%');
  return `${base}/${name}${p.numprocs > 1 ? '_%(process_num)02d' : ''}.log`;
}

/**
 * Celery logs to stderr unless given --logfile. supervisor's AUTO log files live in childlogdir and are
 * deleted when supervisord restarts, so a worker whose logs land there loses its history exactly when
 * it would be needed.
 */
export const celeryLogsAuto: Rule = {
  code: 'celery-logs-auto',
  defaultSeverity: 'information',
  summary: 'A Celery program whose logs go only to AUTO log files, which supervisord deletes when it restarts.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const ps = celeryServices(deployment);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      const redirect = booleanKey(p, 'redirect_stderr', false);
      if (redirect === undefined) continue;
      // The stream that carries Celery's log first: most programs send it to a file and stop here,
      // before their command's options are searched for --logfile.
      if (targetOf(p.get(redirect ? 'stdout_logfile' : 'stderr_logfile')?.value) !== 'auto') continue;
      const logfile = p.celery.get('--logfile');
      if (logfile && logfile.value) continue; // Celery writes its own log file
      const stdout = targetOf(p.get('stdout_logfile')?.value);
      if (booleanKey(p, redirect ? 'stdout_syslog' : 'stderr_syslog', false) !== false) continue; // also sent to syslog (or unreadable)
      if (!redirect && stdout === 'auto' && booleanKey(p, 'stdout_syslog', false) !== false) continue;

      const path = logPathFor(p);
      let advice: string;
      let makeFixes: () => Fix[] = () => [];
      if (redirect || stdout === 'auto') {
        // Nothing is kept anywhere: send both streams to one file.
        makeFixes = () => {
          const edits: TextEdit[] = [];
          const add: [string, string][] = [];
          const r = ownEntry(p, 'redirect_stderr');
          if (!redirect) {
            if (r) edits.push(...replaceValue(doc, r, 'true'));
            else add.push(['redirect_stderr', 'true']);
          }
          const o = ownEntry(p, 'stdout_logfile');
          if (o) edits.push(...replaceValue(doc, o, path));
          else add.push(['stdout_logfile', path]);
          if (add.length) edits.push(insertKeys(doc, homeSection(p), add));
          // The path is invented (its folder may not exist on the server): offered, never applied unseen.
          return [{ title: `Log to ${path}${redirect ? '' : ' (redirect_stderr=true)'}`, edits, isPreferred: true, safeForFixAll: false }];
        };
        advice = `Set ${redirect ? '' : 'redirect_stderr=true and '}stdout_logfile to a real file, e.g. ${path}.`;
      } else if (stdout === 'file') {
        // stdout already has a file: let stderr join it.
        makeFixes = () => {
          const r = ownEntry(p, 'redirect_stderr');
          return [
            {
              title: 'Send stderr to the stdout_logfile (redirect_stderr=true)',
              edits: r ? replaceValue(doc, r, 'true') : [insertKeys(doc, homeSection(p), [['redirect_stderr', 'true']])],
              isPreferred: true,
            },
          ];
        };
        advice = `Set redirect_stderr=true so they join stdout_logfile, or set stderr_logfile to a real file.`;
      } else {
        advice = `Set stderr_logfile to a real file (stdout_logfile is ${p.get('stdout_logfile')?.value ?? ''}, so redirect_stderr=true would discard the logs).`;
      }
      const where = redirect ? 'stdout (redirect_stderr=true)' : 'stderr';
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: 'information',
            message: `${describe(p)} logs to ${where}, which supervisor writes to an AUTO log file in childlogdir; AUTO files are deleted when supervisord restarts, so the history is lost. ${advice}`,
            range: keyAnchor(doc, p, redirect ? 'stdout_logfile' : 'stderr_logfile'),
          },
          makeFixes,
        ),
      );
    }
    return findings;
  },
};
