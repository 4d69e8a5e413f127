/**
 * What the "Supervisor deployment" language status item says about a document: which files it was
 * checked with. Kept free of the VS Code API so that unit tests can read it.
 */
import * as path from 'node:path';
import type { DeploymentStatusInfo, DeploymentSummary } from '../../server/src/protocol';
import type { UnreadInclude, UnreadReason } from '../../server/src/core/include';

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

/** Why a part of an [include] was not read, as the file list says it (`name`: the %(name)s not expanded). */
const UNREAD_REASONS: Record<UnreadReason, (u: UnreadInclude) => string> = {
  unexpanded: (u) => (u.name ? `%(${u.name})s is not expanded in the editor (supervisord's environment is not known here)` : 'uses an expansion the editor cannot make'),
  unlisted: () => 'folder not found or not readable here',
  unreadable: () => 'file cannot be read',
  limit: () => 'the editor\'s include limits were reached here: later files may be missing',
  outsideWorkspace: () => 'outside the workspace: set supervisor.mainConfig to the main config to read it',
};

export interface UnreadItem {
  /** The file or folder not read, else the pattern. */
  label: string;
  /** Why, with the pattern when the label is a path under it. */
  description: string;
}

/** The parts of the deployment's [include] that were not read, one line each for the file list. */
export function unreadItems(summary: Pick<DeploymentSummary, 'unread'>): UnreadItem[] {
  return (summary.unread ?? []).map((u) => ({
    label: u.path ?? u.pattern,
    description: u.path !== undefined && u.path !== u.pattern ? `${UNREAD_REASONS[u.reason](u)} · files = ${u.pattern}` : UNREAD_REASONS[u.reason](u),
  }));
}

function describe(summary: DeploymentSummary, hasPath: boolean): DeploymentStatus {
  // The status bar's popup shows text, detail and the action's title on one short line: the count
  // here, which parts and why in the file list.
  const unread = summary.unread?.length ?? 0;
  const more = unread ? `, ${plural(unread, 'include')} not read` : summary.complete ? '' : ', some files not read';
  const showFiles = { title: 'Show Files', kind: 'showFiles' as const };
  if (summary.role === 'main') {
    return { text: `Main config · includes ${plural(summary.files.length - 1, 'file')}`, detail: `checked together${more}`, action: showFiles };
  }
  if (summary.role === 'fragment') {
    const main = summary.mainFile ?? '';
    return { text: `Included by ${path.basename(main)}`, detail: `${path.dirname(main)}${more}`, action: showFiles };
  }
  // Alone with files not read: its [include] names files that could not be read (an environment variable, a folder not ours).
  if (summary.isMainFile) {
    if (unread) return { text: 'Main config', detail: `${plural(unread, 'include')} not read`, action: showFiles };
    return { text: 'Main config', detail: summary.complete ? 'includes no other file' : 'included files not read' };
  }
  if (!hasPath) return { text: 'Checked alone', detail: 'unsaved file' };
  return { text: 'Checked alone', detail: 'no main config includes it', action: { title: 'Set Main Config', kind: 'setMainConfig' } };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
