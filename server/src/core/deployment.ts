/**
 * What supervisor would run from one file: programs with their process names and groups, the Celery
 * programs among them, and the memmon listeners that watch them. Computed once per analysis and
 * shared by the rules.
 */
import { defaultEntries, lastEntry, type Entry, type Section, type SupervisorDocument } from './model/document';
import { expandTemplate } from './model/percent';
import { readCeleryCommand, type CeleryCommand } from './command/celery';
import { readMemmonCommand, type MemmonCommand } from './command/memmon';
import { clearSharedOptions } from './command/celeryOption';
import { internalize } from './model/strings';
import { pyInt, pyStrip } from './catalog/datatypes';
import { clearTextMemos, TextMemo } from './textMemo';
import type { IncludePattern, UnreadInclude } from './include';

export type ProcessSectionKind = 'program' | 'fcgi-program' | 'eventlistener';
/** The section kinds that run processes, for a caller that holds a section's kind as a string. */
export const PROCESS_SECTION_KINDS: ReadonlySet<string> = new Set<ProcessSectionKind>(['program', 'fcgi-program', 'eventlistener']);

/**
 * The name of the program or group a `[kind:label]` section defines: supervisor strips the label
 * (process_or_group_name), so `[program: worker]` is the program worker.
 */
export function nameOfLabel(label: string): string {
  return pyStrip(label);
}

export interface ProgramView {
  name: string;
  kind: ProcessSectionKind;
  /** Every header of this program (supervisor merges repeated ones); the first is where findings about the section go. */
  sectionIndexes: number[];
  /**
   * The entry supervisor uses for `key`: the last one across repeated headers, else the [DEFAULT] one
   * (in a deployment, that of the last file read whose [DEFAULT] sets the key, maybe another file: see fileOf).
   */
  get(key: string): Entry | undefined;
  /** The [DEFAULT] entry of `key` the program reads where it does not set the key itself (see Deployment.defaults). */
  defaultEntry(key: string): Entry | undefined;
  /**
   * The path of the other file of the deployment an entry `get` returned is in (a key of that file's
   * [DEFAULT]), undefined for an entry of this file. Findings and fixes never point into another file.
   */
  fileOf(entry: Entry): string | undefined;
  numprocs: number;
  /** Expanded process names, or undefined when process_name uses a name only the server knows. */
  processNames: string[] | undefined;
  /** The group the processes run in: a [group:x] that lists the program, else the program's own name. */
  group: string;
  /** The command= entry, when it is in this file (one from another file's [DEFAULT] is only `get`'s: its text and its findings are that file's). */
  command?: Entry;
  celery?: CeleryCommand;
  memmon?: MemmonCommand;
}

export interface GroupView {
  name: string;
  sectionIndex: number;
  programs: string[];
}

/** One file of a multi-file deployment (a main file and what its [include] reads). */
export interface DeploymentFile {
  path: string;
  doc: SupervisorDocument;
}

export interface DeploymentContext {
  /** Every file of the deployment in the order supervisor reads them (the main file first), this one included. */
  files: DeploymentFile[];
  /** This document's path among `files`. */
  path: string;
  /** The path supervisor reads this file by when that is a link to `path`: %(here)s is its folder. */
  readAs?: string;
  /** False when include resolution stopped at a limit or skipped a pattern: a name may live in a file not read. */
  complete: boolean;
  /** The main file's files= patterns as resolved on disk (each with what it matched), when known. */
  includes?: IncludePattern[];
  /** What the main file's [include] names that was not read, and why (shown to the user, not judged). */
  unread?: UnreadInclude[];
}

/** A program, fcgi-program or event listener defined in another file of the deployment (read-only). */
export interface ExternalProgram {
  name: string;
  kind: ProcessSectionKind;
  file: string;
  /** The first header of the program in that file. */
  sectionIndex: number;
  group: string;
  numprocs: number;
  processNames: string[] | undefined;
}

export interface ExternalListener {
  name: string;
  file: string;
  sectionIndex: number;
  memmon: MemmonCommand;
}

