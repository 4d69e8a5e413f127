/**
 * Processes by state, as the status lenses, the language status and the process list say it. Kept
 * apart from processStatus.ts so that the VS Code client can use it without the catalogue.
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
