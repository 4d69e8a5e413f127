import type { Finding, Fix, Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';
import { parseByteSize, type MemmonLimit } from '../../command/memmon';
import type { Deployment } from '../../deployment';
import { describeBytes } from '../../units';
import { celeryWorkers } from '../celery/workers';

const MB = 1024 * 1024;
/** The tuning guide's floor: a fresh Celery worker already uses about 80 MB. */
const FLOOR = 128 * MB;
const DIGITS = /^\d+$/;

type Target = { kind: 'p' | 'g' | 'a'; name?: string };

/** The process names and groups of this file's Celery workers, built at the first small limit. */
interface WorkerNames {
  any: boolean;
  processes: Set<string>;
  groups: Set<string>;
}

function workerNames(deployment: Deployment): WorkerNames {
  const workers = celeryWorkers(deployment);
  return {
    any: workers.length > 0,
    processes: new Set(workers.flatMap((p) => p.processNames ?? [])),
    groups: new Set(workers.map((p) => p.group)),
  };
}

/** Whether the limit applies to a Celery worker of this file: one of its process names, its group, or -a. */
function limitsCeleryWorker(names: WorkerNames, target: Target): boolean {
  if (target.kind === 'a') return names.any;
  if (target.name === undefined) return false;
  if (target.kind === 'g') return names.groups.has(target.name);
  return names.processes.has(target.name.slice(target.name.indexOf(':') + 1));
}

/**
 * memmon sizes are bytes unless they say KB, MB or GB: `-p worker=256` restarts the worker as soon as it
 * uses 256 bytes, that is at every check. And the tuning guide's 128 MB floor holds for memmon too: a
 * Celery worker starts at about 80 MB.
 */
export const memmonLimitTooLow: Rule = {
  code: 'memmon-limit-too-low',
  defaultSeverity: 'warning',
  summary: 'A memmon size under 1 MB written without a unit (it is bytes), or under 128 MB for a Celery worker: memmon restarts it at every check.',
  check({ deployment, settings }) {
    const findings: Finding[] = [];
    let names: WorkerNames | undefined;
    for (const listener of deployment.memmonListeners) {
      const m = listener.memmon;
      const limits: [MemmonLimit, Target][] = [
        ...m.programs.map((l): [MemmonLimit, Target] => [l, { kind: 'p', name: l.name }]),
        ...m.groups.map((l): [MemmonLimit, Target] => [l, { kind: 'g', name: l.name }]),
        ...(m.any ? [[m.any, { kind: 'a' }] as [MemmonLimit, Target]] : []),
      ];
      for (const [limit, target] of limits) {
        const bytes = limit.bytes;
        if (bytes === undefined || limit.malformed) continue; // memmon-invalid-size
        const size = limit.size.trim();
        const range = spanRange(listener.command, limit.sizeStart, limit.sizeEnd);
        const replace = (text: string) => [replaceSpan(listener.command, limit.sizeStart, limit.sizeEnd, text)];
        if (DIGITS.test(size) && bytes < MB) {
          findings.push({
            code: this.code,
            severity: 'warning',
            message: `memmon reads '${size}' as ${describeBytes(bytes).text}: a size without KB, MB or GB is in bytes, so memmon restarts ${what(target)} at every check. For ${size} MB write ${size}MB.`,
            range,
            fixes: [{ title: `Write ${size}MB`, edits: replace(`${size}MB`), isPreferred: true }],
          });
          continue;
        }
        if (bytes >= FLOOR || !limitsCeleryWorker((names ??= workerNames(deployment)), target)) continue;
        const suggested = parseByteSize(settings.memmonDefaultLimit) ?? 0;
        const raise = suggested >= FLOOR ? settings.memmonDefaultLimit : '128MB';
        const fixes: Fix[] = [{ title: `Raise it to ${raise}`, edits: replace(raise), isPreferred: true, safeForFixAll: false }];
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon restarts ${what(target)} above ${describeBytes(bytes).text}, below the 128 MB the tuning guide recommends as a floor for Celery workers: a fresh worker already uses about 80 MB, so memmon would restart it at almost every check.`,
          range,
          fixes,
        });
      }
    }
    return findings;
  },
};

function what(target: Target): string {
  if (target.kind === 'a') return 'every process';
  return target.kind === 'g' ? `the group '${target.name}'` : `'${target.name}'`;
}