/** What the other files of the deployment define. Findings never point into them. */
export interface ExternalView {
  /** This file's path. */
  path: string;
  /** The other files, in read order. */
  files: DeploymentFile[];
  /** The files read before this one (a section they define is merged under this file's values). */
  earlier: DeploymentFile[];
  programs: ExternalProgram[];
  byName: Map<string, ExternalProgram>;
  groups: (GroupView & { file: string })[];
  memmonListeners: ExternalListener[];
  /** Every section name the other files define. */
  sectionNames: Set<string>;
  /** The deployment's main file when it is another file (this one is then a fragment of it). */
  mainFile?: string;
  /** Every file of the deployment was read: a name none of them defines is defined nowhere. */
  complete: boolean;
  /** This file's files= patterns as resolved on disk, when this file is the deployment's main file. */
  includes?: IncludePattern[];
  /** What the main file's [include] names that was not read, and why, when known. */
  unread?: UnreadInclude[];
}

export interface Deployment {
  doc: SupervisorDocument;
  programs: ProgramView[];
  byName: Map<string, ProgramView>;
  groups: GroupView[];
  /** A file with [supervisord] is a main config; one without it is a fragment included from elsewhere. */
  isMainFile: boolean;
  celeryPrograms: (ProgramView & { command: Entry; celery: CeleryCommand })[];
  memmonListeners: (ProgramView & { command: Entry; memmon: MemmonCommand })[];
  /** Set when the file is analysed as part of a multi-file deployment. */
  external?: ExternalView;
  /**
   * configparser's [DEFAULT] keys, which every section that does not set a key reads: supervisor reads
   * every file of a deployment into one parser, so in a deployment these are the [DEFAULT] keys of all
   * its files (the file read last winning), else this file's.
   */
  defaults: DefaultKeys;
}

/** The [DEFAULT] entries sections read, by key, and the file each entry of another file is in. */
export interface DefaultKeys {
  entries: ReadonlyMap<string, Entry>;
  /** The path of the other file an entry of `entries` is in; undefined for this file's own. */
  fileOf(entry: Entry): string | undefined;
}

/**
 * Reading a command line is the costliest step of an analysis, and between two keystrokes almost
 * every command is unchanged: remember readings by command text (results are never mutated).
 */
const COMMAND_CACHE_LIMIT = 50_000;
/** Readings by command text; undefined: the command runs no celery (no memmon). */
const celeryCache = new TextMemo<CeleryCommand | undefined>(COMMAND_CACHE_LIMIT);
const memmonCache = new TextMemo<MemmonCommand | undefined>(COMMAND_CACHE_LIMIT);

/** A command line's Celery reading, remembered with the analyses' (completion asks on every keystroke in a command that may be thousands of lines long). */
export function celeryReadingOf(command: string): CeleryCommand | undefined {
  return celeryCache.remember(command, readCeleryCommand);
}

/**
 * Forgets everything remembered across analyses: command readings, the options they share, and the
 * values found valid (the benchmark's cold analyses start with it, so that every size does all the work).
 */
export function clearAnalysisCaches(): void {
  clearTextMemos();
  clearSharedOptions();
}

/** The value as supervisor's integer() (Python's int()) reads it, else fallback. */
function integerValue(entry: Entry | undefined, fallback: number): number {
  if (!entry) return fallback;
  const v = entry.value;
  const n = v.length;
  // The usual value, ASCII digits alone, read without a call; anything else as int() does (a sign,
  // whitespace, '_' between digits: numprocs=+2 and numprocs=1_0 run 2 and 10 processes).
  if (n === 0) return fallback;
  for (let k = 0; k < n; k++) {
    const c = v.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return pyInt(v) ?? fallback;
  }
  return Number(v);
}

const MAX_EXPANDED_PROCESSES = 1000;
const DEFAULT_PROCESS_NAME = '%(program_name)s';

