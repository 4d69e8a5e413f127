/**
 * Following `[include] files=` as supervisor 4.2.5 does: the value is split on whitespace, each
 * pattern is joined to the main file's directory (absolute ones are used as they are, no `~`), and
 * each pattern's glob.glob() matches are read in sorted order, patterns in the order written. Only the
 * main file's [include] counts (supervisor does not recurse).
 *
 * No node built-ins here: the file system comes in through FileSystemView (the CLI and the server
 * implement it with node:fs, tests with a Map).
 */
import { lastEntry, type Entry, type SupervisorDocument } from './model/document';
import { expandTemplate } from './model/percent';

/** What the include resolution may look at. Paths are absolute and use '/'. */
export interface FileSystemView {
  /** The names in a directory (not paths), or undefined when it is not a readable directory. */
  list(dir: string): string[] | undefined;
  /** A file's text, or undefined when it is not a readable file. */
  read(path: string): string | undefined;
}

/**
 * Bounds on the work one deployment costs. A Debian-style conf.d holds a handful to a few dozen
 * fragments; 100 files and 4 MiB of text cover that with a wide margin, while a pattern such as
 * `/*\/*.conf` aimed at a large tree cannot make the editor read it all. Directory listings are bounded
 * too, because a pattern with several wildcard components can visit many directories.
 */
export interface IncludeLimits {
  maxFiles: number;
  maxBytes: number;
  maxListings: number;
}

export const DEFAULT_INCLUDE_LIMITS: IncludeLimits = { maxFiles: 100, maxBytes: 4 * 1024 * 1024, maxListings: 200 };

export interface IncludePattern {
  /** The pattern as written in files=. */
  text: string;
  /** Offsets of the pattern in the entry's effective value. */
  start: number;
  end: number;
  /** The absolute pattern supervisor globs; undefined when it uses an expansion only the server knows. */
  absolute?: string;
  /** Files it matches, sorted. */
  matches: string[];
  /**
   * Supervisor finds no file for it ("No file matches via include"), as far as the view shows: every
   * directory it looks in could be listed, and no name there matches. False when a directory could
   * not be listed (absent on this machine, or not ours to read), so an empty `matches` proves nothing.
   */
  matchesNothing: boolean;
}

export interface IncludedFile {
  path: string;
  text: string;
}

export interface IncludeResolution {
  /** The files= entry, when there is one. */
  entry?: Entry;
  patterns: IncludePattern[];
  /** The files read, in the order supervisor reads them (each once). */
  files: IncludedFile[];
  /** A limit cut the resolution short, or a pattern could not be expanded: the deployment may hold more files. */
  incomplete: boolean;
  /** What the resolution could not read, and why (the editor lists it: "some files not read" alone says too little). */
  unread: UnreadInclude[];
}

/**
 * Why part of an [include] was not read: `unexpanded`, the pattern uses a %(name)s only supervisor
 * knows (`name`); `unlisted`, a folder the pattern looks in could not be listed; `unreadable`, a file
 * it matched could not be read; `limit`, the include limits were reached; `outsideWorkspace`, the
 * server may not read there (set by the caller, which knows what it allowed).
 */
export type UnreadReason = 'unexpanded' | 'unlisted' | 'unreadable' | 'limit' | 'outsideWorkspace';

export interface UnreadInclude {
  /** The pattern as written in files=. */
  pattern: string;
  reason: UnreadReason;
  /** The file or folder not read, when there is one. */
  path?: string;
  /** For `unexpanded`: the name of the %(name)s expansion. */
  name?: string;
}

