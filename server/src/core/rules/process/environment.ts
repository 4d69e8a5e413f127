import type { Section } from '../../model/document';
import { PROCESS_SECTION_KINDS, type Deployment } from '../../deployment';

/**
 * A light reading of supervisor's `environment=` (KEY="value",KEY2=value2, read by a shlex in 4.2.x,
 * which strips the quotes and expands nothing: `$PATH` stays `$PATH`): enough to know which variables a
 * section sets, and to what. Never throws; stops at the first thing it cannot read.
 */
export function environmentPairs(value: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const n = value.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && /\s/.test(value[i])) i++;
  };
  while (i < n) {
    skipSpace();
    const keyStart = i;
    while (i < n && /[\w.+\-()/:]/.test(value[i])) i++;
    const key = value.slice(keyStart, i);
    skipSpace();
    if (!key || value[i] !== '=') break;
    i++;
    skipSpace();
    const q = value[i];
    const valueStart = i;
    if (q === '"' || q === "'") {
      const close = value.indexOf(q, i + 1);
      pairs.set(key, value.slice(valueStart + 1, close === -1 ? n : close));
      if (close === -1) break;
      i = close + 1;
    } else {
      while (i < n && value[i] !== ',' && !/\s/.test(value[i])) i++;
      pairs.set(key, value.slice(valueStart, i));
    }
    skipSpace();
    if (value[i] !== ',') break;
    i++;
  }
  return pairs;
}

/** The names an environment= sets. */
export function environmentKeys(value: string): Set<string> {
  return new Set(environmentPairs(value).keys());
}

/** The names the environment= entries of these sections set. */
export function environmentNames(sections: readonly Section[]): Set<string> {
  const names = new Set<string>();
  for (const s of sections) for (const e of s.entries) if (e.key === 'environment') for (const name of environmentPairs(e.value).keys()) names.add(name);
  return names;
}

const sharedNames = new WeakMap<Deployment, ReadonlySet<string>>();

/**
 * The names [supervisord] environment= sets anywhere in the deployment: for a fragment, the main
 * file's (supervisor reads every file into one parser). Once per deployment, not once per program or rule.
 */
export function sharedEnvironmentNames(deployment: Deployment): ReadonlySet<string> {
  let names = sharedNames.get(deployment);
  if (!names) sharedNames.set(deployment, (names = environmentNames(supervisordSections(deployment))));
  return names;
}

/** The [supervisord] sections of every file of the deployment (for a fragment, the main file's). */
export function supervisordSections(deployment: Deployment): Section[] {
  const out: Section[] = [];
  for (const doc of [deployment.doc, ...(deployment.external?.files.map((f) => f.doc) ?? [])]) for (const s of doc.sections) if (s.name === 'supervisord') out.push(s);
  return out;
}

/**
 * Whether %(ENV_X)s in a section of this kind finds what [supervisord] environment= sets. supervisor
 * reads [include] files= and [supervisord]'s own keys before that environment= (options.py), and
 * supervisorctl reads its sections with the environment of whoever runs it.
 */
export function seesSupervisordEnvironment(kind: string): boolean {
  return kind !== 'supervisord' && kind !== 'include' && kind !== 'supervisorctl' && kind !== 'ctlplugin';
}

const SEES_OWN_ENVIRONMENT = /^(?:command|directory|std(?:out|err)_(?:logfile|logfile_maxbytes|logfile_backups|syslog))$/;

/**
 * Whether %(ENV_X)s in this key of this kind of section also finds what the section's own environment=
 * sets (supervisor 4.2.2: a process section's command, directory and log files).
 */
export function seesOwnEnvironment(kind: string, key: string): boolean {
  return PROCESS_SECTION_KINDS.has(kind) && SEES_OWN_ENVIRONMENT.test(key);
}

/** A variable a file sets: its value, and which environment= sets it. */
export interface SetVariable {
  value: string;
  from: "this section's environment=" | '[supervisord] environment=';
}

/**
 * The variables %(ENV_X)s finds in `key` of `section` that the deployment sets: the section's own
 * environment= where supervisor lends it to the key, over [supervisord] environment= where the section
 * sees it (both over supervisord's own environment: options.py updates the expansions in that order).
 */
export function variablesSetFor(sections: readonly Section[], section: Section, key: string, deployment?: Deployment): Map<string, SetVariable> {
  const found = new Map<string, SetVariable>();
  const add = (from: SetVariable['from'], within: readonly Section[]) => {
    for (const s of within) for (const e of s.entries) if (e.key === 'environment') for (const [n, value] of environmentPairs(e.value)) found.set(n, { value, from });
  };
  if (seesSupervisordEnvironment(section.kind)) add('[supervisord] environment=', deployment ? supervisordSections(deployment) : sections.filter((s) => s.name === 'supervisord'));
  if (seesOwnEnvironment(section.kind, key)) add("this section's environment=", sections.filter((s) => s.name === section.name));
  return found;
}