function processNamesOf(
  name: string,
  group: string,
  processName: Entry | undefined,
  numprocsStart: Entry | undefined,
  numprocs: number,
): string[] | undefined {
  // supervisor strips the template before it expands it (process_or_group_name).
  const template = processName ? pyStrip(processName.value) : DEFAULT_PROCESS_NAME;
  const start = integerValue(numprocsStart, 0);
  const count = Math.min(numprocs, MAX_EXPANDED_PROCESSES);
  // The usual templates need no formatting: the program's name, or a text without '%'.
  const fixed = template === DEFAULT_PROCESS_NAME ? name : template.indexOf('%') < 0 ? template : undefined;
  if (fixed !== undefined && count === 1) return [fixed];
  const names: string[] = [];
  if (fixed !== undefined) {
    for (let n = start; n < start + count; n++) names.push(fixed);
    return names;
  }
  const values = { program_name: name, group_name: group, process_num: start, numprocs };
  for (let n = start; n < start + count; n++) {
    values.process_num = n;
    const expanded = expandTemplate(template, values);
    if (expanded === undefined) return undefined;
    names.push(expanded);
  }
  return names;
}

/**
 * The process names `program` would have under another name (a rename): its process_name template
 * expanded with the new %(program_name)s, and the new %(group_name)s when it is its own group.
 */
export function processNamesRenamed(program: ProgramView, newName: string): string[] | undefined {
  const group = program.group === program.name ? newName : program.group;
  return processNamesOf(newName, group, program.get('process_name'), program.get('numprocs_start'), program.numprocs);
}

/**
 * The entries of every program of a deployment by key: `index.get(key)[ordinal]` is the entry the
 * program with that ordinal uses for the key (a hole when it has none). Rules ask each program for
 * the same keys one after another: one map lookup and an array read, and nothing built per program.
 * A key few programs use leaves a sparse array, which the engine stores as a dictionary.
 */
type KeyIndex = Map<string, (Entry | undefined)[]>;

/**
 * A deployment's key index with the column last asked for: a rule asks every program for the same key
 * one after another, and comparing the key with the last one (usually the same interned string) is
 * cheaper than a map lookup per program. Columns never change once every program is indexed.
 */
class KeyColumns {
  #lastKey: string | undefined = undefined;
  #lastColumn: (Entry | undefined)[] | undefined = undefined;
  constructor(private readonly index: KeyIndex) {}

  column(key: string): (Entry | undefined)[] | undefined {
    if (key === this.#lastKey) return this.#lastColumn;
    const column = this.index.get(key);
    this.#lastKey = key;
    this.#lastColumn = column;
    return column;
  }
}


/** The key (and its column) at each position of the previously indexed program. */
interface KeyGuess {
  keys: string[];
  columns: (Entry | undefined)[][];
}

/**
 * A program's view. `get` reads the deployment's key index (see KeyIndex); before Program.index has
 * run (only inside buildDeployment), it scans the program's entries from the last one back (later
 * entries and later repeated headers win, as supervisor merges them).
 */
class Program implements ProgramView {
  readonly #sections: readonly Section[];
  readonly #ordinal: number;
  /** The [DEFAULT] keys (Deployment.defaults), which configparser lends to every section that does not set them. */
  readonly #defaults: ReadonlyMap<string, Entry> | undefined;
  readonly #fileOf: (entry: Entry) => string | undefined;
  #keys: KeyColumns | undefined = undefined;
  name: string;
  kind: ProcessSectionKind;
  sectionIndexes: number[];
  numprocs = 1;
  processNames: string[] | undefined = undefined;
  group: string;
  command?: Entry;
  celery?: CeleryCommand;
  memmon?: MemmonCommand;

  constructor(
    sections: readonly Section[],
    ordinal: number,
    name: string,
    kind: ProcessSectionKind,
    sectionIndex: number,
    group: string,
    defaults: DefaultKeys,
  ) {
    this.#sections = sections;
    this.#ordinal = ordinal;
    this.#defaults = defaults.entries.size ? defaults.entries : undefined;
    this.#fileOf = defaults.fileOf;
    this.name = name;
    this.kind = kind;
    this.sectionIndexes = [sectionIndex];
    this.group = group;
  }

