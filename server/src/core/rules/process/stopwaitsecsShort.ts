import { withFixesOnDemand, type Finding, type Rule } from '../rule';
import { workerFacts, type CeleryProgram } from '../celery/workers';
import { workerEnvironmentVariable, workerOptionValue } from '../celery/commandLine';
import { isProcessPool } from '../../command/celery';
import type { Deployment } from '../../deployment';
import { fromElsewhere, keyAnchor, parseInteger, setKey } from './programKeys';
import { signalName } from './stopSignal';
import { killedProcess, RELAYED_BY_TIMEOUT, signalStop } from './stopSignalPath';
import { replaceSpan, spanRange } from '../../commandEdits';
import type { KillAfter } from '../../command/invocation';

/** Hoisted: a regular expression literal in the loop would be a new object per worker. */
const SECONDS = /^\d+(\.\d*)?$/;

/** supervisor's default stopwaitsecs. */
const DEFAULT_STOPWAITSECS = 10;
/** Below this a warm shutdown rarely has time to finish real tasks. */
const MINIMUM = 60;
/** celery's extra/supervisord/celeryd.conf and the Alliance Auth template. */
const RECOMMENDED = 600;

/**
 * How long a task may legitimately run: the worker's --time-limit (or CELERY_WORKER_TIME_LIMIT), else, in
 * a process pool (the only one with soft limits), its --soft-time-limit, which only then asks the task to
 * stop. `said` is how the message names it (with its value).
 */
function taskTimeLimit(deployment: Deployment, p: CeleryProgram, pool: string): { seconds: number; name: string; said: string } | undefined {
  for (const name of TIME_LIMITS) {
    const value = workerOptionValue(deployment, p, name)?.trim();
    if (value === undefined || !SECONDS.test(value)) continue;
    if (name === '--soft-time-limit' && !isProcessPool(pool)) return undefined;
    const said = p.celery.has(name) ? `${name} ${value}` : `${workerEnvironmentVariable(name)}=${value}`;
    return { seconds: Number(value), name, said };
  }
  return undefined;
}

const TIME_LIMITS = ['--time-limit', '--soft-time-limit'];

/**
 * coreutils timeout's DURATION: a floating-point number (strtod: a sign, an exponent) with an optional
 * unit (s, m, h, d). Hexadecimal and `inf`, which strtod also takes, are left unread (not reported).
 */
const DURATION = /^\+?((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([smhd]?)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * `timeout -k N ...` where supervisor's stop signal reaches timeout itself (it is the program's pid): on
 * the signal it passes it on and sends SIGKILL N seconds later (checked with coreutils 9.1: `timeout -k 3
 * 60 prog` plus TERM, prog killed 3 s later), so the warm shutdown gets N s. Its own -s signal starts the
 * countdown too. 0 turns it off.
 */
function timeoutKillAfter(p: CeleryProgram, stop: string): (KillAfter & { seconds: number; foreground: boolean }) | undefined {
  const pid = killedProcess(p.celery);
  const word = pid?.kind === 'wrapper' && pid.word.name === 'timeout' ? pid.word : undefined;
  const k = word?.killAfter;
  if (!word || !k || !(RELAYED_BY_TIMEOUT.has(stop) || (word.signal !== undefined && signalName(word.signal) === stop))) return undefined;
  const m = DURATION.exec(k.text);
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]];
  // --foreground: timeout relays to the main process alone, and sends it alone the SIGKILL.
  return seconds > 0 && Number.isFinite(seconds) ? { seconds, foreground: word.signals === 'relays', ...k } : undefined;
}

/**
 * su and runuser (util-linux 2.38, su-common.c) stay Celery's parent: on TERM they pass it on, wait 2 s
 * and send SIGKILL (checked: Celery 5.2.6 under `runuser -u root --` began its warm shutdown and was killed
 * 2 s later, its task lost). Also reported here, on the wrapper's word, whatever stopwaitsecs is.
 *
 * supervisor sends SIGKILL when stopwaitsecs runs out after the stop signal. For a Celery worker that
 * is the end of its warm shutdown: tasks still running are killed and lost.
 */
