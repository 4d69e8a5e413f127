/** Runs the built CLI (dist/cli.js) as a child process, as CI and users do. Build first (npm test does). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/**
 * `unprivileged: true` runs the CLI as a user a file's mode binds: root (as tests run in containers)
 * reads and writes a file whatever its mode, so as root the CLI runs as nobody, who needs the test
 * folder to be open to others (0o755) and its files readable.
 */
const NOBODY = { uid: 65534, gid: 65534 };

export function runCli(args: string[], options: { cwd: string; input?: string; unprivileged?: boolean }): { code: number | null; stdout: string; stderr: string } {
  const user = options.unprivileged && process.getuid?.() === 0 ? NOBODY : {};
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, input: options.input, encoding: 'utf8', ...user });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `text` to `name` under `dir` (creating folders) and returns the file's path. */
export function writeUnder(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** An argv written as a command line that shlex (supervisor's splitting) turns back into it. */
export function shellWords(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`)).join(' ');
}
