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
