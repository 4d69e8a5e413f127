/**
 * Shared pieces of the Celery command-line rules: which programs run which sub-command, values that
 * only the server knows, moving and removing options without breaking short-option clusters, and the
 * keys that tell whether two programs belong to the same Celery deployment.
 */
import type { Deployment, ProgramView } from '../../deployment';
import type { CeleryCommand, CeleryOption, CelerySubcommand } from '../../command/celery';
import { removeOption, removeSpans, spanRange } from '../../commandEdits';
import { expandTemplate } from '../../model/percent';
import { entriesHolding, type SupervisorDocument } from '../../model/document';
import { environmentPairs, sharedEnvironmentNames, supervisordSections } from '../process/environment';
import type { TextEdit } from '../../model/types';
import { compareVersions, type Settings } from '../../settings';
import type { CeleryProgram } from './workers';
import type { Finding, SettingChange } from '../rule';
import { selection } from '../selection';
import { TextMemo } from '../../textMemo';
import { lowerCase } from '../../catalog/datatypes';

/** The Celery programs running one of these sub-commands (legacy celeryd counts as worker, celerybeat as beat). */
export function celeryRunning(deployment: Deployment, ...subcommands: CelerySubcommand[]): CeleryProgram[] {
  // Several rules ask for the same selection: computed once per analysis (callers never change it).
  let bySelection = runningOf.get(deployment);
  if (!bySelection) runningOf.set(deployment, (bySelection = new Map()));
  const key = subcommands.join(' ');
  let programs = bySelection.get(key);
  if (!programs) bySelection.set(key, (programs = selection(deployment.celeryPrograms, (p) => subcommands.includes(p.celery.subcommand))));
  return programs;
}

const runningOf = new WeakMap<Deployment, Map<string, CeleryProgram[]>>();

/**
 * A value the file cannot tell: a supervisor expansion other than `%%` (`%(ENV_X)s`), a shell variable,
 * a command substitution or a template placeholder (`{{ x }}`, `${x}`).
 */
export function isDynamic(value: string): boolean {
  return value.includes('%(') || value.includes('$') || value.includes('`') || value.includes('{{') || value.includes('{%');
}

/**
 * A finding that `option` is missing, for workers whose command passes arguments the file does not
 * show (`%(ENV_CELERY_OPTS)s`, `{{ extra_args }}`, `$OPTS` in a shell script): those may hold it, so
 * the finding is information at most, and says why.
 */
export function unlessUnknownArguments<F extends Omit<Finding, 'fixes'>>(finding: F, option: string, ...commands: CeleryCommand[]): F {
  let unknown: string | undefined;
  for (let k = 0; k < commands.length && unknown === undefined; k++) unknown = commands[k].unknownArguments?.[0].text;
  if (unknown === undefined) return finding;
  return {
    ...finding,
    severity: finding.severity === 'hint' ? 'hint' : 'information',
    message: `${finding.message} Unless ${unknown} adds ${option}: what it expands to is not in this file.`,
  };
}

/**
 * A finding that holds for prefork, Celery's default pool, on a worker that names no pool but passes
 * arguments the file does not show: those may choose another pool. Information at most, and says why.
 */
export function unlessOtherPool<F extends Omit<Finding, 'fixes'>>(finding: F, command: CeleryCommand): F {
  return command.has('--pool') ? finding : unlessUnknownArguments(finding, 'another --pool', command);
}

/** Is the configured Celery version older than `version` ("5.3.0", "5.0" ...)? */
export function versionBefore(settings: Settings, version: string): boolean {
  return compareVersions(settings.celeryVersion, version) < 0;
}

/** "5.3.0" -> "5.3", "5.3.1" stays. */
export function shortVersion(version: string): string {
  return version.endsWith('.0') && version.split('.').length === 3 ? version.slice(0, -2) : version;
}

/** The supervisor.celery.version ("major.minor") under which something added in Celery `since` is known. */
export function newerSetting(since: string): SettingChange {
  const version = since.split('.').slice(0, 2).join('.');
  return { key: 'celery.version', value: version, condition: `if the workers run Celery ${version} or later` };
}

/**
 * The option as it should be written somewhere else, or undefined when it cannot be lifted out on its
 * own (a letter of a short-option cluster, quoted names, values that span lines).
 */
export function optionText(command: string, o: CeleryOption): string | undefined {
  if (o.combined) return undefined;
  let text: string;
  if (o.form === 'separate' && o.valueStart !== undefined && o.valueEnd !== undefined) {
    const name = command.slice(o.start, o.nameEnd);
    if (name !== o.spelling) return undefined;
    text = `${name} ${command.slice(o.valueStart, o.valueEnd)}`;
  } else {
    text = command.slice(o.start, o.end);
  }
  return text.includes('\n') || text.trim() === '' ? undefined : text;
}

