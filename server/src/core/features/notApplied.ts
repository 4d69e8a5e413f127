/**
 * What supervisord does not run as the file now reads (the "not applied yet" lens): the file, read for
 * each process as supervisor reads it, against what supervisor.getAllConfigInfo reports supervisord
 * loaded, and the environment the running processes started with.
 */
import { filesInReadOrder, nameOfLabel, type Deployment, type ProgramView } from '../deployment';
import { lastEntry, type Entry } from '../model/document';
import type { LiveState, ProcessConfigInfo, ProcessInfo } from './processStatus';
import { expandTemplate } from '../model/percent';
import { booleanKey, processExpansions } from '../rules/process/programKeys';
import { keySpecsOf, type KeySpec } from '../catalog/keys';
import { lowerCase, parseBoolean, parseEnvironment, pyStrip, parseByteSize, parseExitCodes, parseInteger, parseSignal, pyInt, type EnvironmentReading, type Parsed } from '../catalog/datatypes';
import { TextMemo } from '../textMemo';

/**
 * The names of what the program runs differently from the file, in the lens's order: command,
 * environment, numprocs or process_name, the COMPARED keys, its [group:x]'s priority. `here`: the file's folder.
 */
export function notApplied(deployment: Deployment, p: ProgramView, mine: { processes: readonly ProcessInfo[]; configs: readonly ProcessConfigInfo[] }, here: string, live: LiveState): string[] {
  const namesOf = namesFor(p, here);
  const changed = differences(p, mine.configs, namesOf, live.accounts);
  if (namesOf && live.environments && environmentDiffers(p, mine.processes, namesOf, live.environments)) changed.splice(changed[0] === 'command' ? 1 : 0, 0, 'environment');
  if (groupPriorityDiffers(deployment, p, mine.configs)) changed.push(`[group:${p.group}] priority`);
  return changed;
}

/** The names supervisor fills into a process's values, by process name; undefined for a name that is not one of the file's processes. */
type NamesOf = (process: string) => Record<string, string | number> | undefined;

/** Undefined when numprocs_start cannot be read (no names are known then). */
function namesFor(p: ProgramView, here: string): NamesOf | undefined {
  const names = processExpansions(p, here);
  if (!names) return undefined;
  const start = names.process_num;
  return (process) => {
    const k = p.processNames?.indexOf(process) ?? -1;
    if (k < 0) return undefined;
    names.process_num = start + k;
    return names;
  };
}

/**
 * Keys of a program compared with what supervisord loaded (getAllConfigInfo reports them): those the
 * tuning guide has people change (stopwaitsecs, stopsignal, killasgroup), where the output goes and
 * how it rotates, where and in which order the program starts. What a forgotten `supervisorctl update`
 * leaves unapplied. `field`: getAllConfigInfo's name for it, where that differs.
 */
const COMPARED: readonly { key: string; field?: string }[] = [
  { key: 'directory' },
  { key: 'user', field: 'uid' },
  { key: 'priority', field: 'process_prio' },
  { key: 'autostart' },
  { key: 'startsecs' },
  { key: 'startretries' },
  { key: 'exitcodes' },
  { key: 'stopsignal' },
  { key: 'stopwaitsecs' },
  { key: 'killasgroup' },
  { key: 'redirect_stderr' },
  { key: 'serverurl' },
  ...(['stdout', 'stderr'] as const).flatMap((s) =>
    ['logfile', 'logfile_maxbytes', 'logfile_backups', 'syslog', 'capture_maxbytes', 'events_enabled'].map((k) => ({ key: `${s}_${k}` })),
  ),
];

/**
 * Whether a running process lacks a variable of the program's environment= (or has another value):
 * supervisord adds them to its own environment when it starts the process, so each must be there as
 * written, after supervisor's expansions. A variable removed from the file cannot be told from one
 * supervisord has itself.
 */
function environmentDiffers(p: ProgramView, processes: readonly ProcessInfo[], namesOf: NamesOf, environments: NonNullable<LiveState['environments']>): boolean {
  const text = p.get('environment')?.value;
  if (text === undefined) return false;
  return processes.some((process) => {
    const names = namesOf(process.name);
    const environment = names && process.pid !== undefined ? environments.get(process.pid) : undefined;
    if (!names || !environment) return false;
    const expanded = expandTemplate(text, names);
    const reading = expanded === undefined ? undefined : environmentReadings.remember(expanded, parseEnvironment);
    return reading !== undefined && !reading.error && reading.pairs.some(({ key, value }) => environment.get(key) !== value);
  });
}

/** Programs share an environment= text: read each once (the lenses come back every 5 s). */
const environmentReadings = new TextMemo<EnvironmentReading>(10_000);

/**
 * Whether supervisord orders the program's [group:x] by another priority than the file's (group_prio;
 * a program's own group takes the program's priority, compared with the other keys).
 */
