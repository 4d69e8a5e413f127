/**
 * The process status lenses of a document (core/features/processStatus.ts) as LSP code lenses: asked
 * of the supervisord that reads the document's deployment, when one runs here and lets us in.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { Analysis } from './core/analyze';
import { processStatusLenses, rpcTargetOf, type LiveState, type RpcTarget } from './core/features/processStatus';
import { needsAttention, stateCounts } from './core/features/processStates';
import { dirname } from './core/include';
import type { SupervisordStatus } from './supervisordStatus';
import { APPLY_CONFIG_COMMAND, SHOW_PROCESSES_COMMAND, type ProcessesInfo } from './protocol';
import type { SupervisorDocument } from './core/model/document';

/** The deployment's main config: this file, or the one that includes it (undefined when not known). */
function mainOf(analysis: Analysis, file: string): { path: string; doc: SupervisorDocument } | undefined {
  const external = analysis.deployment.external;
  if (analysis.deployment.isMainFile) return { path: file, doc: analysis.doc };
  const main = external?.mainFile === undefined ? undefined : external.files.find((f) => f.path === external.mainFile);
  return main && { path: main.path, doc: main.doc };
}

/** The deployment's main config and where supervisorctl would reach the supervisord that runs it. */
function supervisordOf(analysis: Analysis, file: string): { main: { path: string; doc: SupervisorDocument }; target: RpcTarget } | undefined {
  const main = mainOf(analysis, file);
  const target = main && rpcTargetOf(main.doc, main.path);
  return main && target && { main, target };
}

/** Whether the document's deployment names a supervisord to ask (its main config is known and has a server section). */
export function hasSupervisordToAsk(analysis: Analysis, file: string): boolean {
  return supervisordOf(analysis, file) !== undefined;
}

/** What the supervisord that runs the document's deployment says, with that deployment's main config; undefined where none answers. */
async function liveStateOf(analysis: Analysis, file: string, status: SupervisordStatus): Promise<{ main: { path: string }; live: LiveState } | undefined> {
  const asked = supervisordOf(analysis, file);
  const live = asked && (await status.stateOf(asked.main.path, asked.target));
  return asked && live ? { main: asked.main, live } : undefined;
}

export async function liveLenses(analysis: Analysis, file: string, status: SupervisordStatus): Promise<CodeLens[]> {
  const state = await liveStateOf(analysis, file, status);
  if (!state) return [];
  const { main, live } = state;
  return processStatusLenses(analysis.doc, analysis.deployment, dirname(analysis.readAs ?? file), live).map((l) => ({
    range: l.range,
    command:
      l.action.kind === 'processes'
        ? { title: l.title, command: SHOW_PROCESSES_COMMAND, arguments: [{ program: l.action.program, processes: l.action.processes, namespecs: l.action.namespecs, sharedGroup: l.action.sharedGroup, mainConfig: main.path }] }
        : { title: l.title, command: APPLY_CONFIG_COMMAND, arguments: [{ program: l.action.program, group: l.action.group, mainConfig: main.path, file }] },
  }));
}

/**
 * One line for the language status about the supervisord that runs the document's deployment here:
 * its processes by state, or, where a supervisord on this machine should read that main config
 * (`isLive`), why it could not be asked. Undefined for a config no supervisord here reads.
 */
export async function supervisordLine(
  analysis: Analysis,
  file: string,
  status: SupervisordStatus,
  isLive: (mainPath: string) => boolean,
): Promise<{ text: string; state: 'running' | 'trouble' | 'unreachable' } | undefined> {
  const asked = supervisordOf(analysis, file);
  if (!asked) return undefined;
  const { main, target } = asked;
  const answer = await status.answerOf(main.path, target);
  if (answer.live) {
    const processes = answer.live.processes;
    return { text: processes.length ? stateCounts(processes).line : 'no processes', state: processes.some((p) => needsAttention(p.statename)) ? 'trouble' : 'running' };
  }
  return isLive(main.path) ? { text: answer.problem, state: 'unreachable' } : undefined;
}

/** Every process of the supervisord that runs the document's deployment, with that deployment's main config. */
export async function supervisordProcesses(analysis: Analysis, file: string, status: SupervisordStatus): Promise<ProcessesInfo | null> {
  const state = await liveStateOf(analysis, file, status);
  return state ? { mainConfig: state.main.path, processes: state.live.processes } : null;
}