/**
 * Edits that remove one option. Inside a cluster of short options (`-DB`, `-Bc4`) only its letter (and
 * its value) goes; undefined when that cannot be done safely.
 */
export function removeOptionEdits(doc: SupervisorDocument, p: CeleryProgram, o: CeleryOption): TextEdit[] | undefined {
  const command = p.command.value;
  if (!o.combined) return removeOption(doc, p.command, o);
  const letter = o.spelling.slice(1);
  const nameText = command.slice(o.nameStart, o.nameEnd);
  let from: number;
  if (nameText === o.spelling) from = o.nameEnd - 1; // first of the cluster: keep the dash
  else if (nameText === letter) from = o.nameStart;
  else return undefined;
  if (command.slice(from, o.end).includes('\n')) return undefined;
  return [{ range: spanRange(p.command, from, o.end), newText: '' }];
}

/** Environment variable names set for a program (its own environment= and the deployment's [supervisord] environment=). */
export function environmentKeys(deployment: Deployment, p: ProgramView): Set<string> {
  const keys = new Set<string>();
  const own = p.get('environment');
  if (own) for (const name of environmentPairs(own.value).keys()) keys.add(name);
  for (const k of sharedEnvironmentNames(deployment)) keys.add(k);
  return keys;
}

/**
 * The value the worker's Celery gets for `variable` (CELERY_WORKER_LOGLEVEL ...) from its environment, as
 * written (supervisor's %-expansions not applied), or undefined when it gets none: Celery's click reads
 * CELERY_<COMMAND>_<OPTION> for an option not given (auto_envvar_prefix). Set by the command itself
 * (`env X=1 celery`, `export X=1; exec celery` in a script), else by the program's environment=, else by the
 * deployment's [supervisord] environment= (supervisor lets the program's replace the shared ones). An empty
 * value counts as none: click skips it (`if rv:` in resolve_envvar_value).
 */
export function celeryEnvironmentValue(deployment: Deployment, p: CeleryProgram, variable: string): string | undefined {
  // Rules ask this of every worker, and most files name no such variable: one scan of the text answers for all.
  if (!fileNames(deployment, variable) && !sharedEnvironmentNames(deployment).has(variable)) return undefined;
  const command = p.command.value;
  const inCommand = assignmentIn(command, variable);
  let value: string | undefined;
  if (inCommand >= 0) {
    const from = inCommand + variable.length + 1;
    // `X=1; exec celery` sets a shell variable Celery never sees: only `export X=1` or `X=1 celery` pass it on.
    if (reachesCommand(command, inCommand, assignmentEnd(command, from))) value = commandAssignment(command, from);
  } else {
    const own = p.get('environment');
    if (own !== undefined && own.value.includes(variable)) value = environmentPairs(own.value).get(variable);
    if (value === undefined && sharedEnvironmentNames(deployment).has(variable)) value = sharedEnvironmentValue(deployment, variable);
  }
  return value ? value : undefined;
}

/**
 * Whether an entry of the file may hold `text` (a variable's name): false when none does, so no program's
 * command or environment= (nor [DEFAULT]'s) names it. One scan of the text per document, remembered
 * (entriesHolding), instead of searching every worker's command and environment= for it.
 */
export function fileNames(deployment: Deployment, text: string): boolean {
  return entriesHolding(deployment.doc, text).length > 0;
}

/** The variable click reads for a worker option not given (auto_envvar_prefix): --max-memory-per-child -> CELERY_WORKER_MAX_MEMORY_PER_CHILD. */
export function workerEnvironmentVariable(longName: string): string {
  let variable = VARIABLES.get(longName);
  if (variable === undefined) VARIABLES.set(longName, (variable = `CELERY_WORKER_${longName.slice(2).toUpperCase().replace(/-/g, '_')}`));
  return variable;
}

/**
 * workerEnvironmentVariable's answers: rules ask it for every worker, and the same string each time is
 * hashed once for the lookups that follow (a new one cost about 0.4 us per worker).
 */
const VARIABLES = new Map<string, string>();

/**
 * The option's value as Celery 5 reads it: from the command (not a removed Celery 4 spelling such as
 * --maxtasksperchild, which limits nothing), else from CELERY_WORKER_<OPTION> in the worker's
 * environment, which click reads for an option not given (auto_envvar_prefix).
 */
export function workerOptionValue(deployment: Deployment, p: CeleryProgram, longName: string): string | undefined {
  const o = p.celery.get(longName);
  if (o) return o.removed ? undefined : o.value;
  return celeryEnvironmentValue(deployment, p, workerEnvironmentVariable(longName));
}

