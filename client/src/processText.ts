/**
 * What the process status lenses' commands show and type (processCommands.ts), kept free of `vscode`
 * so plain node tests can check it.
 */

import type { ProcessInfo } from '../../server/src/core/features/processStatus';
import { byGroup, stateCounts, stoppable } from '../../server/src/core/features/processStates';
import { shellWord } from './reloadCommands';

/** A process as the server's lens passes it (supervisor.getAllProcessInfo). */
export type LensProcess = ProcessInfo;

export interface ProcessPick {
  label: string;
  description: string;
  detail: string;
  /** The log file to open. */
  log: string;
  /** `supervisorctl tail -f` for this log, typed into a terminal from the pick's button (with a main config to name). */
  follow?: string;
}

/**
 * One entry per log file of each process (stdout, and stderr when it has its own); a process without a
 * log says so. With the main config, each log can also be followed as it grows (`supervisorctl tail -f`),
 * which an editor showing the file does not do.
 */
export function processPicks(processes: readonly LensProcess[], mainConfig?: string): ProcessPick[] {
  const picks: ProcessPick[] = [];
  for (const p of processes) {
    const description = p.description ? `${p.statename} · ${p.description}` : p.statename;
    const logs = [
      ['stdout', p.stdout_logfile],
      ['stderr', p.stderr_logfile],
    ].filter(([, file]) => file && file !== 'none' && file.startsWith('/'));
    // /dev/stdout and the like: supervisord's own output (a container's log), no file to open.
    const files = logs.filter(([, file]) => !file.startsWith('/dev/'));
    for (const [stream, file] of files) {
      const pick: ProcessPick = { label: files.length > 1 ? `${p.name} (${stream})` : p.name, description, detail: `Open ${file}`, log: file };
      if (mainConfig !== undefined) pick.follow = followCommand(mainConfig, p, stream);
      picks.push(pick);
    }
    if (!files.length) {
      const detail = logs.length ? `Its output goes to ${logs.map(([, file]) => file).join(' and ')}: no file to open` : 'No log file: its output is discarded (or goes to syslog)';
      picks.push({ label: p.name, description, detail, log: '' });
    }
  }
  return picks;
}

export interface GroupPick {
  label: string;
  description: string;
  detail: string;
  group: string;
  processes: LensProcess[];
}

/** One entry per group supervisord runs, in its order, with its processes by state ("1 FATAL, 3 RUNNING"). */
export function groupPicks(processes: readonly LensProcess[]): GroupPick[] {
  return [...byGroup(processes)].map(([group, members]) => {
    const names = members.map((p) => p.name);
    return { label: group, description: stateCounts(members).line, detail: names.length > 6 ? `${names.slice(0, 6).join(', ')}, ...` : names.join(', '), group, processes: members };
  });
}

export interface ControlPick {
  label: string;
  description: string;
  detail: string;
  /** The line to type into the terminal. */
  command: string;
}

/** A program's processes as the status lens passes them, with the names supervisorctl takes for them. */
export interface ControlTarget {
  program: string;
  /** `worker:` (its own group), or group:name for each process. */
  namespecs: readonly string[];
  processes: readonly LensProcess[];
  /** The [group:x] it shares with other programs, if any (`supervisorctl restart myauth:` after a deploy). */
  sharedGroup?: string;
}

/**
 * supervisorctl commands for the program's processes: restart, stop where one runs, start where one
 * does not, and a restart of the whole group it shares. Typed into a terminal, never run: they stop
 * running tasks as the program's stopsignal and stopwaitsecs allow.
 */
export function controlPicks(mainConfig: string, target: ControlTarget): ControlPick[] {
  const running = target.processes.some((p) => stoppable(p.statename));
  const down = target.processes.some((p) => !stoppable(p.statename) && p.statename !== 'STOPPING');
  const picks: [verb: string, icon: string, description: string][] = [['restart', 'debug-restart', 'stop as stopsignal and stopwaitsecs say, then start']];
  if (running) picks.push(['stop', 'debug-stop', 'running tasks get stopwaitsecs to finish']);
  if (down) picks.push(['start', 'play', '']);
  const line = (verb: string, namespecs: readonly string[]) => `supervisorctl -c ${shellWord(mainConfig)} ${verb} ${namespecs.map(shellWord).join(' ')}`;
  const controls = picks.map(([verb, icon, description]) => {
    const command = line(verb, target.namespecs);
    return { label: `$(${icon}) ${verb[0].toUpperCase()}${verb.slice(1)} ${target.program}`, description, detail: command, command };
  });
  if (target.sharedGroup !== undefined) {
    const command = line('restart', [`${target.sharedGroup}:`]);
    controls.push({ label: `$(debug-restart) Restart group ${target.sharedGroup}`, description: 'every program of the group, as after a deploy', detail: command, command });
  }
  return controls;
}

/**
 * `supervisorctl tail -f group:name [stderr]`: supervisord sends the end of the log and then what the
 * process writes, across rotations, until Ctrl+C.
 */
export function followCommand(mainConfig: string, process: Pick<LensProcess, 'group' | 'name'>, stream: string): string {
  const line = `supervisorctl -c ${shellWord(mainConfig)} tail -f ${shellWord(`${process.group}:${process.name}`)}`;
  return stream === 'stderr' ? `${line} stderr` : line;
}

/**
 * `supervisorctl update` for one group of the config: rereads the config, then adds, removes or
 * restarts that group only if its configuration changed. No sudo: the lens that offers it was drawn
 * from supervisord's socket, which this user can reach.
 */
export function updateCommand(mainConfig: string, group: string): string {
  return `supervisorctl -c ${shellWord(mainConfig)} update ${shellWord(group)}`;
}