export const celeryStopwaitsecsShort: Rule = {
  code: 'celery-stopwaitsecs-short',
  defaultSeverity: 'warning',
  summary: 'A Celery worker whose stopwaitsecs is too short for a warm shutdown (or that su, runuser or timeout -k kill soon after TERM), so running tasks are killed.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    const { workers: ps, pools } = workerFacts(deployment);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      // Only wrappers (su, runuser, timeout) make the stop signal matter here, and su's TERM only where it
      // reaches Celery: a shell under su that keeps Celery as its child dies on it (celery-shell-without-exec).
      const stop = p.celery.wrapperWords ? signalName(p.get('stopsignal')?.value ?? 'TERM') : undefined;
      const blocked = stop === undefined ? undefined : signalStop(p.celery, stop);
      const killing = blocked?.kind === 'kills' ? blocked.word : blocked?.kind === 'group' ? blocked.killing : undefined;
      if (killing) {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `${killing.name} passes supervisor's TERM on to the process it started for worker '${p.name}' and sends it SIGKILL 2 seconds later, whatever stopwaitsecs says: the warm shutdown gets 2 s, and tasks still running then are killed and lost. Drop ${killing.name} and set user= in the program instead: supervisor switches to that user itself and starts Celery directly.`,
          range: spanRange(p.command, killing.start, killing.end),
          fixes: [],
        });
      }
      const written = p.get('stopwaitsecs');
      const secs = written ? parseInteger(written.value) : DEFAULT_STOPWAITSECS;
      if (secs === undefined) continue;
      const limit = taskTimeLimit(deployment, p, pools[i]);
      const belowLimit = limit !== undefined && secs < limit.seconds;
      const enough = secs >= MINIMUM && !belowLimit;
      const target = Math.max(RECOMMENDED, limit !== undefined ? Math.ceil(limit.seconds) : 0);
      // timeout -k cuts the warm shutdown shorter than stopwaitsecs: reported on its -k value.
      const killAfter = stop === undefined ? undefined : timeoutKillAfter(p, stop);
      if (killAfter && killAfter.seconds < secs && (killAfter.seconds < MINIMUM || (limit !== undefined && killAfter.seconds < limit.seconds))) {
        const wanted = enough ? secs : target;
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `timeout's -k ${killAfter.text} sends SIGKILL ${killAfter.seconds} s after it passes supervisor's ${stop} on to worker '${p.name}', before stopwaitsecs (${secs} s) runs out: the warm shutdown gets ${killAfter.seconds} s${
            limit !== undefined && killAfter.seconds < limit.seconds ? `, less than the worker's ${limit.said}` : ''
          }, and tasks still running then are lost${
            killAfter.foreground ? " (with --foreground the SIGKILL reaches Celery's main process only: a prefork worker's pool processes run on without it, outside supervisor)" : ': the SIGKILL kills them'
          }. Make -k at least ${wanted}, or remove it.`,
          range: spanRange(p.command, killAfter.start, killAfter.end),
          fixes: [{ title: `Set timeout's -k to ${wanted}`, edits: replaceSpan(p.command, killAfter.word.start, killAfter.word.end, killAfter.word.head + String(wanted)), isPreferred: true }],
        });
      }
      if (enough) continue;
      const what = written ? `stopwaitsecs=${secs}${fromElsewhere(p, written)}` : `The default stopwaitsecs (${DEFAULT_STOPWAITSECS}, not set here)`;
      const why = belowLimit
        ? `${what} is shorter than the worker's ${limit!.said}: a task may run that long, but supervisor sends SIGKILL after ${secs} s of shutdown and the task is lost.`
        : `${what}: when supervisor stops or restarts worker '${p.name}', it sends SIGKILL after ${secs} s, so tasks still running in the warm shutdown are killed and lost.`;
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: 'warning',
            message: `${why} Set stopwaitsecs=${target}${target === RECOMMENDED ? " (celery's sample config and the Alliance Auth template)" : ` (at least the ${limit!.name})`}, or longer if your tasks run longer.`,
            range: keyAnchor(doc, p, 'stopwaitsecs'),
          },
          () => [{ title: `Set stopwaitsecs=${target}`, edits: setKey(doc, p, 'stopwaitsecs', String(target)), isPreferred: true }],
        ),
      );
    }
    return findings;
  },
};