  get(key: string): Entry | undefined {
    const keys = this.#keys;
    if (keys !== undefined) {
      const column = keys.column(key);
      const own = column === undefined ? undefined : column[this.#ordinal];
      return own ?? this.#defaults?.get(key);
    }
    if (typeof key !== 'string') return undefined;
    const indexes = this.sectionIndexes;
    for (let s = indexes.length - 1; s >= 0; s--) {
      const entries = this.#sections[indexes[s]].entries;
      for (let k = entries.length - 1; k >= 0; k--) if (entries[k].key === key) return entries[k];
    }
    return this.#defaults?.get(key);
  }

  defaultEntry(key: string): Entry | undefined {
    return this.#defaults?.get(key);
  }

  fileOf(entry: Entry): string | undefined {
    return this.#fileOf(entry);
  }

  /**
   * Adds the program's entries to the deployment's key index once every header is known (later
   * entries win); `get` reads the index from then on.
   */
  index(keys: KeyIndex, columns: KeyColumns, guess: KeyGuess, total: number): void {
    const ordinal = this.#ordinal;
    let position = 0;
    const indexes = this.sectionIndexes;
    for (let s = 0; s < indexes.length; s++) {
      const entries = this.#sections[indexes[s]].entries;
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k];
        const key = e.key;
        // Programs tend to list their keys in the same order: try the previous program's key here first.
        let column: (Entry | undefined)[] | undefined;
        if (guess.keys[position] === key) column = guess.columns[position];
        else {
          column = keys.get(key);
          // The first program's keys are usually every program's: room for all of them at once.
          if (column === undefined) keys.set(internalize(key), (column = ordinal === 0 ? new Array<Entry | undefined>(total) : []));
          guess.keys[position] = key;
          guess.columns[position] = column;
        }
        position++;
        column[ordinal] = e;
      }
    }
    this.#keys = columns;
  }
}

/** Single-file deployments of the other files, remembered per document (each file is analysed with all the others). */
const alone = new WeakMap<SupervisorDocument, Deployment>();

/** The deployment of one file on its own, built once per parsed document. */
export function aloneOf(doc: SupervisorDocument): Deployment {
  let d = alone.get(doc);
  if (!d) {
    d = buildDeployment(doc);
    alone.set(doc, d);
  }
  return d;
}

/** Every file of a deployment, this one (`doc`) included, in the order supervisor reads them. */
export function filesInReadOrder(external: ExternalView, doc: SupervisorDocument): DeploymentFile[] {
  // `files` keeps the read order without this file; `earlier` is the part of it read before.
  const before = external.earlier.length;
  return [...external.files.slice(0, before), { path: external.path, doc }, ...external.files.slice(before)];
}

/**
 * What the other files of the deployment set in a section this file also defines. supervisor reads
 * every file into one parser, which merges a repeated section key by key, the file read later winning.
 */
export interface KeysElsewhere {
  /** Each key files read before this one set (the last of them): supervisor's value where this file and later ones do not set it. */
  earlier: Map<string, Entry>;
  /** Each key files read after this one set (the last of them): supervisor never reads this file's entry for it. */
  later: Map<string, Entry>;
}

/**
 * The entry supervisor reads for `key` of a section other files define too (KeysElsewhere): a later
 * file's, else this file's own (`own`), else an earlier file's.
 */
export function mergedEntry(elsewhere: KeysElsewhere | undefined, key: string, own: Entry | undefined): Entry | undefined {
  return elsewhere?.later.get(key) ?? own ?? elsewhere?.earlier.get(key);
}

/** Whether another file of the deployment sets `key` in the section (KeysElsewhere). */
export function setElsewhere(elsewhere: KeysElsewhere | undefined, key: string): boolean {
  return !!elsewhere && (elsewhere.earlier.has(key) || elsewhere.later.has(key));
}

const keysElsewhereOf = new WeakMap<ExternalView, Map<string, KeysElsewhere | undefined>>();

