/** The variable names environment= values set (`A="x",B=y` sets A and B), for the rules that ask which exist. */
import type { Section } from '../model/document';

const ENVIRONMENT_KEY = /(?:^|,)\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/g;

/** The names the environment= entries of these sections set. */
export function environmentNames(sections: readonly Section[]): Set<string> {
  const names = new Set<string>();
  for (const s of sections) for (const e of s.entries) if (e.key === 'environment') addEnvironmentKeys(names, e.value);
  return names;
}

/** Adds the names one environment= value sets. */
export function addEnvironmentKeys(keys: Set<string>, value: string): void {
  ENVIRONMENT_KEY.lastIndex = 0;
  for (let m = ENVIRONMENT_KEY.exec(value); m; m = ENVIRONMENT_KEY.exec(value)) keys.add(m[1]);
}

const PROCESS_KINDS: ReadonlySet<string> = new Set(['program', 'fcgi-program', 'eventlistener']);
const SEES_OWN_ENVIRONMENT = /^(?:command|directory|std(?:out|err)_(?:logfile|logfile_maxbytes|logfile_backups|syslog))$/;

/**
 * Whether %(ENV_X)s in this key of this kind of section also finds what the section's own environment=
 * sets (supervisor 4.2.2: a process section's command, directory and log files).
 */
export function seesOwnEnvironment(kind: string, key: string): boolean {
  return PROCESS_KINDS.has(kind) && SEES_OWN_ENVIRONMENT.test(key);
}
