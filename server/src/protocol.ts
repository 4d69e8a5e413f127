/**
 * The server's own requests, shared by the server and the VS Code client (other editors may send them
 * too): the standard protocol has no way to ask which files a document was checked with.
 */
import type { DeploymentSummary } from './core/features/deploymentSummary';
import type { ProcessInfo } from './core/features/processStatus';

/**
 * `supervisor/deployment` {textDocument: {uri}} → DeploymentStatusInfo, or null for a document the
 * server does not have.
 */
export const DEPLOYMENT_REQUEST = 'supervisor/deployment';

export interface DeploymentStatusInfo extends DeploymentSummary {
  /** Commands, directories and accounts are checked against this machine (supervisor.machineChecks). */
  machineChecked: boolean;
  /**
   * For a deployment a supervisord on this machine runs: its processes by state ("1 FATAL, 3 RUNNING"),
   * or why it could not be asked ("no access to /var/run/supervisor.sock").
   */
  supervisord?: string;
  /** With `supervisord`: `running`, `trouble` (a process should run and does not: FATAL, BACKOFF, EXITED, UNKNOWN), or `unreachable`. */
  supervisordState?: 'running' | 'trouble' | 'unreachable';
}

/**
 * `supervisor/processes` {textDocument: {uri}} → ProcessesInfo: every process of the supervisord that
 * runs the document's deployment; null where none here does (or it cannot be asked).
 */
export const PROCESSES_REQUEST = 'supervisor/processes';

export interface ProcessesInfo {
  mainConfig: string;
  processes: ProcessInfo[];
}

export interface DeploymentParams {
  textDocument: { uri: string };
}

export type { DeploymentSummary };

/**
 * Client commands the process status lenses run (VS Code's client implements them; another editor
 * may, or show the lens title alone): `supervisor.showProcesses` (without arguments: the groups of
 * PROCESSES_REQUEST's answer to choose from) {program, processes: ProcessInfo[],
 * namespecs, sharedGroup?, mainConfig} lists a program's processes to open a log or type `supervisorctl
 * -c <mainConfig> restart <namespecs>` (stop, start; `restart <sharedGroup>:`); `supervisor.applyConfig` {program, group, mainConfig,
 * file} offers `supervisorctl update` for the program's group (`file`: the config the lens is in).
 */
export const SHOW_PROCESSES_COMMAND = 'supervisor.showProcesses';
export const APPLY_CONFIG_COMMAND = 'supervisor.applyConfig';