/** KeysElsewhere for the section `name`, or undefined when no other file of the deployment defines it. */
export function keysElsewhere(external: ExternalView | undefined, name: string): KeysElsewhere | undefined {
  if (!external?.sectionNames.has(name)) return undefined;
  let byName = keysElsewhereOf.get(external);
  if (!byName) keysElsewhereOf.set(external, (byName = new Map()));
  if (byName.has(name)) return byName.get(name);
  const collect = (files: DeploymentFile[]) => {
    const keys = new Map<string, Entry>();
    for (const f of files) for (const s of f.doc.sections) if (s.name === name) for (const e of s.entries) keys.set(e.key, e);
    return keys;
  };
  const found = { earlier: collect(external.earlier), later: collect(external.files.slice(external.earlier.length)) };
  byName.set(name, found);
  return found;
}

const NOT_ELSEWHERE = (): undefined => undefined;

/**
 * The [DEFAULT] keys the sections of `doc` read. supervisor reads the main file and then each included
 * file into one configparser, so a [DEFAULT] in any file of the deployment lends its keys to every
 * section of every file, and a file read later wins for a key both set (checked with supervisor 4.2.5).
 */
function defaultKeysOf(doc: SupervisorDocument, context: DeploymentContext | undefined): DefaultKeys {
  const own = defaultEntries(doc);
  const others = context?.files.filter((f) => f.path !== context.path && defaultEntries(f.doc).size > 0);
  if (!context || !others?.length) return { entries: own, fileOf: NOT_ELSEWHERE };
  const entries = new Map<string, Entry>();
  const fileOf = new Map<Entry, string>();
  // In read order; a file not among them (never the case from analyzeDeployment) counts as read first.
  const self = context.files.findIndex((f) => f.path === context.path);
  const order = self === -1 ? [{ path: context.path, doc }, ...context.files] : context.files;
  for (const f of order) {
    const mine = f.path === context.path;
    for (const [key, entry] of mine ? own : defaultEntries(f.doc)) {
      entries.set(key, entry);
      if (!mine) fileOf.set(entry, f.path);
    }
  }
  return { entries, fileOf: (entry) => fileOf.get(entry) };
}

const NAMING_KEYS = ['numprocs', 'process_name', 'numprocs_start'];

/**
 * Whether the deployment's [DEFAULT] gives the programs of `doc` other naming keys (numprocs,
 * process_name, numprocs_start) than the file's own [DEFAULT], which they read alone.
 */
function namingLent(doc: SupervisorDocument, defaults: DefaultKeys): boolean {
  const own = defaultEntries(doc);
  return NAMING_KEYS.some((k) => defaults.entries.get(k) !== own.get(k));
}

/** How another file's program reads its naming keys in the deployment (see namingLent). */
function lentElsewhere(p: ProgramView, defaults: DefaultKeys): (key: string) => Entry | undefined {
  // Read alone, the program's entries are its own sections' or its file's [DEFAULT]'s.
  return (key) => {
    const e = p.get(key);
    return e && p.sectionIndexes.includes(e.sectionIndex) ? e : defaults.entries.get(key);
  };
}

