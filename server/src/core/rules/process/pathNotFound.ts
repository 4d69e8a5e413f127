import type { Finding, Rule, RuleContext } from '../rule';
import type { Entry } from '../../model/document';
import type { ProgramView } from '../../deployment';
import { partlyHere, type MachineView, type PathKind } from '../../machine';
import { searchFor, notOnPath } from './commandSearch';
import { splitArgv } from '../../command/argv';
import { replaceSpan, spanRange } from '../../commandEdits';
import { closest } from '../schema/util';
import { dirname, joinPath } from '../../include';
import { expandTemplate } from '../../model/percent';
import { entryHere, processExpansions } from './programKeys';
import { detectTemplate } from '../schema/template';

/**
 * A program whose command names a file that is not there (or not executable), or whose directory= is
 * not a folder, never starts: supervisor logs "spawnerr: can't find command '...'" (or "couldn't chdir
 * to ...") and gives up after startretries (FATAL). Only with a view of the machine supervisord runs
 * on (machine.ts). A missing path is reported only when part of it exists there, below the top level:
 * `/home/app/venv/bin/celry` where /home/app exists, not `/home/someone-else/...` from another machine.
 * A command without a folder is looked for on the PATH supervisor searches (commandSearch.ts).
 */
export const pathNotFound: Rule = {
  code: 'path-not-found',
  defaultSeverity: 'warning',
  summary:
    "A command's program (a full path, or a name on the PATH supervisord searches) or a directory= that is not on this machine, or not executable (checked only where supervisord runs, see supervisor.machineChecks): the process never starts.",
  judges: (ctx) => !!ctx.machine && !detectTemplate(ctx.doc),
  check(ctx) {
    const machine = ctx.machine;
    // A template's paths are placeholders until it is rendered (template-file says so).
    if (!machine || detectTemplate(ctx.doc)) return [];
    const findings: Finding[] = [];
    const here = ctx.file === undefined ? undefined : dirname(ctx.file);
    for (const p of ctx.deployment.programs) {
      if (p.numprocs < 1) continue;
      const names = processExpansions(p, here);
      const command = p.command;
      const program = command && names && firstWord(command.value, names);
      if (command && program?.path.startsWith('/')) {
        const kind = machine.kind(program.path);
        const problem = problemOf(program.path, kind);
        if (problem && (kind !== 'missing' || partlyHere(machine, program.path))) {
          findings.push(finding(ctx, this.code, p, command, program, problem, kind === 'missing' ? 'executable' : undefined));
        }
      } else if (command && program && !program.path.includes('/')) {
        const searched = searchFor(ctx.deployment, p, program.path, machine);
        if (searched?.found === undefined) {
          if (searched) findings.push(notOnPath(ctx, this.code, p, command, program, searched.path));
        } else {
          const problem = problemOf(searched.found, machine.kind(searched.found));
          if (problem) findings.push(finding(ctx, this.code, p, command, program, problem, undefined));
        }
      }
      // Not another file's [DEFAULT] directory=: the finding and its fix would be about that file's line.
      const directory = entryHere(p, 'directory');
      const dir = directory && names && wholeValue(directory.value, names);
      if (directory && dir) {
        const kind = machine.kind(dir.path);
        if (kind !== 'dir' && (kind !== 'missing' || partlyHere(machine, dir.path))) {
          const problem = `couldn't chdir to ${dir.path}: ${kind === 'missing' ? 'ENOENT' : 'ENOTDIR'}`;
          findings.push(finding(ctx, this.code, p, directory, dir, problem, kind === 'missing' ? 'dir' : undefined));
        }
      }
    }
    return findings;
  },
};

interface PathSpan {
  /** The path supervisor uses: the text, its expansions filled in. */
  path: string;
  start: number;
  end: number;
  /** The path is the text as written (no expansions), so a fix may edit it. */
  written: boolean;
}

/** The text with supervisor's expansions filled in, undefined when it needs a name not known here (ENV_X). */
function expanded(text: string, names: Record<string, string | number>): { path: string; written: boolean } | undefined {
  if (text.includes('\n')) return undefined;
  if (!text.includes('%')) return { path: text, written: true };
  const path = expandTemplate(text, names);
  // `%(here)s/../venv/bin/celery`: the folder it names, for the lookups and the message.
  return path === undefined ? undefined : { path: path.startsWith('/') ? joinPath('/', path) : path, written: false };
}

/** supervisor's complaint about what is at a command's path (check_execv_args), if any. */
function problemOf(path: string, kind: PathKind): string | undefined {
  if (kind === 'missing') return `can't find command '${path}'`;
  if (kind === 'dir') return `command at '${path}' is a directory`;
  if (kind === 'file') return `command at '${path}' is not executable`;
  return undefined;
}

/** The program of a command: its first shlex word, written unquoted, expansions filled in. */
function firstWord(command: string, names: Record<string, string | number>): PathSpan | undefined {
  const first = splitArgv(command).tokens[0];
  if (!first || first.text !== command.slice(first.start, first.end)) return undefined;
  const path = expanded(first.text, names);
  return path && { ...path, start: first.start, end: first.end };
}

/** directory= is used as written, expansions filled in. */
function wholeValue(value: string, names: Record<string, string | number>): PathSpan | undefined {
  const text = value.trim();
  const path = expanded(text, names);
  if (!path?.path.startsWith('/')) return undefined;
  const start = value.indexOf(text);
  return { ...path, start, end: start + text.length };
}

function finding(ctx: RuleContext, code: string, p: ProgramView, entry: Entry, span: PathSpan, problem: string, want: 'executable' | 'dir' | undefined): Finding {
  const guess = want ? nearPath(ctx.machine!, span.path, want) : undefined;
  // The fix edits the path as written: not one that expansions made.
  const fixable = guess && span.written;
  const hint = guess ? ` Did you mean ${guess.path}?` : problem.endsWith('not executable') ? ' Make it executable (chmod +x).' : '';
  return {
    code,
    severity: 'warning',
    message: `'${p.name}' cannot start on this machine: supervisor says "${problem}" and marks it FATAL after startretries.${hint}`,
    range: spanRange(entry, span.start, span.end),
    fixes: fixable
      ? [{ title: `Change ${guess.from} to ${guess.to}`, edits: [...replaceSpan(entry, span.start + guess.at, span.start + guess.at + guess.from.length, guess.to)], isPreferred: true, safeForFixAll: false }]
      : [],
  };
}

/**
 * The path with its first missing part replaced by a near name in the folder above it, when that names
 * what is wanted: a typo in the program (`celry`), or in a folder on the way (`venv/atuh/bin/celery`).
 */
export function nearPath(machine: MachineView, path: string, want: 'executable' | 'dir'): { path: string; at: number; from: string; to: string } | undefined {
  // Up from the end to the deepest folder that exists: the part below it is the first missing one.
  let end = path.length;
  let slash = path.lastIndexOf('/');
  while (slash > 0 && machine.kind(path.slice(0, slash)) === 'missing') {
    end = slash;
    slash = path.lastIndexOf('/', slash - 1);
  }
  const folder = path.slice(0, slash) || '/';
  const from = path.slice(slash + 1, end);
  const last = end === path.length;
  // Only names of the right kind: a program (or folder) for the last part, a folder on the way.
  const names = machine.list(folder)?.filter((n) => machine.kind(joinPath(folder, n)) === (last ? want : 'dir'));
  const to = names && closest(from, names);
  if (!to) return undefined;
  const fixed = `${path.slice(0, slash + 1)}${to}${path.slice(end)}`;
  return machine.kind(fixed) === want ? { path: fixed, at: slash + 1, from, to } : undefined;
}