/** The directory part of a '/'-separated path ('/' for a file at the root). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return i === 0 ? '/' : '.';
  return path.slice(0, i);
}

/** Joins and removes `.` and `..` components (as os.path.normpath would, for absolute paths). */
export function joinPath(base: string, rel: string): string {
  const raw = rel.startsWith('/') ? rel : `${base.replace(/\/+$/, '')}/${rel}`;
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Whether a pattern (or one component of it) has glob wildcards: `*`, `?` or `[`. */
export function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

/**
 * Python's fnmatch.fnmatchcase for one path component: `*` any run, `?` one character, `[seq]` and
 * `[!seq]` with ranges; a `[` without a closing `]` is literal. Iterative, with one backtrack point
 * for the last `*` (linear enough for file names).
 */
export function fnmatch(name: string, pattern: string): boolean {
  let n = 0;
  let p = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    if (p < pattern.length) {
      const c = pattern[p];
      if (c === '*') {
        starP = p++;
        starN = n;
        continue;
      }
      if (c === '?') {
        p++;
        n++;
        continue;
      }
      if (c === '[') {
        const set = readSet(pattern, p);
        if (set) {
          if (set.matches(name[n])) {
            p = set.end;
            n++;
            continue;
          }
        } else if (name[n] === '[') {
          p++;
          n++;
          continue;
        }
      } else if (c === name[n]) {
        p++;
        n++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    n = ++starN;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function readSet(pattern: string, at: number): { end: number; matches(ch: string): boolean } | undefined {
  let i = at + 1;
  let negate = false;
  if (pattern[i] === '!') {
    negate = true;
    i++;
  }
  const start = i;
  if (pattern[i] === ']') i++; // a leading ] is a member
  while (i < pattern.length && pattern[i] !== ']') i++;
  if (i >= pattern.length) return undefined;
  const body = pattern.slice(start, i);
  return {
    end: i + 1,
    matches(ch: string) {
      let hit = false;
      for (let k = 0; k < body.length; k++) {
        if (k + 2 < body.length && body[k + 1] === '-') {
          if (body[k] <= ch && ch <= body[k + 2]) hit = true;
          k += 2;
        } else if (body[k] === ch) hit = true;
      }
      return hit !== negate;
    },
  };
}

/**
 * glob.glob over the view: wildcard components never match names starting with '.' unless the
 * component does. `listing.at` is set to the first directory it had to list and could not.
 */
function glob(pattern: string, fs: FileSystemView, budget: { listings: number; cut: boolean }, listing: { at?: string }): string[] {
  const parts = pattern.split('/').filter((p) => p !== '');
  let current = ['/'];
  let expanded = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next: string[] = [];
    for (const dir of current) {
      const base = dir === '/' ? '' : dir;
      if (!hasMagic(part) && !expanded) {
        next.push(`${base}/${part}`);
        continue;
      }
      // After a wildcard, glob.glob keeps a plain name only where it exists (apps/*/worker.conf).
      if (budget.listings <= 0) {
        budget.cut = true;
        break;
      }
      budget.listings--;
      const names = fs.list(dir);
      if (names === undefined) {
        listing.at ??= dir;
        continue;
      }
      if (!hasMagic(part)) {
        if (names.includes(part)) next.push(`${base}/${part}`);
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (fnmatch(name, part)) next.push(`${base}/${name}`);
      }
    }
    if (hasMagic(part)) expanded = true;
    current = next;
    if (!current.length) break;
  }
  return current.sort();
}

/** The first %(name)s of a pattern that `names` does not hold, which is why it could not be expanded. */
function unknownName(pattern: string, names: Record<string, string>): { name?: string } {
  for (const m of pattern.matchAll(/%\(([^)]*)\)/g)) if (names[m[1]] === undefined) return { name: m[1] };
  return {};
}

/** The first limit reached is noted, once: files after it may be missing, which one entry says. */
function noteLimit(result: IncludeResolution, unread: UnreadInclude): void {
  if (!result.unread.some((u) => u.reason === 'limit')) result.unread.push(unread);
}

/** Whether a path's directory can be listed and does not hold its name (glob.glob of a plain path checks that it exists). */
function isMissing(path: string, fs: FileSystemView): boolean {
  const names = fs.list(dirname(path));
  return names !== undefined && !names.includes(path.slice(path.lastIndexOf('/') + 1));
}

/** The [include] section's files= entry of a document (the last one supervisor uses). */
export function includeEntry(doc: SupervisorDocument): Entry | undefined {
  let found: Entry | undefined;
  for (const s of doc.sections) if (s.name === 'include') found = lastEntry(s, 'files') ?? found;
  return found;
}

/** Splits a value on whitespace, with offsets (Python's str.split()). */
export function splitPatterns(value: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /\S+/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The files a main file includes, read through `fs`. `mainPath` is the main file's absolute path;
 * `expansions` adds names supervisor knows besides `here` (host_node_name, ENV_x) when the caller
 * knows them. Files that cannot be read are left out, as supervisor's parser skips them.
 */
export function resolveIncludes(
  mainPath: string,
  doc: SupervisorDocument,
  fs: FileSystemView,
  limits: IncludeLimits = DEFAULT_INCLUDE_LIMITS,
  expansions: Record<string, string> = {},
): IncludeResolution {
  const entry = includeEntry(doc);
  const result: IncludeResolution = { entry, patterns: [], files: [], incomplete: false, unread: [] };
  if (!entry) return result;
  const here = dirname(mainPath);
  const names = { ...expansions, here };
  const budget = { listings: limits.maxListings, cut: false };
  const seen = new Set<string>([mainPath]);
  let bytes = 0;
  for (const piece of splitPatterns(entry.value)) {
    const pattern: IncludePattern = { ...piece, matches: [], matchesNothing: false };
    result.patterns.push(pattern);
    const expanded = piece.text.includes('%') ? expandTemplate(piece.text, names) : piece.text;
    if (expanded === undefined) {
      result.incomplete = true;
      result.unread.push({ pattern: piece.text, reason: 'unexpanded', ...unknownName(piece.text, names) });
      continue;
    }
    pattern.absolute = joinPath(here, expanded);
    const magic = hasMagic(pattern.absolute);
    const listing: { at?: string } = {};
    const matches = magic ? glob(pattern.absolute, fs, budget, listing) : [pattern.absolute];
    if (listing.at !== undefined) result.unread.push({ pattern: piece.text, reason: 'unlisted', path: listing.at });
    if (budget.cut) {
      result.incomplete = true;
      noteLimit(result, { pattern: piece.text, reason: 'limit' });
    }
    pattern.matchesNothing = magic ? matches.length === 0 && listing.at === undefined && !budget.cut : isMissing(pattern.absolute, fs);
    for (const file of matches) {
      if (seen.has(file)) {
        if (file !== mainPath) pattern.matches.push(file);
        continue;
      }
      if (result.files.length >= limits.maxFiles) {
        result.incomplete = true;
        noteLimit(result, { pattern: piece.text, reason: 'limit', path: file });
        break;
      }
      const text = fs.read(file);
      // A plain path that is not there is include-matches-nothing's, not a file left unread.
      if (text === undefined) {
        if (magic || !pattern.matchesNothing) result.unread.push({ pattern: piece.text, reason: 'unreadable', path: file });
        continue;
      }
      if (bytes + text.length > limits.maxBytes) {
        result.incomplete = true;
        noteLimit(result, { pattern: piece.text, reason: 'limit', path: file });
        break;
      }
      bytes += text.length;
      seen.add(file);
      pattern.matches.push(file);
      result.files.push({ path: file, text });
    }
  }
  return result;
}