function externalView(context: DeploymentContext, defaults: DefaultKeys): ExternalView {
  const self = context.files.findIndex((f) => f.path === context.path);
  const files = context.files.filter((f) => f.path !== context.path);
  const view: ExternalView = {
    path: context.path,
    files,
    earlier: self === -1 ? [] : context.files.slice(0, self),
    programs: [],
    byName: new Map(),
    groups: [],
    memmonListeners: [],
    sectionNames: new Set(),
    complete: context.complete,
    // supervisor reads the main file first; a file read after it is included, [supervisord] or not.
    ...(self > 0 ? { mainFile: context.files[0].path } : {}),
    ...(self === 0 && context.includes ? { includes: context.includes } : {}),
    ...(context.unread?.length ? { unread: context.unread } : {}),
  };
  const groupOf = new Map<string, string>();
  for (const f of context.files) for (const g of aloneOf(f.doc).groups) for (const p of g.programs) if (!groupOf.has(p)) groupOf.set(p, g.name);
  for (const f of files) {
    const d = aloneOf(f.doc);
    const naming = namingLent(f.doc, defaults);
    for (const s of f.doc.sections) view.sectionNames.add(s.name);
    for (const g of d.groups) view.groups.push({ ...g, file: f.path });
    for (const p of d.programs) {
      if (view.byName.has(p.name)) continue; // merged by supervisor; duplicate-section-across-files reports it
      const group = p.kind === 'eventlistener' ? p.group : (groupOf.get(p.name) ?? p.name);
      const lent = naming ? lentElsewhere(p, defaults) : undefined;
      const read = lent ?? ((key: string) => p.get(key));
      const numprocs = lent ? integerValue(lent('numprocs'), 1) : p.numprocs;
      const program: ExternalProgram = {
        name: p.name,
        kind: p.kind,
        file: f.path,
        sectionIndex: p.sectionIndexes[0],
        group,
        numprocs,
        processNames:
          group === p.group && !lent ? p.processNames : processNamesOf(p.name, group, read('process_name'), read('numprocs_start'), numprocs),
      };
      view.programs.push(program);
      view.byName.set(p.name, program);
    }
    for (const l of d.memmonListeners) view.memmonListeners.push({ name: l.name, file: f.path, sectionIndex: l.sectionIndexes[0], memmon: l.memmon });
  }
  return view;
}

/**
 * The deployment of one file; with a context, also what the other files of its deployment define
 * (`external`), and the groups they declare for this file's programs.
 */
export function buildDeployment(doc: SupervisorDocument, context?: DeploymentContext): Deployment {
  // supervisor's parser is a configparser: a section that does not set a key gets [DEFAULT]'s.
  const defaults = defaultKeysOf(doc, context);
  const external = context ? externalView(context, defaults) : undefined;
  const groups: GroupView[] = [];
  const groupOf = new Map<string, string>();
  const sections = doc.sections;
  let isMainFile = false;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    if (s.name === 'supervisord') isMainFile = true;
    if (s.kind !== 'group' || s.label === undefined || s.duplicateOf !== undefined) continue;
    const programs = (lastEntry(s, 'programs')?.value ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    // supervisor strips a group's or program's name (process_or_group_name), but finds the members of
    // programs= by section name ("program:" + item): [program: x] is a program named x that no group can list.
    const name = nameOfLabel(s.label);
    groups.push({ name, sectionIndex: i, programs });
    for (const p of programs) if (!groupOf.has(p)) groupOf.set(p, name);
  }

  const programs: ProgramView[] = [];
  const byName = new Map<string, ProgramView>();
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    const kind = s.kind;
    if ((kind !== 'program' && kind !== 'fcgi-program' && kind !== 'eventlistener') || s.label === undefined) continue;
    const name = nameOfLabel(s.label);
    const existing = byName.get(name);
    if (existing) {
      // A repeated header (the same section name) is merged; anything else is a schema finding, not a second program.
      if (existing.kind === kind && sections[existing.sectionIndexes[0]].label === s.label) existing.sectionIndexes.push(i);
      continue;
    }
    // An event listener is a pool of its own, named by the label as written (options.py does not strip pool_name).
    const group = kind === 'eventlistener' ? s.label : (groupOf.get(s.label) ?? externalGroupOf(external, s.label) ?? name);
    const view = new Program(sections, programs.length, name, kind, i, group, defaults);
    programs.push(view);
    byName.set(name, view);
  }

  const keys: KeyIndex = new Map();
  const guess: KeyGuess = { keys: [], columns: [] };
  // Every program is indexed before any is read: one tight pass over the entries, not interleaved
  // with reading commands (measured: the interleaved loop took about twice as long).
  const columns = new KeyColumns(keys);
  for (const p of programs as Program[]) p.index(keys, columns, guess, programs.length);
  for (const p of programs as Program[]) {
    const found = p.get('command');
    // A command from another file's [DEFAULT]: what it runs is read there, where its text is.
    const command = found && defaults.fileOf(found) === undefined ? found : undefined;
    p.numprocs = integerValue(p.get('numprocs'), 1);
    p.processNames = processNamesOf(p.name, p.group, p.get('process_name'), p.get('numprocs_start'), p.numprocs);
    p.command = command;
    if (command) {
      if (p.kind === 'program') {
        p.celery = celeryReadingOf(command.value);
        p.memmon = undefined;
      } else {
        p.celery = undefined;
        p.memmon = p.kind === 'eventlistener' ? memmonCache.remember(command.value, readMemmonCommand) : undefined;
      }
    }
  }

  return {
    doc,
    programs,
    byName,
    groups,
    isMainFile,
    defaults,
    // Filtered once every program is read, not pushed to in the loop: a list made before the loop is
    // old by the time a late program (the usual listener) is pushed, its allocation site never learns
    // it holds objects, and the optimized loop gave up on every run ("not a Smi").
    celeryPrograms: programs.filter(runsCelery),
    memmonListeners: programs.filter(runsMemmon),
    ...(external ? { external } : {}),
  };
}

