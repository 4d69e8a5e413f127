/**
 * Hover over a program's log file path: the file each process writes (after supervisor's expansions)
 * and how much disk it can take with rotation, the question behind a full /var/log.
 */
import type { Entry } from '../model/document';
import type { ProgramView } from '../deployment';
import { parseByteSize, parseInteger } from '../catalog/datatypes';
import { describeBytes } from '../units';
import { keySpec } from '../catalog/keys';
import { isSpecialTarget } from '../rules/process/sharedLogFile';
import { logPathsOf } from './logFileLinks';

const MAX_SHOWN = 4;

/** Markdown for `stdout_logfile=` or `stderr_logfile=` with a path (not AUTO, NONE or syslog), or undefined. */
export function logFileHover(entry: Entry, program: ProgramView): string | undefined {
  const stream = entry.key === 'stdout_logfile' ? 'stdout' : entry.key === 'stderr_logfile' ? 'stderr' : undefined;
  const value = entry.value.trim();
  if (!stream || !value || isSpecialTarget(value) || program.numprocs < 1) return undefined;
  const lines = [`**${entry.key}=${value}**`];
  const files = logPathsOf(program, value, MAX_SHOWN + 1);
  if (files === undefined) lines.push('Its name depends on a value known only on the server.');
  else if (files.length === 1) lines.push(program.numprocs > 1 ? `All ${program.numprocs} processes write ${md(files[0])}.` : `The process writes ${md(files[0])}.`);
  else lines.push(`Each process writes its own file: ${files.slice(0, MAX_SHOWN).map(md).join(', ')}${program.numprocs > MAX_SHOWN ? ', ...' : ''}.`);
  const maxbytesEntry = program.get(`${stream}_logfile_maxbytes`);
  const backupsEntry = program.get(`${stream}_logfile_backups`);
  // Absent, the catalog's defaults (50MB, 10), read as supervisor reads a written value.
  const maxbytes = parseByteSize(maxbytesEntry?.value ?? defaultOf(program, `${stream}_logfile_maxbytes`));
  const backups = parseInteger(backupsEntry?.value ?? defaultOf(program, `${stream}_logfile_backups`));
  if (maxbytes.ok && backups.ok) {
    const origin = (e: Entry | undefined) => {
      const file = e && program.fileOf(e);
      return e ? (file === undefined ? '' : `, from [DEFAULT] in ${file}`) : ', the default';
    };
    lines.push(
      maxbytes.value === 0
        ? `Not rotated (${stream}_logfile_maxbytes=0): the file grows without limit.`
        : `Rotated at ${size(maxbytes.value)} (${stream}_logfile_maxbytes${origin(maxbytesEntry)}), keeping ${backups.value} backup${backups.value === 1 ? '' : 's'} (${stream}_logfile_backups${origin(backupsEntry)}): at most ${size(maxbytes.value * (backups.value + 1))} per file.`,
    );
  }
  return lines.join('\n\n');
}

function defaultOf(program: ProgramView, key: string): string {
  return keySpec(program.kind, key)?.default ?? '';
}

function size(bytes: number): string {
  return describeBytes(bytes).text;
}

function md(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}
