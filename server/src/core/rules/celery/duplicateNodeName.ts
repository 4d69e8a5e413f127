import type { Finding, Fix, Rule } from '../rule';
import type { Range } from '../../model/types';
import { formatOption, insertAt, insertOptionWords, optionRange, optionStyle, replaceSpan, subcommandRange } from '../../commandEdits';
import { BACKSLASH_CONTINUED, celeryWorkers, workerFacts, type CeleryProgram } from './workers';
import { appRoot, celeryEnvironmentValue, deploymentKey, nodeNames, unlessUnknownArguments } from './commandLine';
import type { Deployment } from '../../deployment';
import { hashTexts, RepeatTable } from '../repeats';

/** One node name per supervisor process (supervisor needs %% for Celery's own %h). */
const PER_PROCESS = '%(program_name)s_%(process_num)02d@%%h';
const PER_PROGRAM = '%(program_name)s@%%h';
const PROCESS_SUFFIX = '_%(process_num)02d';
const HOSTNAME_VARIABLE = 'CELERY_WORKER_HOSTNAME';

function shown(name: string): string {
  return name.replace(/@%h$/, '@<host>');
}

/** Adds `_%(process_num)02d` to the existing -n value, before the '@'. */
function addProcessNumber(p: CeleryProgram): Fix | undefined {
  const opt = p.celery.get('--hostname');
  if (!opt || opt.valueStart === undefined || opt.valueEnd === undefined || opt.invalidEquals) return undefined;
  const raw = p.command.value.slice(opt.valueStart, opt.valueEnd);
  let at = raw.indexOf('@');
  if (at < 0) {
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
    at = quoted ? raw.length - 1 : raw.length;
  }
  return {
    title: `Add ${PROCESS_SUFFIX} to the node name`,
    edits: [insertAt(p.command, opt.valueStart + at, PROCESS_SUFFIX)],
  };
}

function setNodeName(p: CeleryProgram, template: string): Fix | undefined {
  const opt = p.celery.get('--hostname');
  if (opt) {
    if (opt.valueStart === undefined || opt.valueEnd === undefined || opt.invalidEquals) return undefined;
    return { title: `Use the node name ${template}`, edits: [...replaceSpan(p.command, opt.valueStart, opt.valueEnd, template)] };
  }
  return {
    title: `Add -n ${template}`,
    edits: insertOptionWords(p.command, p.celery, p.celery.insertOffset, formatOption(optionStyle(p.celery), '--hostname', '-n', template)),
  };
}

/**
 * Every Celery worker needs its own node name (-n/--hostname); the default is celery@<host>. With
 * numprocs > 1 the name must contain %(process_num), and two worker programs of one project must not
 * share a name. Duplicates make remote control and monitoring see only one of them
 * (DuplicateNodenameWarning).
 */
