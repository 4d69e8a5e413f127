/**
 * The server's own requests, shared by the server and the VS Code client (other editors may send them
 * too): the standard protocol has no way to ask which files a document was checked with.
 */
import type { DeploymentSummary } from './core/features/deploymentSummary';

/**
 * `supervisor/deployment` {textDocument: {uri}} → DeploymentStatusInfo, or null for a document the
 * server does not have.
 */
export const DEPLOYMENT_REQUEST = 'supervisor/deployment';

export interface DeploymentStatusInfo extends DeploymentSummary {
  /** Commands, directories and accounts are checked against this machine (supervisor.machineChecks). */
  machineChecked: boolean;
}

export interface DeploymentParams {
  textDocument: { uri: string };
}

export type { DeploymentSummary };
