import type { Finding, Rule, RuleContext } from '../rule';
import type { Entry } from '../../model/document';
import type { ProgramView } from '../../deployment';
import type { DiskView } from '../../disk';
import { splitArgv } from '../../command/argv';
import { replaceSpan, spanRange } from '../../commandEdits';
import { closest } from '../schema/util';

/**
 * A program whose command names a file that is not there (or not executable), or whose directory= is
 * not a folder, never starts: supervisor logs "spawnerr: can't find command '...'" (or "couldn't chdir
 * to ...") and gives up after startretries (FATAL). Only with a view of the machine supervisord runs
 * on (disk.ts). A missing path is reported only when part of it exists there, below the top level:
 * `/home/app/venv/bin/celry` where /home/app exists, not `/home/someone-else/...` from another machine.
 */
export const pathNotFound: Rule = {
  code: 'path-not-found',
  defaultSeverity: 'warning',
  summary:
    "A command's program or a directory= that is not on this machine, or not executable (checked only where supervisord runs, see supervisor.checkPaths): the process never starts.",
  check(ctx) {
    const disk = ctx.disk;
    if (!disk) return [];
    const findings: Finding[] = [];
    for (const p of ctx.deployment.programs) {
      if (p.numprocs < 1) continue;
      const command = p.command;
      const program = command && firstWord(command.value);
      if (command && program) {
        const kind = disk.kind(program.path);
        const problem =
          kind === 'missing'
            ? `can't find command '${program.path}'`
            : kind === 'dir'
              ? `command at '${program.path}' is a directory`
              : kind === 'file'
                ? `command at '${program.path}' is not executable`
                : undefined;
        if (problem && (kind !== 'missing' || partlyThere(disk, program.path))) {
          findings.push(finding(ctx, this.code, p, command, program, problem, kind === 'missing' ? 'executable' : undefined));
        }
      }
      const directory = p.get('directory');
      const dir = directory && wholeValue(directory.value);
      if (directory && dir) {
        const kind = disk.kind(dir.path);
        if (kind !== 'dir' && (kind !== 'missing' || partlyThere(disk, dir.path))) {
          const problem = `couldn't chdir to ${dir.path}: ${kind === 'missing' ? 'ENOENT' : 'ENOTDIR'}`;
          findings.push(finding(ctx, this.code, p, directory, dir, problem, kind === 'missing' ? 'dir' : undefined));
        }
      }
    }
    return findings;
  },
};

interface PathSpan {
  path: string;
  start: number;
  end: number;
}

/** The program of a command: its first shlex word, when it is an absolute path without expansions. */
function firstWord(command: string): PathSpan | undefined {
  const first = splitArgv(command).tokens[0];
  if (!first || !isPlainAbsolute(first.text) || first.text !== command.slice(first.start, first.end)) return undefined;
  return { path: first.text, start: first.start, end: first.end };
}

/** directory= is used as written (after expansions, which we leave alone). */
function wholeValue(value: string): PathSpan | undefined {
  const path = value.trim();
  if (!isPlainAbsolute(path)) return undefined;
  const start = value.indexOf(path);
  return { path, start, end: start + path.length };
}

function isPlainAbsolute(path: string): boolean {
  return path.startsWith('/') && !path.includes('%') && !path.includes('\n');
}

/** Some folder of the path below the top level exists: the path was written for this machine. */
function partlyThere(disk: DiskView, path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  for (let n = parts.length - 1; n >= 2; n--) {
    if (disk.kind(`/${parts.slice(0, n).join('/')}`) === 'dir') return true;
  }
  return false;
}

function finding(ctx: RuleContext, code: string, p: ProgramView, entry: Entry, span: PathSpan, problem: string, want: 'executable' | 'dir' | undefined): Finding {
  const slash = span.path.lastIndexOf('/');
  const folder = span.path.slice(0, slash) || '/';
  const name = span.path.slice(slash + 1);
  // A near name of the right kind in the same folder: a typo, or a venv's python3 for python.
  const names = want && name ? ctx.disk!.list(folder)?.filter((n) => ctx.disk!.kind(`${folder === '/' ? '' : folder}/${n}`) === want) : undefined;
  const guess = names && closest(name, names);
  const hint = guess ? ` Did you mean ${guess}?` : problem.endsWith('not executable') ? ' Make it executable (chmod +x).' : '';
  return {
    code,
    severity: 'warning',
    message: `'${p.name}' cannot start on this machine: supervisor says "${problem}" and marks it FATAL after startretries.${hint}`,
    range: spanRange(entry, span.start, span.end),
    fixes: guess ? [{ title: `Change to ${guess}`, edits: [replaceSpan(entry, span.start + slash + 1, span.end, guess)], isPreferred: true, safeForFixAll: false }] : [],
  };
}
