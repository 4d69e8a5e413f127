import type { Finding, Rule } from '../rule';
import type { Entry } from '../../model/document';
import { partlyHere, type MachineView } from '../../machine';
import { expandTemplate } from '../../model/percent';
import { dirname } from '../../include';
import { replaceSpan } from '../../commandEdits';
import { logPathsOf } from '../../features/logFileLinks';
import { namedFile } from './sharedLogFile';
import { sectionValue } from '../memmon/servers';
import { nearPath } from './pathNotFound';
import { detectTemplate } from '../schema/template';
import { entryHere } from './programKeys';

/** Files of one log value checked: numprocs=200 with %(process_num) in the folder need not mean 200 questions. */
const MAX_PATHS = 20;

/**
 * supervisor checks, when it reads the config, that the folder of every log and pid file exists and
 * that childlogdir= and [supervisord] directory= are folders (existing_dirpath and existing_directory
 * in supervisor/datatypes.py): one that is not makes it refuse the whole file, so `supervisorctl
 * reread` fails and supervisord does not start. A forgotten `mkdir /var/log/celery` is the usual cause.
 * Only with a view of the machine supervisord runs on (machine.ts), like path-not-found.
 */
export const folderNotFound: Rule = {
  code: 'folder-not-found',
  defaultSeverity: 'error',
  summary:
    'A log or pid file whose folder is not on this machine, or a childlogdir= or [supervisord] directory= that is not a folder (checked only where supervisord runs): supervisor refuses the file.',
  judges: (ctx) => !!ctx.machine && !detectTemplate(ctx.doc),
  check(ctx) {
    const machine = ctx.machine;
    // A template's paths are placeholders until it is rendered (template-file says so).
    if (!machine || detectTemplate(ctx.doc)) return [];
    const here = ctx.file === undefined ? undefined : dirname(ctx.file);
    const findings: Finding[] = [];
    for (const program of ctx.deployment.programs) {
      // supervisor reads a program's log paths once per process: with numprocs=0, never.
      if (program.numprocs < 1) continue;
      for (const key of ['stdout_logfile', 'stderr_logfile']) {
        // Not another file's [DEFAULT] path: the finding and its fix would be about that file's line.
        const entry = entryHere(program, key);
        const value = entry && namedFile(entry);
        const paths = value === undefined ? undefined : logPathsOf(program, value, MAX_PATHS, here);
        const missing = paths?.find((p) => folderMissing(machine, dirname(p), p));
        if (missing) findings.push(refused(this.code, machine, entry!, missing, `The directory named as part of the path ${missing} does not exist`, 'file'));
      }
    }
    // [supervisord] is read from the main file only, its repeated sections merged: the last value wins.
    for (const [key, what] of [['logfile', 'file'], ['pidfile', 'file'], ['childlogdir', 'dir'], ['directory', 'dir']] as const) {
      const entry = sectionValue(ctx.doc, 'supervisord', key);
      const value = entry?.value.trim();
      const path = value && expandTemplate(value, here === undefined ? {} : { here });
      if (!entry || !path) continue;
      if (what === 'file' ? folderMissing(machine, dirname(path), path) : folderMissing(machine, path, path)) {
        const message = what === 'file' ? `The directory named as part of the path ${path} does not exist` : `${path} is not an existing directory`;
        findings.push(refused(this.code, machine, entry, path, message, what));
      }
    }
    return findings;
  },
};

/**
 * `folder` is not a folder here (missing, or a file), and the path was written for this machine. Relative
 * and `~` paths are left alone: supervisord resolves them from its own working directory and user.
 */
function folderMissing(machine: MachineView, folder: string, path: string): boolean {
  if (!folder.startsWith('/')) return false;
  const kind = machine.kind(folder);
  if (kind === 'dir' || kind === 'other') return false;
  return kind !== 'missing' || partlyHere(machine, path);
}

function refused(code: string, machine: MachineView, entry: Entry, path: string, said: string, what: 'file' | 'dir'): Finding {
  const folder = what === 'file' ? dirname(path) : path;
  const guess = nearPath(machine, folder, 'dir');
  const hint = guess ? ` Did you mean ${guess.path}?` : ` Create it (mkdir -p ${folder}).`;
  // The fix edits the path as written: not where expansions made it.
  const at = entry.value.includes('%') ? -1 : entry.value.indexOf(path);
  return {
    code,
    severity: 'error',
    message: `supervisor refuses the file: "${said}", so supervisorctl reread fails and supervisord does not start.${hint}`,
    range: entry.valueRange,
    fixes: guess && at >= 0
      ? [{ title: `Change ${guess.from} to ${guess.to}`, edits: [...replaceSpan(entry, at + guess.at, at + guess.at + guess.from.length, guess.to)], isPreferred: true, safeForFixAll: false }]
      : [],
  };
}
