import type { Finding, Rule } from '../rule';
import type { MemmonLimit } from '../../command/memmon';
import type { SupervisorDocument } from '../../model/document';
import { spanRange } from '../../commandEdits';
import { parseInteger, setKey, valueAnchor } from '../process/programKeys';
import {
  anyMatch,
  forEachSharedPair,
  groupMatch,
  indexSelectors,
  namedMatch,
  ProcessIndex,
  programMatch,
  pushAt,
  type Listener,
  type Proc,
  type Selectors,
} from './watchIndex';

/** Two listeners, or one whose -p and -g/-a may both match a process: only then are the processes looked at. */
function mayOverlap(listeners: readonly Listener[]): boolean {
  return listeners.length > 1 || listeners.some((l) => l.memmon.programs.length > 0 && (l.memmon.groups.length > 0 || !!l.memmon.any));
}

interface Hit {
  mine: MemmonLimit;
  what: string;
}

/** The selectors of two listeners that name the same thing, whatever programs this file defines. */
function sameSelector(a: Selectors, b: Selectors): Hit | undefined {
  if (a.any && b.any) return { mine: b.any, what: 'every process (-a)' };
  for (const x of b.listener.memmon.programs) if (x.name !== undefined && a.programs.has(x.name)) return { mine: x, what: `process '${x.name}'` };
  for (const x of b.listener.memmon.groups) if (x.name !== undefined && a.groups.has(x.name)) return { mine: x, what: `group '${x.name}'` };
  return undefined;
}

function numprocsFindings(code: string, doc: SupervisorDocument, listeners: readonly Listener[]): Finding[] {
  const findings: Finding[] = [];
  for (const l of listeners) {
    const numprocs = l.get('numprocs');
    const n = numprocs ? parseInteger(numprocs.value) : 1;
    if (numprocs && n !== undefined && n > 1) {
      findings.push({
        code,
        severity: 'warning',
        message: `memmon [eventlistener:${l.name}] runs numprocs=${n} copies. Each copy gets its own TICK events and restarts the same processes, so one process over its limit is restarted up to ${n} times. Use numprocs=1.`,
        range: valueAnchor(doc, l, numprocs),
        fixes: [{ title: 'Run a single memmon (numprocs=1)', edits: setKey(doc, l, 'numprocs', '1'), isPreferred: true }],
      });
    }
  }
  return findings;
}

/**
 * The first process two listeners both watch, and for each listener the earlier listeners worth
 * comparing it with. Comparing every pair process by process was listeners² × processes; here each
 * listener lists what it names once, and pairs come from the processes and names they share.
 */
class SharedWatch {
  /** Per listener, the first process one of its -p/-g matches. */
  private readonly firstNamed: (number | undefined)[] = [];
  /** Pair (i < j) → the first process both match by -p/-g. */
  private readonly firstShared = new Map<number, number>();
  /** Per listener j, the earlier listeners i that may share a process or selector with it (unsorted, repeats). */
  private readonly partners: number[][];

  constructor(
    private readonly selectors: readonly Selectors[],
    private readonly index: ProcessIndex,
  ) {
    this.partners = selectors.map(() => []);
    const watchers: number[][] = []; // sparse: most processes are watched by no -p/-g
    selectors.forEach((s, x) => {
      const named = index.matchedByName(s);
      this.firstNamed.push(named[0]);
      for (const k of named) (watchers[k] ??= []).push(x);
    });
    forEachSharedPair(watchers, (i, j, k) => {
      if (this.firstShared.has(this.key(i, j))) return;
      this.firstShared.set(this.key(i, j), k);
      this.partners[j].push(i);
    });
    forEachSharedPair(this.holdersOfNames(), (i, j) => this.partners[j].push(i));
    this.addListenersWithSameOutcome();
  }

  /** In the order the pairs must be looked at: the earlier listeners worth comparing with listener j. */
  candidatesFor(j: number): number[] {
    return [...new Set(this.partners[j])].sort((x, y) => x - y);
  }

  /** The first process (index) both listeners watch: -a watches them all. */
  firstCommon(i: number, j: number): number | undefined {
    const [a, b] = [this.selectors[i], this.selectors[j]];
    if (a.any && b.any) return this.index.procs.length ? 0 : undefined;
    if (a.any) return this.firstNamed[j];
    if (b.any) return this.firstNamed[i];
    return this.firstShared.get(this.key(i, j));
  }

  private key(i: number, j: number): number {
    return j * this.selectors.length + i;
  }

  /** Per -p name and per -g name, the listeners naming it (for sameSelector). */
  private holdersOfNames(): number[][] {
    const programs = new Map<string, number[]>();
    const groups = new Map<string, number[]>();
    this.selectors.forEach((s, x) => {
      for (const name of s.programs.keys()) pushAt(programs, name, x);
      for (const name of s.groups.keys()) pushAt(groups, name, x);
    });
    return [...programs.values(), ...groups.values()];
  }

