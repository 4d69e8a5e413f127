import type { Finding, Rule } from '../rule';
import { optionRange, replaceSpan } from '../../commandEdits';
import { HAS_MAX_MEMORY, PROCESS_POOL, kib, workerFacts } from './workers';

/** Hoisted: a regular expression literal in the loop would be a new object per worker. */
const DIGITS = /^\d+$/;

const FLOOR_KIB = 131072; // 128 MB: the guide's lowest recommendation, fresh workers start at about 80 MB

/** --max-memory-per-child below 128 MB restarts pool processes constantly; a small number is usually megabytes meant as KiB. */
export const celeryMemoryLimitTooLow: Rule = {
  code: 'celery-memory-limit-too-low',
  defaultSeverity: 'warning',
  summary: '--max-memory-per-child below 128 MB (131072 KiB): pool processes restart constantly.',
  check(ctx) {
    const findings: Finding[] = [];
    const { workers, flags, maxMemoryOptions } = workerFacts(ctx.deployment);
    for (let i = 0; i < workers.length; i++) {
      // Ignored in other pools: celery-memory-limit-ignored says so.
      if (!(flags[i] & PROCESS_POOL) || !(flags[i] & HAS_MAX_MEMORY)) continue;
      const p = workers[i];
      const opt = maxMemoryOptions[i];
      if (!opt?.value || !DIGITS.test(opt.value) || opt.valueStart === undefined || opt.valueEnd === undefined) continue;
      const n = Number(opt.value);
      if (n >= FLOOR_KIB) continue;
      const looksLikeMegabytes = n < 1024;
      // Megabytes below the floor too (--max-memory-per-child 64): x1024 would still be too low, so raise it.
      const asMegabytes = looksLikeMegabytes && n * 1024 >= FLOOR_KIB;
      const target = asMegabytes ? n * 1024 : Math.max(FLOOR_KIB, ctx.settings.maxMemoryPerChildKiB);
      const floor = 'the 128 MB (131072 KiB) the tuning guide recommends as a floor: a fresh worker already uses about 80 MB';
      findings.push({
        code: this.code,
        severity: 'warning',
        message: asMegabytes
          ? `--max-memory-per-child is in KiB, so ${n} means ${n} KiB, not ${n} MB: a fresh worker already uses about 80 MB, so every pool process restarts after each task. For ${n} MB write ${n * 1024}.`
          : looksLikeMegabytes
          ? `--max-memory-per-child is in KiB, so ${n} means ${n} KiB, and even ${n} MB would be below ${floor}, so every pool process restarts after each task. Write at least 131072, e.g. ${target} (${kib(target)}).`
          : `--max-memory-per-child ${n} is ${kib(n)}, below ${floor}, so pool processes would restart constantly.`,
        range: optionRange(p.command, opt),
        fixes: [
          {
            title: asMegabytes ? `Change to ${target} (${n} MB in KiB)` : `Raise to ${target} (${kib(target)})`,
            edits: [...replaceSpan(p.command, opt.valueStart, opt.valueEnd, String(target))],
            isPreferred: true,
          },
        ],
      });
    }
    return findings;
  },
};