export const celeryDuplicateNodeName: Rule = {
  code: 'celery-duplicate-node-name',
  defaultSeverity: 'warning',
  summary: 'Several Celery worker processes share one node name (-n/--hostname missing or without %(process_num)).',
  check(ctx) {
    const findings: Finding[] = [];
    // Node name -> app root -> deployment key -> the first program that uses it.
    const seen: Seen = new Map();
    const keys: Keys = new Map();
    // Indexed loops: for...of allocates iterators and results wherever the engine has not optimized it away.
    const workers = celeryWorkers(ctx.deployment);
    // The same list, in the same order: a worker whose options a line-end backslash cut off may have its -n there.
    const { flags } = workerFacts(ctx.deployment);
    const { namesOf, rootOf, namedByEnvironment, table } = namesAndRoots(ctx.deployment, workers);
    for (let i = 0; i < workers.length; i++) {
      const p = workers[i];
      const names = namesOf[i];
      if (!names || flags[i] & BACKSLASH_CONTINUED) continue;
      const fromEnvironment = namedByEnvironment[i] === 1;
      const root = rootOf[i];
      if (p.numprocs > 1 && hasRepeats(names)) {
        const opt = p.celery.get('--hostname');
        const fixes: Fix[] = [];
        if (opt) {
          const add = addProcessNumber(p);
          if (add) fixes.push({ ...add, isPreferred: true });
          const replace = setNodeName(p, PER_PROCESS);
          if (replace && !(add && opt.value === PER_PROGRAM)) fixes.push(replace);
        } else {
          const add = setNodeName(p, PER_PROCESS);
          if (add) fixes.push({ ...add, isPreferred: true });
        }
        const finding = {
          code: this.code,
          severity: 'warning' as const,
          message: opt
            ? `Worker '${p.name}' starts ${p.numprocs} processes (numprocs=${p.numprocs}) with the same node name ${shown(names[0])}: the -n value does not contain %(process_num). Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Put the process number in the name, e.g. -n ${PER_PROCESS}.`
            : fromEnvironment
              ? `Worker '${p.name}' starts ${p.numprocs} processes (numprocs=${p.numprocs}) with the same node name ${shown(names[0])}, from ${HOSTNAME_VARIABLE} (Celery's click reads it where -n is not given), whose value does not contain %(process_num). Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${PER_PROCESS} (click prefers it to the variable), or put the process number in the variable.`
              : `Worker '${p.name}' starts ${p.numprocs} processes (numprocs=${p.numprocs}) without -n/--hostname, so all of them are named celery@<host>. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${PER_PROCESS} (supervisor needs %% for Celery's %h).`,
          range: nameRange(p),
        };
        findings.push({ ...(opt ? finding : unlessUnknownArguments(finding, '-n/--hostname', p.celery)), fixes });
        remember(seen, keys, table, names, root, p);
        continue;
      }
      let clash: CeleryProgram | undefined;
      let shared: string | undefined;
      for (let k = 0; k < names.length; k++) {
        if (!table.mayRepeat(hashTexts(names[k], root))) continue;
        clash = firstUser(seen, keys, names[k], root, p);
        if (clash) {
          shared = names[k];
          break;
        }
      }
      if (clash && shared !== undefined) {
        const opt = p.celery.get('--hostname');
        const fix = setNodeName(p, p.numprocs > 1 ? PER_PROCESS : PER_PROGRAM);
        const finding = {
          code: this.code,
          severity: 'warning' as const,
          message: opt
            ? `Workers '${clash.name}' and '${p.name}' both use the node name ${shown(shared)}. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Give this one its own name, e.g. -n ${p.numprocs > 1 ? PER_PROCESS : PER_PROGRAM}.`
            : fromEnvironment
              ? `Workers '${clash.name}' and '${p.name}' of the same project are both named ${shown(shared)}: '${p.name}' has no -n/--hostname and takes its name from ${HOSTNAME_VARIABLE} (Celery's click reads it where -n is not given). Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${p.numprocs > 1 ? PER_PROCESS : PER_PROGRAM} (click prefers it to the variable).`
              : `Workers '${clash.name}' and '${p.name}' of the same project are both named ${shown(shared)}: '${p.name}' has no -n/--hostname, so Celery names it celery@<host>. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${PER_PROGRAM} (supervisor needs %% for Celery's %h).`,
          range: nameRange(p),
          related: [{ range: nameRange(clash), message: `Worker '${clash.name}', also named ${shown(shared)}` }],
        };
        // Either of the two may take its name from arguments the file does not show.
        const named = opt ? finding : unlessUnknownArguments(finding, '-n/--hostname', p.celery, clash.celery);
        findings.push({ ...named, fixes: fix ? [{ ...fix, isPreferred: true }] : [] });
      }
      remember(seen, keys, table, names, root, p);
    }
    return findings;
  },
};

/**
 * Who uses a node name first, per deployment key. Keys are compared only between programs whose app
 * root is the same (a different root is a different key), and built only then: most programs of a
 * file either have names of their own or apps of their own. Most names are used under one root only
 * (a plain slot until a second root comes, then a map), and most roots under one key (the program
 * itself until a program with another key comes, then a map by key).
 */
type ByKey = CeleryProgram | Map<string, CeleryProgram>;
type Slot = { root: string; users: ByKey } | Map<string, ByKey>;
type Seen = Map<string, Slot>;
/** deploymentKey of the programs that needed one. */
type Keys = Map<CeleryProgram, string>;