  /**
   * Pairs with -a where the limit of j that is hit does not depend on the earlier listener `a`: when
   * `a` has -a (j's limit for the first process j watches, or for the file's first process when both
   * have -a), and when j has -a and a's first process is one j watches through -a only (j's -a). For
   * each j only the first such `a` can report: the later ones find that limit reported already. Every
   * other pair that can be hit shares a process both name, or a -p/-g name, and is listed from those.
   */
  private addListenersWithSameOutcome(): void {
    let firstAny: number | undefined;
    const namingSomething: number[] = [];
    this.selectors.forEach((b, j) => {
      if (firstAny !== undefined) this.partners[j].push(firstAny);
      if (b.any) {
        const viaAny = namingSomething.find((i) => namedMatch(b, this.index.procs[this.firstNamed[i]!]) === undefined);
        if (viaAny !== undefined) this.partners[j].push(viaAny);
        firstAny ??= j;
      } else if (this.firstNamed[j] !== undefined) namingSomething.push(j);
    });
  }
}

/** Two listeners watching one process. */
function sharedWatchFindings(code: string, selectors: readonly Selectors[], index: ProcessIndex): Finding[] {
  const findings: Finding[] = [];
  const shared = new SharedWatch(selectors, index);
  const reported = new Set<MemmonLimit>();
  selectors.forEach((b, j) => {
    for (const i of shared.candidatesFor(j)) {
      const a = selectors[i];
      const k = shared.firstCommon(i, j);
      const mine = k === undefined ? undefined : anyMatch(b, index.procs[k]);
      const hit: Hit | undefined = mine ? { mine, what: `process '${index.procs[k!].name}'` } : sameSelector(a, b);
      if (!hit || reported.has(hit.mine)) continue;
      reported.add(hit.mine);
      findings.push({
        code,
        severity: 'warning',
        message: `memmon listeners [eventlistener:${a.listener.name}] and [eventlistener:${b.listener.name}] both watch ${hit.what}. Each restarts it on its own ticks, so it can be restarted twice in a row. Watch each process from one memmon only.`,
        range: spanRange(b.listener.command, hit.mine.start, hit.mine.end),
        fixes: [],
      });
    }
  });
  return findings;
}

/** One listener whose -p and -g/-a match the same process. */
function doubleLimitFindings(code: string, s: Selectors, index: ProcessIndex): Finding[] {
  const { listener: l, any } = s;
  const m = l.memmon;
  if (!m.programs.length || (!m.groups.length && !any)) return [];
  const candidates: { p: MemmonLimit; second: MemmonLimit; name: string }[] = [];
  for (const k of index.matchedByPrograms(s)) {
    const proc = index.procs[k];
    const p = programMatch(s, proc);
    const second = p && (groupMatch(s, proc) ?? any);
    if (p && second) candidates.push({ p, second, name: proc.name });
  }
  // Without the program in this file: -p group:name names its group, and -a matches anything.
  const listed = new Set(candidates.map((c) => c.p));
  for (const p of m.programs) {
    if (p.name === undefined || listed.has(p)) continue;
    const colon = p.name.indexOf(':');
    const second = (colon > 0 ? s.groups.get(p.name.slice(0, colon)) : undefined) ?? any;
    if (!second) continue;
    candidates.push({ p, second, name: colon > 0 ? p.name.slice(colon + 1) : p.name });
    listed.add(p);
  }
  const findings: Finding[] = [];
  const seen = new Set<MemmonLimit>();
  for (const c of candidates) {
    if (seen.has(c.second)) continue;
    seen.add(c.second);
    const by = c.second.option === '-a' ? `-a ${c.second.size}` : `-g ${c.second.name ?? ''}=${c.second.size}`;
    findings.push({
      code,
      severity: 'warning',
      message: `memmon [eventlistener:${l.name}] matches '${c.name}' with both -p ${c.p.name}=${c.p.size} and ${by}. memmon checks them one after the other, so when '${c.name}' is above both limits it is restarted twice in the same tick. Keep one limit per process: drop the -p, or watch the group only.`,
      range: spanRange(l.command, c.second.start, c.second.end),
      fixes: [],
    });
  }
  return findings;
}

/**
 * Each memmon process gets its own TICK events and restarts what it watches on its own. Several memmon
 * processes watching one process restart it several times, and so does one memmon whose -p and -g/-a
 * both match it (superlance 2.0.0 does not skip the group and "any" checks after a -p restart).
 */
export const memmonOverlap: Rule = {
  code: 'memmon-overlap',
  defaultSeverity: 'warning',
  summary: 'The same process is watched more than once by memmon (numprocs > 1, two listeners, or -p together with -g/-a).',
  check({ deployment, doc }) {
    const listeners = deployment.memmonListeners;
    // Every process of the file, only when some listener could watch one twice (most files have none).
    const procs: Proc[] = [];
    if (mayOverlap(listeners)) for (const p of deployment.programs) for (const name of p.processNames ?? []) procs.push({ name, group: p.group });
    const selectors = listeners.map(indexSelectors);
    const index = new ProcessIndex(procs, selectors);
    return [
      ...numprocsFindings(this.code, doc, listeners),
      ...sharedWatchFindings(this.code, selectors, index),
      ...selectors.flatMap((s) => doubleLimitFindings(this.code, s, index)),
    ];
  },
};
