/**
 * Finding the deployment of a file on disk for the language server: the main file that includes it
 * (the file itself when it is a main file with [include]), and the texts of every file of that
 * deployment. Reads only inside the workspace folders, except for the main file the user names in
 * `supervisor.mainConfig` (and what it includes). Open documents are read from the editor, not from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_INCLUDE_LIMITS, resolveIncludes, type FileSystemView, type IncludePattern, type UnreadInclude } from './core/include';
import { parse } from './core/model/parse';
import { isSupervisorConfigFile } from './core/detect';
import { walkConfigFiles, type WalkLimits } from './configFiles';
import { realPath } from './thisMachine';

/** Bounds on the workspace scan for main files: how deep, how many directory entries, and how large a file it reads. */
const SCAN_LIMITS: WalkLimits = { maxDepth: 4, maxEntries: 5000 };
const SCAN_MAX_FILE_BYTES = 1024 * 1024;
const INCLUDE_HEADER = /^\[include\]/m;
const SUPERVISORD_HEADER = /^\[supervisord\]/m;

export interface WorkspaceDeployment {
  /** Main file first, then the included files in supervisor's order. */
  files: { path: string; text: string }[];
  complete: boolean;
  /** The main file's files= patterns and what each matched. */
  includes: IncludePattern[];
  /** What its [include] names that was not read, and why. */
  unread: UnreadInclude[];
  /**
   * The path the main file's [include] reads the file asked about by, when that is a link to it (see
   * asMember): supervisor expands %(here)s in the file to that path's folder, not the real file's.
   */
  readAs?: string;
}

/** What the workspace scan found: files with [include], and every file that looks like a supervisor config. */
interface ScanResult {
  mains: string[];
  configs: string[];
}

export class DeploymentFinder {
  private scanned: ScanResult | undefined;
  private configsOnDisk: Map<string, string> | undefined;
  /** The texts on disk of the workspace's main files (null: unreadable), and what each text of them includes. */
  private readonly mainsOnDisk = new Map<string, string | null>();
  private readonly includes = new Map<string, { text: string; files: { path: string; text: string }[] }>();

  constructor(
    private readonly folders: string[],
    /** The text of an open document, by path. */
    private readonly openText: (file: string) => string | undefined,
  ) {}

  /** Forget the scanned files (a file was created, deleted or changed on disk). */
  invalidate(): void {
    this.scanned = undefined;
    this.configsOnDisk = undefined;
    this.mainsOnDisk.clear();
    this.includes.clear();
  }