/** Whether the worker's Celery gets a value for `variable` from its environment (celeryEnvironmentValue). */
export function celeryEnvironmentSets(deployment: Deployment, p: CeleryProgram, variable: string): boolean {
  return celeryEnvironmentValue(deployment, p, variable) !== undefined;
}

/** Where the command assigns `variable` (`X=...`, not `MY_X=...`), or -1. */
export function assignmentIn(command: string, variable: string): number {
  const written = `${variable}=`;
  for (let at = command.indexOf(written); at >= 0; at = command.indexOf(written, at + 1)) {
    if (at === 0 || !isNameCharacter(command.charCodeAt(at - 1))) return at;
  }
  return -1;
}

/** A letter, digit or underscore: a character a shell variable's name may hold. */
function isNameCharacter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Hoisted: a regular expression literal in the loop would be a new object per character. */
const ASSIGNMENT_END = /[\s;'"&|)]/;

/** The value of a shell assignment (`X=value`, `X="a b"`) starting at `from`: up to a space, `;` or the closing quote. */
function commandAssignment(command: string, from: number): string {
  const q = command[from];
  const end = assignmentEnd(command, from);
  return q === '"' || q === "'" ? command.slice(from + 1, Math.max(from + 1, end - 1)) : command.slice(from, end);
}

/** Where the value of a shell assignment starting at `from` ends (after its closing quote). */
function assignmentEnd(command: string, from: number): number {
  const q = command[from];
  if (q === '"' || q === "'") {
    const close = command.indexOf(q, from + 1);
    return close === -1 ? command.length : close + 1;
  }
  let end = from;
  while (end < command.length && !ASSIGNMENT_END.test(command[end])) end++;
  return end;
}

/** Words before an assignment that put it in the environment of what the script runs. */
const EXPORTING = /(?:^|[\s;&|('"])(?:export|declare\s+-x|typeset\s+-x)\s+(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*$/;

/**
 * Whether a shell assignment (from `at` to `end`) reaches the environment of the commands after it: one
 * that `export` (or `declare -x`) sets or names later, or one written before a command (`X=1 celery`, `env X=1 celery`);
 * not one that is a statement of its own (`X=1; exec celery`: a shell variable only, checked with dash).
 */
function reachesCommand(command: string, at: number, end: number): boolean {
  let next = end;
  while (next < command.length && (command[next] === ' ' || command[next] === '\t')) next++;
  const c = command[next];
  const statement = next >= command.length || c === ';' || c === '&' || c === '|' || c === '\n' || c === ')' || c === '"' || c === "'";
  if (!statement || EXPORTING.test(command.slice(Math.max(0, at - 200), at))) return true;
  // `X=gevent; export X`: exported by a later export of the name.
  const name = command.slice(at, command.indexOf('=', at));
  return new RegExp(`(?:^|[\\s;&|('"])(?:export|declare\\s+-x|typeset\\s+-x)\\s+(?:[^;&|\\n]*\\s)?${name}(?=[\\s;&|)'"]|$)`).test(command.slice(end));
}

/** What the last [supervisord] environment= of the deployment that sets `variable` sets it to. */
function sharedEnvironmentValue(deployment: Deployment, variable: string): string | undefined {
  let value: string | undefined;
  for (const s of supervisordSections(deployment)) {
    for (const e of s.entries) if (e.key === 'environment' && e.value.includes(variable)) value = environmentPairs(e.value).get(variable) ?? value;
  }
  return value;
}

/** true/false as supervisor reads booleans. */
export function isFalse(value: string | undefined): boolean {
  return value !== undefined && FALSE_WORDS.includes(lowerCase(value.trim()));
}

const FALSE_WORDS = ['false', 'no', 'off', '0'];

/**
 * Which Celery deployment a program belongs to: the celery executable (venv), the working directory,
 * the app's top-level package and the broker. Two programs with different keys are treated as separate
 * projects (e.g. production and staging in one file), which may well use separate brokers.
 */
export function deploymentKey(p: CeleryProgram): string {
  const c = p.celery;
  const exe = c.celeryExecutablePath ?? (c.viaPythonM ? c.executable : '');
  const slash = exe.lastIndexOf('/');
  const exeDir = slash >= 0 ? exe.slice(0, slash) : '';
  let dir = (c.get('--workdir')?.value ?? p.get('directory')?.value ?? '').trim();
  let dirEnd = dir.length;
  while (dirEnd > 0 && dir.charCodeAt(dirEnd - 1) === 47 /* / */) dirEnd--;
  if (dirEnd !== dir.length) dir = dir.slice(0, dirEnd);
  const root = appRoot(p);
  const broker = (c.get('--broker')?.value ?? '').trim();
  // Length-prefixed, so that different tuples never give the same key (cheaper than JSON.stringify);
  // the app's package first, where projects differ, so comparing two keys stops early.
  return `${root.length}:${root}${dir.length}:${dir}${exeDir.length}:${exeDir}${broker.length}:${broker}`;
}

/**
 * The app's top-level package (`proj` of `-A proj.celery:app`), the part of deploymentKey where
 * projects usually differ: programs with different roots never share a key.
 */
export function appRoot(p: CeleryProgram): string {
  const app = (p.celery.get('--app')?.value ?? '').trim();
  let rootEnd = 0;
  while (rootEnd < app.length) {
    const ch = app.charCodeAt(rootEnd);
    if (ch === 46 /* . */ || ch === 58 /* : */) break;
    rootEnd++;
  }
  return rootEnd === app.length ? app : app.slice(0, rootEnd);
}

/** Hoisted: a regular expression literal would be a new object per program. */
const PLAIN_NUMBER = /^\s*\d+\s*$/;

/**
 * The Celery node names of a program's processes (after supervisor's expansion; a name without '@'
 * is the host part, named `celery@<name>` as Celery's default_nodename does), or undefined when they depend on something the file does not say.
 * `fromEnvironment` is the CELERY_WORKER_HOSTNAME the worker gets (celeryEnvironmentValue), used where -n is
 * not given: supervisor expands it like the command, so it is read as an -n value is.
 */
export function nodeNames(p: CeleryProgram, fromEnvironment?: string): readonly string[] | undefined {
  const opt = p.celery.get('--hostname');
  if (opt && (opt.value === undefined || opt.missingValue)) return undefined;
  const template = opt?.value ?? fromEnvironment ?? 'celery@%%h';
  if (template.includes('$') || template.includes('`') || template.includes('{{')) return undefined;
  const count = Math.min(p.numprocs, 1000);
  if (!template.includes('%(')) {
    // No name to expand: every process gets the same node name (remembered per template).
    const one = fixedNodeName(template);
    if (one === undefined) return undefined;
    // Most programs run one process: their list is the remembered one, shared (callers never change it).
    return count === 1 ? one : new Array<string>(count).fill(one[0]);
  }
  const startEntry = p.get('numprocs_start');
  const start = startEntry && PLAIN_NUMBER.test(startEntry.value) ? Number(startEntry.value.trim()) : 0;
  const names: string[] = [];
  for (let n = start; n < start + count; n++) {
    const expanded = expandTemplate(template, { program_name: p.name, group_name: p.group, process_num: n, numprocs: p.numprocs });
    if (expanded === undefined) return undefined;
    names.push(withNodePrefix(expanded));
  }
  return names;
}

const fixedNames = new TextMemo<readonly string[] | undefined>(10_000);

/** The node name of a template without %(name)s expansions (the same for every process) as a list of one, or undefined. */
function fixedNodeName(template: string): readonly string[] | undefined {
  return fixedNames.remember(template, readFixedNodeName);
}

/** For fixedNodeName (a function of its own, not a closure made at every call). */
function readFixedNodeName(own: string): readonly string[] | undefined {
  const expanded = expandTemplate(own, NO_NAMES);
  return expanded === undefined ? undefined : [withNodePrefix(expanded)];
}

const NO_NAMES = {};

/** Celery's default_nodename (celery/utils/nodenames.py): `-n worker1` is the host part, the node celery@worker1. */
export function withNodePrefix(name: string): string {
  return name.includes('@') ? name : `celery@${name}`;
}

/** The program's autostart is switched off: supervisor starts it only on request. */
export function autostartOff(p: ProgramView): boolean {
  return isFalse(p.get('autostart')?.value);
}

/**
 * Edits that remove every occurrence of an option (click uses the last one, so removing only that
 * would bring an earlier one back into force), or undefined when one cannot be removed safely.
 */
export function removeAllEdits(doc: SupervisorDocument, p: CeleryProgram, name: string): TextEdit[] | undefined {
  const options = p.celery.options.filter((o) => o.name === name && o.known);
  return options.length ? removeOptionsEdits(doc, p, options) : undefined;
}

/**
 * Edits that remove several options at once (removeSpans keeps their removals from overlapping); a
 * letter of a cluster of short options goes on its own.
 */
export function removeOptionsEdits(doc: SupervisorDocument, p: CeleryProgram, options: readonly CeleryOption[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const o of options) {
    if (!o.combined) continue;
    const e = removeOptionEdits(doc, p, o);
    if (!e) return undefined;
    edits.push(...e);
  }
  edits.push(...removeSpans(doc, p.command, options.filter((o) => !o.combined)));
  return edits;
}