function groupPriorityDiffers(deployment: Deployment, p: ProgramView, configs: readonly ProcessConfigInfo[]): boolean {
  if (p.group === p.name) return false;
  const priority = groupPriority(deployment, p.group);
  return priority !== undefined && configs.some((c) => typeof c.group_prio === 'number' && c.group_prio !== priority);
}

/** The priority of each [group:x] by name, read once per deployment (each lookup scans every file's sections). */
const groupPrioritiesOf = new WeakMap<Deployment, Map<string, number | undefined>>();

function groupPriority(deployment: Deployment, group: string): number | undefined {
  let byName = groupPrioritiesOf.get(deployment);
  if (!byName) groupPrioritiesOf.set(deployment, (byName = new Map()));
  if (!byName.has(group)) {
    const written = groupEntry(deployment, group, 'priority');
    byName.set(group, written ? parsedOrUndefined(parseInteger(written.value)) : 999);
  }
  return byName.get(group);
}

/** `key` of the [group:x] sections that make the group `name` (supervisor strips x: [group: g ] is g), the last read winning. */
function groupEntry(deployment: Deployment, name: string, key: string): Entry | undefined {
  let found: Entry | undefined;
  const files = deployment.external ? filesInReadOrder(deployment.external, deployment.doc) : [deployment];
  for (const { doc } of files) {
    for (const s of doc.sections) if (s.kind === 'group' && s.label !== undefined && nameOfLabel(s.label) === name) found = lastEntry(s, key) ?? found;
  }
  return found;
}

/** The command, numprocs (or process_name) and the COMPARED keys that supervisord loaded differently from the file. */
function differences(p: ProgramView, configs: readonly ProcessConfigInfo[], namesOf: NamesOf | undefined, accounts?: ReadonlyMap<number, string>): string[] {
  const out: string[] = [];
  if (configs.length && configs.length !== Math.min(p.numprocs, p.processNames?.length ?? p.numprocs)) out.push('numprocs');
  if (!namesOf) return out;
  // As many processes as the file has, named otherwise: supervisord runs them by an older process_name.
  if (!out.length && p.processNames && configs.some((c) => namesOf(c.name) === undefined)) out.push('process_name');
  // get: a command from another file's [DEFAULT] is the program's too (p.command is this file's only).
  const command = p.get('command')?.value;
  const commandDiffers = (c: ProcessConfigInfo) => {
    const names = namesOf(c.name);
    if (!names || typeof c.command !== 'string') return false;
    const expanded = expandTemplate(command!, names);
    return expanded !== undefined && expanded !== c.command && squeezed(expanded) !== squeezed(c.command);
  };
  if (command && configs.some(commandDiffers)) out.unshift('command');
  for (const { key, field, spec, once, perProcess } of fileSide(p)) {
    for (const c of configs) {
      const loaded = c[field];
      // A field this supervisord does not report: nothing to compare.
      if (loaded === undefined) continue;
      let mine = once;
      if (perProcess !== undefined) {
        const names = namesOf(c.name);
        if (!names) continue;
        mine = loadedForm(spec, perProcess, names);
      }
      if (mine !== undefined && !sameAsLoaded(mine, loaded, key, c.name, accounts)) {
        out.push(key);
        break;
      }
    }
  }
  return out;
}

/** A COMPARED key as the program's text has it: one reading for every process, or a text to read per process. */
interface FileKey {
  key: string;
  field: string;
  spec: KeySpec;
  once?: unknown;
  /** The text, when it reads names that differ by process (%(process_num)). */
  perProcess?: string;
}

/**
 * The file's side of the comparison, read once per program (the lenses come back every 5 s with new
 * answers, the file unchanged): each COMPARED key the file says something comparable about.
 */
const fileSides = new WeakMap<ProgramView, FileKey[]>();

function fileSide(p: ProgramView): FileKey[] {
  const known = fileSides.get(p);
  if (known) return known;
  const keys: FileKey[] = [];
  for (const { key, field, spec, fallback } of comparedKeys(p.kind)) {
    const text = fileText(p, key);
    // A value without % expands to itself: the same for every process, read once.
    if (text !== undefined && text.includes('%')) keys.push({ key, field, spec, perProcess: text });
    else {
      const once = text === undefined ? fallback : loadedForm(spec, text, {});
      if (once !== undefined) keys.push({ key, field, spec, once });
    }
  }
  fileSides.set(p, keys);
  return keys;
}

interface ComparedKey {
  key: string;
  /** Its name in getAllConfigInfo's answer. */
  field: string;
  spec: KeySpec;
  /** The default, read as supervisor reads it; undefined when it cannot be compared. */
  fallback: unknown;
}

/** COMPARED with each key's spec and default reading, by section kind: built once, read for every program. */
const comparedByKind = new Map<string, ComparedKey[]>();

