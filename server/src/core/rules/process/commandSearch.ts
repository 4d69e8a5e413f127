/**
 * How supervisor finds a command written without a folder (`command=celery ...`; process.py
 * get_execv_args): the first folder of a PATH that has something of that name. That PATH is the
 * program's environment= PATH, else [supervisord] environment= PATH, else supervisord's own
 * (options.py get_path): under systemd a short list that holds no virtualenv, the usual reason
 * for "can't find command 'celery'".
 */
import type { Finding, RuleContext } from '../rule';
import type { Entry } from '../../model/document';
import type { Deployment, ProgramView } from '../../deployment';
import type { MachineView } from '../../machine';
import { splitArgv } from '../../command/argv';
import { replaceSpan, spanRange } from '../../commandEdits';
import { joinPath } from '../../include';
import { deploymentSectionValue } from '../memmon/servers';
import { environmentPairs } from './environment';

export interface SearchedPath {
  dirs: readonly string[];
  /** Where this PATH comes from, for the message: "the PATH its environment= sets". */
  source: string;
}

/**
 * The PATH supervisor searches for `name` and the first path in it where something is, or undefined
 * where that cannot be known here (a PATH with expansions, or a relative folder reached before a hit).
 */
export function searchFor(deployment: Deployment, p: ProgramView, name: string, machine: MachineView): { path: SearchedPath; found?: string } | undefined {
  const path = searchPathOf(deployment, p, machine);
  if (!path) return undefined;
  for (const dir of path.dirs) {
    // Relative to supervisord's working directory (an empty entry too): not ours to know.
    if (!dir.startsWith('/')) return undefined;
    const candidate = joinPath(dir, name);
    if (machine.kind(candidate) !== 'missing') return { path, found: candidate };
  }
  return { path };
}

function searchPathOf(deployment: Deployment, p: ProgramView, machine: MachineView): SearchedPath | undefined {
  const own = environmentPairs(p.get('environment')?.value ?? '').get('PATH');
  const set = own ?? environmentPairs(deploymentSectionValue(deployment, 'supervisord', 'environment')?.value ?? '').get('PATH');
  if (set !== undefined) {
    if (set.includes('%')) return undefined;
    return { dirs: set.split(':'), source: own !== undefined ? 'the PATH its environment= sets' : 'the PATH [supervisord] environment= sets' };
  }
  const daemon = machine.supervisordPath();
  return { dirs: daemon.dirs, source: daemon.from === 'running' ? 'the PATH of the supervisord running here' : 'the PATH systemd gives supervisord as a service' };
}

/** A command supervisor does not find on its PATH, with the program's full path where this file suggests one. */
export function notOnPath(ctx: RuleContext, code: string, p: ProgramView, command: Entry, word: { path: string; start: number; end: number; written: boolean }, searched: SearchedPath): Finding {
  const guesses = fullPathGuesses(ctx.deployment, p, word.path, ctx.machine!);
  const hint = guesses.length ? ` Did you mean ${guesses.join(' or ')}?` : '';
  return {
    code,
    severity: 'warning',
    message:
      `'${p.name}' cannot start on this machine: supervisor says "can't find command '${word.path}'" and marks it FATAL after startretries. ` +
      `It looks only in ${searched.source} (${searched.dirs.join(':')}): write the program's full path.${hint}`,
    range: spanRange(command, word.start, word.end),
    // The fix replaces the word as written: not one that expansions made.
    fixes: (word.written ? guesses : []).map((full) => ({
      title: `Use ${full}`,
      edits: [...replaceSpan(command, word.start, word.end, full)],
      isPreferred: guesses.length === 1,
      safeForFixAll: false,
    })),
  };
}

/** Characters a path may have to stand unquoted in a command (no space, quote or %). */
const UNQUOTED_PATH = /^[\w/.+@-]+$/;

/**
 * Where the program likely is: the folders of the other programs' commands (gunicorn and celery
 * from one virtualenv) and the usual virtualenvs in the program's directory=; only those that have it.
 */
function fullPathGuesses(deployment: Deployment, p: ProgramView, name: string, machine: MachineView): string[] {
  const dirs = new Set<string>();
  for (const other of deployment.programs) {
    const first = other.command && splitArgv(other.command.value).tokens[0]?.text;
    if (first?.startsWith('/')) dirs.add(first.slice(0, first.lastIndexOf('/')) || '/');
  }
  const directory = p.get('directory')?.value.trim();
  if (directory?.startsWith('/')) for (const venv of ['venv', '.venv', 'env']) dirs.add(joinPath(directory, `${venv}/bin`));
  const found: string[] = [];
  for (const dir of dirs) {
    const full = joinPath(dir, name);
    if (found.length < 3 && UNQUOTED_PATH.test(full) && machine.kind(full) === 'executable') found.push(full);
  }
  return found;
}
