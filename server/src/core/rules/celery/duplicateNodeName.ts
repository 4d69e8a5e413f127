import type { Finding, Fix, Rule } from '../rule';
import { formatOption, insertAt, optionRange, optionStyle, replaceSpan, subcommandRange } from '../../commandEdits';
import { celeryWorkers, type CeleryProgram } from './workers';
import { deploymentKey, nodeNames } from './commandLine';

/** One node name per supervisor process (supervisor needs %% for Celery's own %h). */
const PER_PROCESS = '%(program_name)s_%(process_num)02d@%%h';
const PER_PROGRAM = '%(program_name)s@%%h';
const PROCESS_SUFFIX = '_%(process_num)02d';

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
    return { title: `Use the node name ${template}`, edits: [replaceSpan(p.command, opt.valueStart, opt.valueEnd, template)] };
  }
  return {
    title: `Add -n ${template}`,
    edits: [insertAt(p.command, p.celery.insertOffset, formatOption(optionStyle(p.celery), '--hostname', '-n', template))],
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
    // Node name -> deployment key -> the first program that uses it.
    const seen: Seen = new Map();
    for (const p of celeryWorkers(ctx.deployment)) {
      if (p.numprocs < 1) continue;
      const names = nodeNames(p);
      if (!names) continue;
      const opt = p.celery.get('--hostname');
      const key = deploymentKey(p);
      if (p.numprocs > 1 && hasRepeats(names)) {
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
        findings.push({
          code: this.code,
          severity: 'warning',
          message: opt
            ? `Worker '${p.name}' starts ${p.numprocs} processes (numprocs=${p.numprocs}) with the same node name ${shown(names[0])}: the -n value does not contain %(process_num). Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Put the process number in the name, e.g. -n ${PER_PROCESS}.`
            : `Worker '${p.name}' starts ${p.numprocs} processes (numprocs=${p.numprocs}) without -n/--hostname, so all of them are named celery@<host>. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${PER_PROCESS} (supervisor needs %% for Celery's %h).`,
          range: opt ? optionRange(p.command, opt) : subcommandRange(p.command, p.celery),
          fixes,
        });
        remember(seen, names, key, p);
        continue;
      }
      let clash: CeleryProgram | undefined;
      let shared: string | undefined;
      for (const n of names) {
        clash = firstUser(seen, n, key);
        if (clash) {
          shared = n;
          break;
        }
      }
      if (clash && shared !== undefined) {
        const fix = setNodeName(p, p.numprocs > 1 ? PER_PROCESS : PER_PROGRAM);
        findings.push({
          code: this.code,
          severity: 'warning',
          message: opt
            ? `Workers '${clash.name}' and '${p.name}' both use the node name ${shown(shared)}. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Give this one its own name, e.g. -n ${p.numprocs > 1 ? PER_PROCESS : PER_PROGRAM}.`
            : `Workers '${clash.name}' and '${p.name}' of the same project are both named ${shown(shared)}: '${p.name}' has no -n/--hostname, so Celery names it celery@<host>. Celery needs a unique node name per worker; with duplicates, remote control and monitoring see only one of them (DuplicateNodenameWarning). Add -n ${PER_PROGRAM} (supervisor needs %% for Celery's %h).`,
          range: opt ? optionRange(p.command, opt) : subcommandRange(p.command, p.celery),
          fixes: fix ? [{ ...fix, isPreferred: true }] : [],
        });
      }
      remember(seen, names, key, p);
    }
    return findings;
  },
};

/**
 * Who uses a node name first, per deployment key. Most names are used under one key only (every
 * project's default celery@<host>): a plain slot until a second key comes, then a map.
 */
type Slot = { key: string; program: CeleryProgram } | Map<string, CeleryProgram>;
type Seen = Map<string, Slot>;

function firstUser(seen: Seen, name: string, key: string): CeleryProgram | undefined {
  const slot = seen.get(name);
  if (slot === undefined) return undefined;
  if (slot instanceof Map) return slot.get(key);
  return slot.key === key ? slot.program : undefined;
}

function remember(seen: Seen, names: readonly string[], key: string, p: CeleryProgram): void {
  for (const n of names) {
    const slot = seen.get(n);
    if (slot === undefined) seen.set(n, { key, program: p });
    else if (slot instanceof Map) {
      if (!slot.has(key)) slot.set(key, p);
    } else if (slot.key !== key) {
      seen.set(n, new Map([[slot.key, slot.program], [key, p]]));
    }
  }
}

function hasRepeats(names: readonly string[]): boolean {
  if (names.length < 2) return false;
  if (names.length === 2) return names[0] === names[1];
  return new Set(names).size < names.length;
}
