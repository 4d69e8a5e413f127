/**
 * What the "Supervisor deployment" language status item says about a document: which files it was
 * checked with. Kept free of the VS Code API so that unit tests can read it.
 */
import * as path from 'node:path';
import type { DeploymentStatusInfo, DeploymentSummary } from '../../server/src/protocol';

export interface DeploymentStatus {
  text: string;
  detail: string;
  /** `showFiles`: pick a file of the deployment to open; `setMainConfig`: open the supervisor.mainConfig setting. */
  action?: { title: string; kind: 'showFiles' | 'setMainConfig' };
}

export function deploymentStatus(info: DeploymentSummary & Partial<Pick<DeploymentStatusInfo, 'machineChecked'>>, hasPath: boolean): DeploymentStatus {
  const status = describe(info, hasPath);
  // Why path-not-found and user-not-found speak here and not on a laptop.
  return info.machineChecked ? { ...status, detail: `${status.detail}, checked against this machine` } : status;
}

export interface SupervisordStatus {
  text: string;
  detail: string;
  /** A process should run and does not: the status bar's `{}` shows a warning. */
  warning: boolean;
  /** Its processes can be listed (supervisor.showProcesses). */
  showProcesses: boolean;
}

/**
 * The "supervisord" language status item: what the supervisord that runs the deployment here says of
 * its processes, or why it could not be asked (the process status lenses are then missing); undefined
 * for a config no supervisord here reads.
 */
export function supervisordStatus(info: Pick<DeploymentStatusInfo, 'supervisord' | 'supervisordState'>): SupervisordStatus | undefined {
  if (info.supervisord === undefined) return undefined;
  const reached = info.supervisordState !== 'unreachable';
  return {
    text: `supervisord: ${info.supervisord}`,
    detail: reached ? 'runs this deployment' : 'runs this deployment, but cannot be asked',
    warning: info.supervisordState === 'trouble',
    showProcesses: reached,
  };
}

function describe(summary: DeploymentSummary, hasPath: boolean): DeploymentStatus {
  // The status bar's popup shows text, detail and the action's title on one short line.
  const more = summary.complete ? '' : ', some files not read';
  const showFiles = { title: 'Show Files', kind: 'showFiles' as const };
  if (summary.role === 'main') {
    return { text: `Main config · includes ${plural(summary.files.length - 1, 'file')}`, detail: `checked together${more}`, action: showFiles };
  }
  if (summary.role === 'fragment') {
    const main = summary.mainFile ?? '';
    return { text: `Included by ${path.basename(main)}`, detail: `${path.dirname(main)}${more}`, action: showFiles };
  }
  // Alone with files not read: its [include] names files that could not be read (an environment variable, a folder not ours).
  if (summary.isMainFile) return { text: 'Main config', detail: summary.complete ? 'includes no other file' : 'included files not read' };
  if (!hasPath) return { text: 'Checked alone', detail: 'unsaved file' };
  return { text: 'Checked alone', detail: 'no main config includes it', action: { title: 'Set Main Config', kind: 'setMainConfig' } };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
