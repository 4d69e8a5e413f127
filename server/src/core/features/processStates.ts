/**
 * supervisord's process states, and processes by state or group, as the status lenses, the language
 * status and the process list read them. Kept apart from processStatus.ts so that the VS Code client
 * can use it without the catalogue.
 */

import type { ProcessInfo } from './processStatus';

/** The worst first: the state a line about several processes leads with. */
const STATE_ORDER = ['FATAL', 'BACKOFF', 'EXITED', 'UNKNOWN', 'STOPPING', 'STARTING', 'STOPPED', 'RUNNING'];

/** "1 FATAL, 3 RUNNING": how many processes are in each state, the worst first. */
export function stateCounts(processes: readonly ProcessInfo[]): { line: string; worst: string | undefined } {
  const counts = new Map<string, number>();
  for (const i of processes) counts.set(i.statename, (counts.get(i.statename) ?? 0) + 1);
  const rank = (state: string) => {
    const at = STATE_ORDER.indexOf(state);
    return at < 0 ? STATE_ORDER.length : at;
  };
  const states = [...counts.keys()].sort((a, b) => rank(a) - rank(b));
  return { line: states.map((s) => `${counts.get(s)} ${s}`).join(', '), worst: states[0] };
}

/** A process that should run and does not (STOPPED is someone's choice): the language status asks for attention. */
export function needsAttention(state: string): boolean {
  return state === 'FATAL' || state === 'BACKOFF' || state === 'EXITED' || state === 'UNKNOWN';
}

/** A process that ended on its own: the end of its log often says why (a traceback's last line). */
export function exitedOnItsOwn(state: string): boolean {
  return state === 'FATAL' || state === 'BACKOFF' || state === 'EXITED';
}

/** A process `supervisorctl stop` stops (it refuses the others: not running). */
export function stoppable(state: string): boolean {
  return state === 'RUNNING' || state === 'STARTING' || state === 'BACKOFF';
}

/** Items by their group, in the order they come. */
export function byGroup<T extends { group: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.group);
    if (list) list.push(item);
    else groups.set(item.group, [item]);
  }
  return groups;
}
