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
  /** Larger files are not read. */
  maxFileBytes: number;
}

/**
 * Calls `visit` with the path and text of each readable `.conf`/`.ini` file under the roots (with
 * `templates`, also each `.conf.j2`, `.ini.tmpl` ...), and its path below its root ('/'-separated): the
 * folder names that may claim it (isSupervisorConfigFile). Returns false when `maxEntries` cut the walk short.
 */
export function walkConfigFiles(
  roots: readonly string[],
  limits: WalkLimits,
  visit: (file: string, text: string, belowRoot: string) => void,
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
        try {
          const stat = fs.statSync(full);
          if (!stat.isFile() || stat.size > limits.maxFileBytes) continue;
          visit(full, fs.readFileSync(full, 'utf8'), belowRoot);
        } catch {
          // unreadable or a dangling link: not a candidate
        }
      }
    }
  };
  for (const root of roots) walk(root, 0, '');
  return budget >= 0;
}