function runsCelery(p: ProgramView): p is Deployment['celeryPrograms'][number] {
  return p.celery !== undefined;
}

function runsMemmon(p: ProgramView): p is Deployment['memmonListeners'][number] {
  return p.memmon !== undefined;
}

function externalGroupOf(external: ExternalView | undefined, program: string): string | undefined {
  return external?.groups.find((g) => g.programs.includes(program))?.name;
}

export interface Watch {
  /** The listener, when it is in this file. */
  listener?: Deployment['memmonListeners'][number];
  /** The listener, when another file of the deployment defines it. */
  external?: ExternalListener;
  cumulative: boolean;
}

/** The names memmon's -p and -g options give, as sets: a listener with thousands of -p is asked about every program. */
interface MemmonNames {
  processes: Set<string>;
  groups: Set<string>;
}

/** By reading: readings are shared through the command cache and never mutated. */
const memmonNamesOf = new WeakMap<MemmonCommand, MemmonNames>();

function memmonNames(m: MemmonCommand): MemmonNames {
  let names = memmonNamesOf.get(m);
  if (!names) {
    const processes = new Set<string>();
    const groups = new Set<string>();
    for (const l of m.programs) if (l.name !== undefined) processes.add(l.name);
    for (const l of m.groups) if (l.name !== undefined) groups.add(l.name);
    names = { processes, groups };
    memmonNamesOf.set(m, names);
  }
  return names;
}

/**
 * Whether memmon's options select a program: one of its process names (or `group:name`) with -p, its group with -g, or -a.
 * Linear in the program's process names, whatever the number of -p and -g options.
 */
export function memmonSelects(m: MemmonCommand, program: { processNames: string[] | undefined; group: string }): boolean {
  if (m.any) return true;
  const group = program.group;
  const selected = memmonNames(m);
  if (selected.groups.has(group)) return true;
  const names = program.processNames;
  if (!names || names.length === 0) return false;
  // `-p group:name` selects when it starts with `group:` and the part after its first ':' is a process
  // name. Such an option is the group's text up to its first ':', a ':', then the process name.
  const colon = group.indexOf(':');
  const prefix = (colon === -1 ? group : group.slice(0, colon)) + ':';
  const groupColon = group + ':';
  for (const name of names) {
    if (selected.processes.has(name)) return true;
    const qualified = prefix + name;
    if (selected.processes.has(qualified) && qualified.startsWith(groupColon)) return true;
  }
  return false;
}

/**
 * The memmon listeners that watch a program: by one of its process names (or `group:name`) with -p,
 * by its group with -g, or everything with -a, in this file and in the other files of the
 * deployment. memmon compares names exactly.
 */
export function watchersOf(deployment: Deployment, program: ProgramView): Watch[] {
  const watches: Watch[] = [];
  for (const listener of deployment.memmonListeners) {
    if (memmonSelects(listener.memmon, program)) watches.push({ listener, cumulative: !!listener.memmon.cumulative });
  }
  const externals = deployment.external?.memmonListeners;
  if (externals) {
    for (const external of externals) {
      if (memmonSelects(external.memmon, program)) watches.push({ external, cumulative: !!external.memmon.cumulative });
    }
  }
  return watches;
}
