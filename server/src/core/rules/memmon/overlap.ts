import type { Finding, Rule } from '../rule';
import type { Deployment } from '../../deployment';
import type { MemmonLimit } from '../../command/memmon';
import { spanRange } from '../../commandEdits';
import { parseInteger, replaceValue } from '../process/programKeys';

type Listener = Deployment['memmonListeners'][number];

interface Proc {
  name: string;
  group: string;
}

/** How memmon 2.0.0 matches one process: -p by name or group:name, -g by group, -a everything. */
function programMatch(l: Listener, p: Proc): MemmonLimit | undefined {
  return l.memmon.programs.find((x) => x.name !== undefined && (x.name === p.name || x.name === `${p.group}:${p.name}`));
}

function groupMatch(l: Listener, p: Proc): MemmonLimit | undefined {
  return l.memmon.groups.find((x) => x.name === p.group);
}

function anyMatch(l: Listener, p: Proc): MemmonLimit | undefined {
  return programMatch(l, p) ?? groupMatch(l, p) ?? l.memmon.any;
}

/** Two listeners, or one whose -p and -g/-a may both match a process: only then are the processes looked at. */
function mayOverlap(listeners: readonly Listener[]): boolean {
  return listeners.length > 1 || listeners.some((l) => l.memmon.programs.length > 0 && (l.memmon.groups.length > 0 || !!l.memmon.any));
}

/** The selectors of two listeners that name the same thing, whatever programs this file defines. */
function sameSelector(a: Listener, b: Listener): { mine: MemmonLimit; theirs: MemmonLimit; what: string } | undefined {
  if (a.memmon.any && b.memmon.any) return { mine: b.memmon.any, theirs: a.memmon.any, what: 'every process (-a)' };
  for (const x of b.memmon.programs) {
    const y = a.memmon.programs.find((o) => o.name !== undefined && o.name === x.name);
    if (y) return { mine: x, theirs: y, what: `process '${x.name}'` };
  }
  for (const x of b.memmon.groups) {
    const y = a.memmon.groups.find((o) => o.name !== undefined && o.name === x.name);
    if (y) return { mine: x, theirs: y, what: `group '${x.name}'` };
  }
  return undefined;
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
    const findings: Finding[] = [];
    const listeners = deployment.memmonListeners;
    // Every process of the file, only when some listener could watch one twice (most files have none).
    const procs: Proc[] = [];
    if (mayOverlap(listeners)) for (const p of deployment.programs) for (const name of p.processNames ?? []) procs.push({ name, group: p.group });

    for (const l of listeners) {
      const numprocs = l.get('numprocs');
      const n = numprocs ? parseInteger(numprocs.value) : 1;
      if (numprocs && n !== undefined && n > 1) {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon [eventlistener:${l.name}] runs numprocs=${n} copies. Each copy gets its own TICK events and restarts the same processes, so one process over its limit is restarted up to ${n} times. Use numprocs=1.`,
          range: numprocs.valueRange,
          fixes: [{ title: 'Run a single memmon (numprocs=1)', edits: replaceValue(doc, numprocs, '1'), isPreferred: true }],
        });
      }
    }

    // Two listeners watching one process.
    const reported = new Set<MemmonLimit>();
    for (let j = 1; j < listeners.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = listeners[i];
        const b = listeners[j];
        let hit: { mine: MemmonLimit; theirs: MemmonLimit; what: string } | undefined;
        for (const p of procs) {
          const mine = anyMatch(b, p);
          const theirs = anyMatch(a, p);
          if (mine && theirs) {
            hit = { mine, theirs, what: `process '${p.name}'` };
            break;
          }
        }
        hit ??= sameSelector(a, b);
        if (!hit || reported.has(hit.mine)) continue;
        reported.add(hit.mine);
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon listeners [eventlistener:${a.name}] and [eventlistener:${b.name}] both watch ${hit.what}. Each restarts it on its own ticks, so it can be restarted twice in a row. Watch each process from one memmon only.`,
          range: spanRange(b.command, hit.mine.start, hit.mine.end),
          fixes: [],
        });
      }
    }

    // One listener whose -p and -g/-a match the same process.
    for (const l of listeners) {
      const m = l.memmon;
      if (!m.programs.length || (!m.groups.length && !m.any)) continue;
      const seen = new Set<MemmonLimit>();
      const candidates: { p: MemmonLimit; second: MemmonLimit; name: string }[] = [];
      for (const proc of procs) {
        const p = programMatch(l, proc);
        const second = p && (groupMatch(l, proc) ?? m.any);
        if (p && second) candidates.push({ p, second, name: proc.name });
      }
      // Without the program in this file: -p group:name names its group, and -a matches anything.
      for (const p of m.programs) {
        if (p.name === undefined || candidates.some((c) => c.p === p)) continue;
        const colon = p.name.indexOf(':');
        const second = (colon > 0 ? m.groups.find((g) => g.name === p.name!.slice(0, colon)) : undefined) ?? m.any;
        if (second) candidates.push({ p, second, name: colon > 0 ? p.name.slice(colon + 1) : p.name });
      }
      for (const c of candidates) {
        if (seen.has(c.second)) continue;
        seen.add(c.second);
        const by = c.second.option === '-a' ? `-a ${c.second.size}` : `-g ${c.second.name ?? ''}=${c.second.size}`;
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon [eventlistener:${l.name}] matches '${c.name}' with both -p ${c.p.name}=${c.p.size} and ${by}. memmon checks them one after the other, so when '${c.name}' is above both limits it is restarted twice in the same tick. Keep one limit per process: drop the -p, or watch the group only.`,
          range: spanRange(l.command, c.second.start, c.second.end),
          fixes: [],
        });
      }
    }
    return findings;
  },
};
