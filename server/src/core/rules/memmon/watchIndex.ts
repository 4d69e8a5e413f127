/**
 * Which memmon selectors watch which processes, indexed by name so that memmon-overlap looks each
 * process up instead of scanning every -p/-g of every listener for it.
 */
import type { Deployment } from '../../deployment';
import type { MemmonLimit } from '../../command/memmon';

export type Listener = Deployment['memmonListeners'][number];

export interface Proc {
  name: string;
  group: string;
}

/** One listener's selectors by name: the first -p/-g of each name, the one memmon's own loop finds. */
export interface Selectors {
  listener: Listener;
  /** -p NAME → the limit and its place among the listener's -p. */
  programs: Map<string, { limit: MemmonLimit; order: number }>;
  groups: Map<string, MemmonLimit>;
  any?: MemmonLimit;
}

/** `group:name`, the other spelling -p accepts. */
function qualifiedName(p: Proc): string {
  return `${p.group}:${p.name}`;
}

export function indexSelectors(listener: Listener): Selectors {
  const { memmon } = listener;
  const programs = new Map<string, { limit: MemmonLimit; order: number }>();
  memmon.programs.forEach((limit, order) => {
    if (limit.name !== undefined && !programs.has(limit.name)) programs.set(limit.name, { limit, order });
  });
  const groups = new Map<string, MemmonLimit>();
  for (const limit of memmon.groups) if (limit.name !== undefined && !groups.has(limit.name)) groups.set(limit.name, limit);
  return { listener, programs, groups, any: memmon.any };
}

/** How memmon 2.0.0 matches one process: -p by name or group:name (the first such -p), -g by group, -a everything. */
export function programMatch(s: Selectors, p: Proc): MemmonLimit | undefined {
  const byName = s.programs.get(p.name);
  const byQualified = s.programs.get(qualifiedName(p));
  if (!byName || !byQualified) return (byName ?? byQualified)?.limit;
  return byName.order <= byQualified.order ? byName.limit : byQualified.limit;
}

export function groupMatch(s: Selectors, p: Proc): MemmonLimit | undefined {
  return s.groups.get(p.group);
}

/** A match by -p or -g: one that names the process or its group, as opposed to -a. */
export function namedMatch(s: Selectors, p: Proc): MemmonLimit | undefined {
  return programMatch(s, p) ?? groupMatch(s, p);
}

export function anyMatch(s: Selectors, p: Proc): MemmonLimit | undefined {
  return namedMatch(s, p) ?? s.any;
}

/**
 * The processes some listener names, by process name, by group:name and by group (indexes into
 * `procs`). Only the names the listeners use are kept: a file can have 100,000 processes.
 */
export class ProcessIndex {
  private readonly byName = new Map<string, number[]>();
  private readonly byQualified = new Map<string, number[]>();
  private readonly byGroup = new Map<string, number[]>();

  constructor(
    readonly procs: readonly Proc[],
    selectors: readonly Selectors[],
  ) {
    const programs = new Set(selectors.flatMap((s) => [...s.programs.keys()]));
    const groups = new Set(selectors.flatMap((s) => [...s.groups.keys()]));
    // group:name is only built when some -p is written that way.
    const qualified = [...programs].some((name) => name.includes(':'));
    procs.forEach((p, k) => {
      if (programs.has(p.name)) pushAt(this.byName, p.name, k);
      if (qualified && programs.has(qualifiedName(p))) pushAt(this.byQualified, qualifiedName(p), k);
      if (groups.has(p.group)) pushAt(this.byGroup, p.group, k);
    });
  }

  /** The processes some -p of the listener matches, in file order. */
  matchedByPrograms(s: Selectors): number[] {
    const found: number[] = [];
    for (const name of s.programs.keys()) {
      pushAll(found, this.byName.get(name));
      pushAll(found, this.byQualified.get(name));
    }
    return sortedUnique(found);
  }

  /** The processes some -p or -g of the listener matches (not counting -a), in file order. */
  matchedByName(s: Selectors): number[] {
    const found = this.matchedByPrograms(s);
    for (const group of s.groups.keys()) pushAll(found, this.byGroup.get(group));
    return sortedUnique(found);
  }
}

/** Appends to the list kept under `key`, starting it when absent. */
export function pushAt<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Not push(...values): a group can hold more processes than a call takes arguments. */
function pushAll<T>(target: T[], values: readonly T[] | undefined): void {
  for (const v of values ?? []) target.push(v);
}

function sortedUnique(values: number[]): number[] {
  values.sort((x, y) => x - y);
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/**
 * Calls `onPair(i, j, at)` (i < j) for every two members of each sorted list, `at` being the list's
 * index, lists in order: the first call for a pair is the first list holding both. A list equal to an
 * earlier one holds no new pair and is skipped (the processes of one group mostly have the same watchers).
 */
export function forEachSharedPair(lists: readonly (readonly number[])[], onPair: (i: number, j: number, at: number) => void): void {
  const seen = new Set<string>();
  lists.forEach((list, at) => {
    if (list.length < 2) return;
    const signature = list.join(' ');
    if (seen.has(signature)) return;
    seen.add(signature);
    for (let b = 1; b < list.length; b++) for (let a = 0; a < b; a++) onPair(list[a], list[b], at);
  });
}