function comparedKeys(kind: string): ComparedKey[] {
  let keys = comparedByKind.get(kind);
  if (keys) return keys;
  const specs = keySpecsOf(kind);
  keys = [];
  for (const { key, field } of COMPARED) {
    const spec = specs?.get(key);
    if (!spec) continue;
    // Absent, directory, user and serverurl are None, reported as 'none'; killasgroup follows an absent stopasgroup (false).
    const none = key === 'directory' || key === 'user' || key === 'serverurl';
    const text = none ? undefined : key === 'killasgroup' ? 'false' : spec.default;
    const fallback = none ? 'none' : text === undefined ? undefined : loadedForm(spec, text, {});
    keys.push({ key, field: field ?? key, spec, fallback });
  }
  comparedByKind.set(kind, keys);
  return keys;
}

/** The file's text for a key, written or implied by another key as options.py reads it; undefined: supervisor's default. */
function fileText(p: ProgramView, key: string): string | undefined {
  // With redirect_stderr, supervisor drops a stderr_logfile.
  if (key === 'stderr_logfile' && p.get('redirect_stderr') && booleanKey(p, 'redirect_stderr', false)) return 'NONE';
  const written = p.get(key)?.value;
  if (written !== undefined) return written;
  if (key === 'killasgroup') return p.get('stopasgroup')?.value;
  if (key === 'stdout_syslog' || key === 'stderr_syslog') {
    // The deprecated stdout_logfile=syslog turns stdout_syslog on.
    const log = p.get(key === 'stdout_syslog' ? 'stdout_logfile' : 'stderr_logfile')?.value.trim();
    if (log?.length === 6 && lowerCase(log) === 'syslog') return 'true';
  }
  return undefined;
}

/**
 * A value of the file in the form getAllConfigInfo reports it for one process (names: its expansions):
 * numbers, booleans, a list of exit codes, a path, or 'auto' / 'none' for the log targets. Undefined
 * when it cannot be known here (an environment variable, a `~` path, a value supervisor would refuse).
 */
function loadedForm(spec: KeySpec, text: string, names: Record<string, string | number>): unknown {
  const once = expandTemplate(text, names);
  const value = spec.expandedTwice && once !== undefined ? expandTemplate(once, names) : once;
  if (value === undefined) return undefined;
  switch (spec.type) {
    case 'integer':
      return parsedOrUndefined(parseInteger(value));
    case 'boolean':
      return parsedOrUndefined(parseBoolean(value));
    case 'byte_size':
      return parsedOrUndefined(parseByteSize(value));
    case 'signal':
      return parsedOrUndefined(parseSignal(value));
    case 'exit_codes':
      return parsedOrUndefined(parseExitCodes(value));
    case 'directory':
      return value.startsWith('~') ? undefined : value;
    case 'url':
      // options.py: AUTO (any case, spaces around) is None.
      return value.length <= 12 && lowerCase(pyStrip(value)) === 'auto' ? 'none' : value;
    case 'user': {
      // name_to_uid takes a uid as well as a name.
      const uid = pyInt(value);
      return uid ?? value;
    }
    case 'logfile': {
      const target = value.trim();
      // Only a short text can be one of the special targets: no lower-casing of every path.
      const lower = target.length <= 6 ? lowerCase(target) : '';
      if (lower === 'none' || lower === 'off' || lower === 'syslog') return 'none';
      if (lower === 'auto') return 'auto';
      return target.startsWith('~') ? undefined : target;
    }
    default:
      return undefined;
  }
}

function parsedOrUndefined<T>(parsed: Parsed<T>): T | undefined {
  return parsed.ok ? parsed.value : undefined;
}

/**
 * Whether supervisord loaded the file's value: equal, or not comparable. supervisord reports user= as a
 * uid ('none' without one), and an AUTO log as the file it made in childlogdir,
 * `<process>-stdout---<identifier>-<random>.log`.
 */
function sameAsLoaded(mine: unknown, loaded: unknown, key: string, process: string, accounts: ReadonlyMap<number, string> | undefined): boolean {
  if (key === 'user' && typeof loaded === 'number') {
    if (typeof mine === 'number' || mine === 'none') return mine === loaded;
    // An account name: the uid's, where the server could name it; else it cannot be told.
    const name = accounts?.get(loaded);
    return name === undefined || name === mine;
  }
  if (Array.isArray(mine)) return !Array.isArray(loaded) || (mine.length === loaded.length && mine.every((v, i) => v === loaded[i]));
  if (typeof loaded !== typeof mine) return true;
  if (mine === 'auto' && key.endsWith('_logfile')) {
    const stream = key.slice(0, -'_logfile'.length);
    const file = loaded as string;
    return file === 'auto' || file.slice(file.lastIndexOf('/') + 1).startsWith(`${process}-${stream}---`);
  }
  return mine === loaded;
}

/** Whitespace runs as one space: a value re-indented over continuation lines is the same command. */
function squeezed(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}
