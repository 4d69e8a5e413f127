/** Reading the files given on the command line, with the files their [include] sections read. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDeployment, analyzeText } from '../core/analyze';
import { DEFAULT_INCLUDE_LIMITS, resolveIncludes, type IncludePattern } from '../core/include';
import { parse } from '../core/model/parse';
import type { Finding } from '../core/rules/rule';
import type { Settings } from '../core/settings';
import type { Options } from './args';
import { localMachine, nodeFileSystem, readSource } from '../thisMachine';
import type { DecodedText, Utf8Error } from '../core/model/utf8';
import { isClaimedByName, looksLikeSupervisorConfig } from '../core/detect';
import { readHead, walkConfigFiles } from '../configFiles';

function readFile(file: string): DecodedText {
  return readSource(file === '-' ? 0 : file);
}

/** A folder on the command line: everything under it, however deep. */
const FOLDER_LIMITS = { maxDepth: 32, maxEntries: 200_000 };

/**
 * The files to check: each folder given stands for the supervisor configs under it, as the editor tells
 * them (by name, or by a supervisor section first), in sorted order. A folder without any is an error.
 */
export function expandFolders(files: readonly string[], unreadable: string[], warn: (message: string) => void = (message) => process.stderr.write(message)): string[] {
  const out: string[] = [];
  for (const file of files) {
    let folder = false;
    try {
      folder = file !== '-' && fs.statSync(file).isDirectory();
    } catch {
      // reading it reports what is wrong
    }
    if (!folder) {
      out.push(file);
      continue;
    }
    const found: string[] = [];
    // Templates too: CI checks the deployment repository, where an Ansible role keeps celery.conf.j2.
    const complete = walkConfigFiles(
      [file],
      FOLDER_LIMITS,
      (f, belowFolder) => {
        // A file its name claims is checked whatever its size, and reported when it cannot be read; any
        // other .conf/.ini is one only if its first section says so, which its first lines tell.
        if (isClaimedByName(belowFolder) || looksLikeSupervisorConfig(f, readHead(f) ?? '')) found.push(f);
      },
      true,
    );
    if (!complete) warn(`supervisor-lint: ${file}: stopped looking after ${FOLDER_LIMITS.maxEntries} entries\n`);
    if (!found.length) {
      const reason = 'no supervisor config in it (supervisord.conf, supervisor.conf, .conf/.ini files in a folder named supervisor or supervisord.d inside it, or whose first section is a supervisor section, or templates of them such as celery.conf.j2)';
      warn(`supervisor-lint: ${file}: ${reason}\n`);
      unreadable.push(`${file}: ${reason}`);
    }
    out.push(...found);
  }
  return out;
}

export interface CheckedFile {
  /** As shown in the output. */
  name: string;
  /** As given (or as found through [include]): what SARIF locations are built from. */
  file: string;
  text: string;
  /** Where the file's bytes stop being UTF-8, when they do (the reading found it). */
  utf8Error?: Utf8Error;
  findings: Finding[];
}

/** An included file's name in the output: relative to the working directory when it is under it. */
function displayName(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return !relative || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

/**
 * Reads and checks every file given. A file with [include] is checked with the files it includes,
 * which come right after it in the output (once, even when they are also given on the command line).
 */
export function collectFiles(
  opts: Options,
  unreadable: string[],
  settingsOf: (index: number) => Settings,
  warn: (message: string) => void = (message) => process.stderr.write(message),
): CheckedFile[] {
  const given: { file: string; text: string; utf8Error?: Utf8Error; settings: Settings }[] = [];
  for (const [index, file] of opts.files.entries()) {
    try {
      given.push({ file, ...readFile(file), settings: settingsOf(index) });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
      warn(`supervisor-lint: cannot read ${file}: ${reason}\n`);
      unreadable.push(`cannot read ${file}: ${reason}`);
    }
  }
  const out: CheckedFile[] = [];
  const done = new Set<string>();
  const machine = opts.machineChecks ? localMachine() : undefined;
  const key = (file: string) => (file === '-' ? '-' : path.resolve(file));
  // Fragments that a given main file includes are checked with it, not alone.
  // A deployment is checked with the settings of its main file (the config file nearest to it).
  const deployments = new Map<
    string,
    { members: { path: string; text: string; utf8Error?: Utf8Error; name: string; file: string }[]; complete: boolean; includes: IncludePattern[]; settings: Settings }
  >();
  const inDeployment = new Set<string>();
  // The included files that are not UTF-8: the text [include] resolution hands back cannot say it.
  const notUtf8 = new Map<string, Utf8Error>();
  const includedFiles = nodeFileSystem(notUtf8);
  if (opts.followIncludes) {
    for (const { file, text, utf8Error, settings } of given) {
      if (file === '-' || !text.includes('[include]') || deployments.has(key(file))) continue;
      const mainPath = path.resolve(file);
      const resolution = resolveIncludes(mainPath, parse(text), includedFiles);
      if (!resolution.entry) continue;
      if (resolution.incomplete) {
        warn(
          `supervisor-lint: ${file}: not every [include] pattern was followed (a pattern uses an expansion only supervisord knows, or the deployment exceeds ${DEFAULT_INCLUDE_LIMITS.maxFiles} files or ${DEFAULT_INCLUDE_LIMITS.maxBytes / 1024 / 1024} MiB)\n`,
        );
      }
      const members = [
        { path: mainPath, text, utf8Error, name: file, file },
        ...resolution.files.map((f) => ({ path: f.path, text: f.text, utf8Error: notUtf8.get(f.path), name: displayName(f.path), file: f.path })),
      ];
      deployments.set(mainPath, { members, complete: !resolution.incomplete, includes: resolution.patterns, settings });
      for (const m of members.slice(1)) inDeployment.add(m.path);
    }
  }
  for (const { file, text, utf8Error, settings } of given) {
    const k = key(file);
    if (done.has(k) || (inDeployment.has(k) && !deployments.has(k))) continue;
    const deployment = deployments.get(k);
    if (deployment) {
      const { members, complete, includes } = deployment;
      for (const a of analyzeDeployment(members, deployment.settings, complete, includes, machine)) {
        const m = members.find((x) => x.path === a.path)!;
        if (done.has(m.path)) continue;
        done.add(m.path);
        out.push({ name: m.name, file: m.file, text: a.text, ...(m.utf8Error ? { utf8Error: m.utf8Error } : {}), findings: a.findings });
      }
      continue;
    }
    done.add(k);
    const findings = analyzeText(text, settings, undefined, machine, file === '-' ? undefined : path.resolve(file), utf8Error).findings;
    out.push({ name: file === '-' ? '<stdin>' : file, file, text, ...(utf8Error ? { utf8Error } : {}), findings });
  }
  return out;
}
