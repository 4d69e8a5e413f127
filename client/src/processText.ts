/**
 * What the process status lenses' commands show and type (processCommands.ts), kept free of `vscode`
 * so plain node tests can check it.
 */

import type { ProcessInfo } from '../../server/src/core/features/processStatus';
import { shellWord } from './reloadCommands';

/** A process as the server's lens passes it (supervisor.getAllProcessInfo). */
export type LensProcess = ProcessInfo;

export interface ProcessPick {
  label: string;
  description: string;
  detail: string;
  /** The log file to open. */
  log: string;
}

/** One entry per log file of each process (stdout, and stderr when it has its own); a process without a log says so. */
export function processPicks(processes: readonly LensProcess[]): ProcessPick[] {
  const picks: ProcessPick[] = [];
  for (const p of processes) {
    const description = p.description ? `${p.statename} · ${p.description}` : p.statename;
    const logs = [
      ['stdout', p.stdout_logfile],
      ['stderr', p.stderr_logfile],
    ].filter(([, file]) => file && file !== 'none' && file.startsWith('/'));
    for (const [stream, file] of logs) picks.push({ label: logs.length > 1 ? `${p.name} (${stream})` : p.name, description, detail: `Open ${file}`, log: file });
    if (!logs.length) picks.push({ label: p.name, description, detail: 'No log file: its output is discarded (or goes to syslog)', log: '' });
  }
  return picks;
}

/**
 * `supervisorctl update` for one group of the config: rereads the config, then adds, removes or
 * restarts that group only if its configuration changed. No sudo: the lens that offers it was drawn
 * from supervisord's socket, which this user can reach.
 */
export function updateCommand(mainConfig: string, group: string): string {
  return `supervisorctl -c ${shellWord(mainConfig)} update ${shellWord(group)}`;
}