function keyOf(keys: Keys, p: CeleryProgram): string {
  let key = keys.get(p);
  if (key === undefined) keys.set(p, (key = deploymentKey(p)));
  return key;
}

function usersOf(seen: Seen, name: string, root: string): ByKey | undefined {
  const slot = seen.get(name);
  if (slot === undefined) return undefined;
  if (slot instanceof Map) return slot.get(root);
  return slot.root === root ? slot.users : undefined;
}

function firstUser(seen: Seen, keys: Keys, name: string, root: string, p: CeleryProgram): CeleryProgram | undefined {
  const users = usersOf(seen, name, root);
  if (users === undefined) return undefined;
  if (users instanceof Map) return users.get(keyOf(keys, p));
  return keyOf(keys, users) === keyOf(keys, p) ? users : undefined;
}

/** The users of `root` once `p` is remembered among them (undefined: unchanged). */
function withUser(keys: Keys, users: ByKey, p: CeleryProgram): ByKey | undefined {
  if (users instanceof Map) {
    const key = keyOf(keys, p);
    if (!users.has(key)) users.set(key, p);
    return undefined;
  }
  const first = keyOf(keys, users);
  const key = keyOf(keys, p);
  return first === key ? undefined : new Map([[first, users], [key, p]]);
}

/** Remembers the names whose name and root may be another worker's too (the others can never clash). */
function remember(seen: Seen, keys: Keys, table: RepeatTable, names: readonly string[], root: string, p: CeleryProgram): void {
  for (let k = 0; k < names.length; k++) {
    const n = names[k];
    if (!table.mayRepeat(hashTexts(n, root))) continue;
    const slot = seen.get(n);
    if (slot === undefined) seen.set(n, { root, users: p });
    else if (slot instanceof Map) {
      const users = slot.get(root);
      if (users === undefined) slot.set(root, p);
      else {
        const next = withUser(keys, users, p);
        if (next) slot.set(root, next);
      }
    } else if (slot.root !== root) {
      seen.set(n, new Map<string, ByKey>([[slot.root, slot.users], [root, p]]));
    } else {
      const next = withUser(keys, slot.users, p);
      if (next) slot.users = next;
    }
  }
}

/**
 * Each worker's node names (undefined when it runs no process or they cannot be known) and app root,
 * and a table of the (name, root) pairs that may come twice: most workers of a file share neither, and
 * `seen` then never holds them.
 */
function namesAndRoots(
  deployment: Deployment,
  workers: readonly CeleryProgram[],
): { namesOf: (readonly string[] | undefined)[]; rootOf: string[]; namedByEnvironment: Uint8Array; table: RepeatTable } {
  const namesOf = new Array<readonly string[] | undefined>(workers.length);
  const rootOf = new Array<string>(workers.length);
  const namedByEnvironment = new Uint8Array(workers.length);
  let count = 0;
  for (let i = 0; i < workers.length; i++) {
    const p = workers[i];
    if (p.numprocs < 1) continue;
    // Where -n is not given, click takes CELERY_WORKER_HOSTNAME: its value is the name, as an -n value would be.
    const fromEnvironment = p.celery.has('--hostname') ? undefined : celeryEnvironmentValue(deployment, p, HOSTNAME_VARIABLE);
    if (fromEnvironment !== undefined) namedByEnvironment[i] = 1;
    const names = nodeNames(p, fromEnvironment);
    namesOf[i] = names;
    if (!names) continue;
    rootOf[i] = appRoot(p);
    count += names.length;
  }
  const table = new RepeatTable(count);
  for (let i = 0; i < workers.length; i++) {
    const names = namesOf[i];
    if (names) for (let k = 0; k < names.length; k++) table.add(hashTexts(names[k], rootOf[i]));
  }
  return { namesOf, rootOf, namedByEnvironment, table };
}

/** Where a worker's node name comes from: its -n option, or its sub-command when it has none. */
function nameRange(p: CeleryProgram): Range {
  const opt = p.celery.get('--hostname');
  return opt ? optionRange(p.command, opt) : subcommandRange(p.command, p.celery);
}

function hasRepeats(names: readonly string[]): boolean {
  if (names.length < 2) return false;
  if (names.length === 2) return names[0] === names[1];
  return new Set(names).size < names.length;
}
