/**
 * Finding supervisor configs under folders, for the language server's workspace scan and the CLI's folder
 * arguments: in sorted order, skipping tool and virtualenv folders. A symlinked file is followed (a
 * conf.d often links to a project's config); a symlinked folder is not, so no walk can loop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_EXTENSION, renderedNameOf } from './core/detect';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'out']);

export interface WalkLimits {
  /** Folders below a root that are entered (0: the root's own files only). */
  maxDepth: number;
  /** Directory entries looked at, over all roots. */
  maxEntries: number;
}

/**
 * Calls `visit` with each `.conf`/`.ini` file under the roots (with `templates`, also each `.conf.j2`,
 * `.ini.tmpl` ...), and its path below its root ('/'-separated): the folder names that may claim it
 * (isSupervisorConfigFile). Reading is the caller's: what it needs of a file depends on how the file
 * is claimed. Returns false when `maxEntries` cut the walk short.
 */
export function walkConfigFiles(
  roots: readonly string[],
  limits: WalkLimits,
  visit: (file: string, belowRoot: string) => void,
  templates = false,
): boolean {
  // A template is known by the name it renders to (celery.conf.j2 by celery.conf), as detect.ts knows it.
  const accepts = (name: string) => CONFIG_EXTENSION.test(templates ? renderedNameOf(name) ?? name : name);
  let budget = limits.maxEntries;
  const walk = (dir: string, depth: number, below: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (--budget < 0) return;
      const full = path.join(dir, e.name);
      const belowRoot = below ? `${below}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth < limits.maxDepth && !SKIPPED_DIRS.has(e.name)) walk(full, depth + 1, belowRoot);
      } else if ((e.isFile() || e.isSymbolicLink()) && accepts(e.name)) {
        // A link to a file is one; a link to a folder, a dangling link or a pipe (which would block a read) is not.
        if (isFile(full)) visit(full, belowRoot);
      }
    }
  };
  for (const root of roots) walk(root, 0, '');
  return budget >= 0;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Enough of a file to tell its first section: looksLikeSupervisorConfig reads at most 200 lines. */
const HEAD_BYTES = 64 * 1024;

/**
 * The first lines of a file (at most HEAD_BYTES, whole lines only, so that a line cut short cannot read as
 * a section header), or undefined when it cannot be read. A byte order mark is kept, as detection expects.
 */
export function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const head = read < HEAD_BYTES ? buffer.subarray(0, read) : buffer.subarray(0, Math.max(buffer.lastIndexOf(0x0a), buffer.lastIndexOf(0x0d)) + 1);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(head);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