  inWorkspace(file: string): boolean {
    return this.folders.some((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
  }

  /** `denied` collects what the resolution wanted outside what it may read. */
  private view(allowed: (file: string) => boolean, denied: Set<string>): FileSystemView {
    return {
      list: (dir) => {
        if (!allowed(dir)) {
          denied.add(dir);
          return undefined;
        }
        try {
          return fs.readdirSync(dir);
        } catch {
          return undefined;
        }
      },
      read: (file) => {
        if (!allowed(file)) {
          denied.add(file);
          return undefined;
        }
        const open = this.openText(file);
        if (open !== undefined) return open;
        try {
          if (!fs.statSync(file).isFile()) return undefined;
          return fs.readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      },
    };
  }

  /**
   * The workspace's supervisor configs (by name or by a supervisor section first, as the editor tells them) and,
   * among them or not, the files with an [include] section: bounded in depth, entries and file size.
   */
  private scan(): ScanResult {
    if (this.scanned) return this.scanned;
    const found: ScanResult = { mains: [], configs: [] };
    walkConfigFiles(this.folders, SCAN_LIMITS, (file, belowFolder) => {
      const text = readUpTo(file, SCAN_MAX_FILE_BYTES);
      if (text === undefined) return;
      if (INCLUDE_HEADER.test(text)) found.mains.push(file);
      if (isSupervisorConfigFile(belowFolder, text)) found.configs.push(file);
    });
    this.scanned = found;
    return found;
  }

  /**
   * Every supervisor config of the workspace, for workspace symbols: the files that look like one and
   * the files the workspace's main files include, each once, with its text (an open document's as
   * edited). Which files look like one, and their texts on disk, are remembered until `invalidate`;
   * what a main file includes follows its text in the editor, edited or not.
   */
  workspaceConfigs(): { path: string; text: string }[] {
    if (!this.configsOnDisk) {
      const onDisk = new Map<string, string>();
      for (const file of this.scan().configs) {
        const text = readQuietly(file);
        if (text !== undefined) onDisk.set(file, text);
      }
      this.configsOnDisk = onDisk;
    }
    const configs = new Map(this.configsOnDisk);
    for (const main of this.scan().mains) {
      for (const f of this.includedBy(main)) if (!configs.has(f.path)) configs.set(f.path, f.text);
    }
    return [...configs].map(([file, text]) => ({ path: file, text: this.openText(file) ?? text }));
  }

  /** The files a workspace main file includes, with their texts on disk: resolved again when its text in the editor changes. */
  private includedBy(main: string): { path: string; text: string }[] {
    let onDisk = this.mainsOnDisk.get(main);
    if (onDisk === undefined) this.mainsOnDisk.set(main, (onDisk = readQuietly(main) ?? null));
    const text = this.openText(main) ?? onDisk;
    if (text === null) return [];
    let included = this.includes.get(main);
    if (included?.text !== text) {
      const files = this.resolve(main, text, (file) => this.inWorkspace(file))?.files ?? [];
      included = { text, files: files.map((f) => ({ path: f.path, text: readQuietly(f.path) ?? f.text })) };
      this.includes.set(main, included);
    }
    return included.files;
  }

  private resolve(mainPath: string, text: string, allowed: (file: string) => boolean): WorkspaceDeployment | undefined {
    const denied = new Set<string>();
    const resolution = resolveIncludes(mainPath, parse(text), this.view(allowed, denied), DEFAULT_INCLUDE_LIMITS);
    if (!resolution.entry) return undefined;
    // The view answered "cannot read" for what it was not allowed to: say so rather than "unreadable".
    const unread = resolution.unread.map((u): UnreadInclude => (u.path !== undefined && denied.has(u.path) ? { ...u, reason: 'outsideWorkspace' } : u));
    // Files we were not allowed to read may define what this deployment lacks: never call it complete then.
    return { files: [{ path: mainPath, text }, ...resolution.files], complete: !resolution.incomplete && denied.size === 0, includes: resolution.patterns, unread };
  }

  /**
   * The deployment `file` belongs to: its own when it has [include] and [supervisord] (or is
   * `mainConfig`); else that of `mainConfig` or of a workspace file whose [include] reads it; else its
   * own when it has [include] (its [supervisord] may be in a file it includes). Undefined when none
   * (the file is then checked alone).
   */
  deploymentOf(file: string, text: string, mainConfig?: string): WorkspaceDeployment | undefined {
    const readable = file === mainConfig ? () => true : (f: string) => this.inWorkspace(f);
    const own = () => (INCLUDE_HEADER.test(text) ? this.resolve(file, text, readable) : undefined);
    if (file === mainConfig || SUPERVISORD_HEADER.test(text)) return own() ?? this.includerOf(file, mainConfig);
    // supervisor follows the main file's [include] only: a file that a main file includes is a
    // fragment of it, and the [include] of its own is one supervisor ignores.
    return this.includerOf(file, mainConfig) ?? own();
  }

  /** The deployment of `mainConfig` or of a workspace file with [include] that reads `file`. */
  private includerOf(file: string, mainConfig?: string): WorkspaceDeployment | undefined {
    if (mainConfig && mainConfig !== file) {
      const mainText = this.openText(mainConfig) ?? readQuietly(mainConfig);
      const d = mainText === undefined ? undefined : this.resolve(mainConfig, mainText, () => true);
      const member = d && asMember(d, file);
      if (member) return member;
    }
    if (!this.inWorkspace(file)) return undefined;
    const inWorkspace = (f: string) => this.inWorkspace(f);
    for (const candidate of this.scan().mains) {
      if (candidate === file) continue;
      const mainText = this.openText(candidate) ?? readQuietly(candidate);
      if (mainText === undefined) continue;
      const d = this.resolve(candidate, mainText, inWorkspace);
      if (d?.files.some((f) => f.path === file)) return d;
    }
    return undefined;
  }
}

/**
 * The deployment with `file` as one of its files, by path or through a link: a conf.d entry that links
 * to the project's own file (as Alliance Auth's guide sets up) is that file, and gets its path; the
 * link's path stays as `readAs`, since supervisor takes %(here)s from the path it globbed (no realpath).
 */
function asMember(d: WorkspaceDeployment, file: string): WorkspaceDeployment | undefined {
  if (d.files.some((f) => f.path === file)) return d;
  const real = realPath(file);
  const at = d.files.findIndex((f) => realPath(f.path) === real);
  if (at < 1) return undefined;
  return { ...d, files: d.files.map((f, i) => (i === at ? { ...f, path: file } : f)), readAs: d.files[at].path };
}

/** The file's text, or undefined when it is larger than `maxBytes` or cannot be read. */
function readUpTo(file: string, maxBytes: number): string | undefined {
  try {
    return fs.statSync(file).size > maxBytes ? undefined : fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readQuietly(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
