import { entryHere } from '../process/programKeys';
import type { Finding, Fix, Rule } from '../rule';
import { optionRange, replaceSpan, subcommandRange } from '../../commandEdits';
import type { CeleryOption } from '../../command/celery';
import { autostartOff, deploymentKey, removeOptionEdits } from './commandLine';
import type { CeleryProgram } from './workers';

interface Scheduler {
  program: CeleryProgram;
  /** A `celery beat` program, or the beat embedded in a worker with -B. */
  embedded?: CeleryOption;
  key: string;
}

/**
 * Only one beat may run per schedule (Celery periodic tasks guide), otherwise every periodic task is
 * sent more than once. Sources of extra schedulers: numprocs > 1 on a beat program or on a worker with
 * -B, a worker with -B next to a beat program, or two beat programs for the same app.
 */
export const celeryBeatDuplicate: Rule = {
  code: 'celery-beat-duplicate',
  defaultSeverity: 'warning',
  summary: 'More than one Celery beat scheduler for the same app: periodic tasks run more than once.',
  check(ctx) {
    const schedulers: Scheduler[] = [];
    for (let i = 0; i < ctx.deployment.celeryPrograms.length; i++) {
      const p = ctx.deployment.celeryPrograms[i];
      // Which programs schedule first (few do), then whether they start at all.
      const c = p.celery;
      if (c.subcommand === 'beat') {
        if (p.numprocs < 1 || autostartOff(p)) continue;
        schedulers.push({ program: p, key: deploymentKey(p) });
      } else if (c.subcommand === 'worker') {
        const beat = c.options.find((o) => o.name === '--beat' && o.known && !o.unexpectedValue);
        if (!beat || p.numprocs < 1 || autostartOff(p)) continue;
        schedulers.push({ program: p, embedded: beat, key: deploymentKey(p) });
      }
    }
    const findings: Finding[] = [];
    // Per app: the first beat program, and the first scheduler of any kind (linear in the number of programs).
    const firstBeat = new Map<string, Scheduler>();
    const first = new Map<string, Scheduler>();
    for (const s of schedulers) {
      if (!s.embedded && !firstBeat.has(s.key)) firstBeat.set(s.key, s);
      if (!first.has(s.key)) first.set(s.key, s);
    }
    schedulers.forEach((s) => {
      const p = s.program;
      const beatProgram = firstBeat.get(s.key);
      const head = first.get(s.key);
      const earlier = head !== s ? head : undefined;
      // Not another file's [DEFAULT] numprocs=: this file's finding does not point into, or edit, that file.
      const numprocs = entryHere(p, 'numprocs');
      if (s.embedded) {
        const clash = beatProgram ?? earlier;
        if (p.numprocs < 2 && !clash) return;
        const fixes: Fix[] = [];
        const removal = beatProgram ? removeOptionEdits(ctx.doc, p, s.embedded) : undefined;
        if (removal) fixes.push({ title: `Remove ${s.embedded.spelling}: '${beatProgram!.program.name}' already runs beat`, edits: removal, isPreferred: true });
        const reasons: string[] = [];
        if (p.numprocs > 1) reasons.push(`numprocs=${p.numprocs} starts ${p.numprocs} workers, each with its own embedded beat`);
        if (beatProgram) reasons.push(`'${beatProgram.program.name}' runs celery beat for the same app`);
        else if (clash) reasons.push(`worker '${clash.program.name}' also runs an embedded beat (-B)`);
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `Worker '${p.name}' runs an embedded beat scheduler (${s.embedded.spelling}), but ${reasons.join(', and ')}. Only one scheduler may run per schedule, otherwise periodic tasks are sent more than once. ${
            beatProgram ? `Remove ${s.embedded.spelling} and keep the separate beat program.` : 'Run beat once: a separate [program:beat] with numprocs=1, and no -B on the workers.'
          }`,
          range: optionRange(p.command, s.embedded),
          fixes,
        });
        return;
      }
      if (p.numprocs > 1) {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `Beat program '${p.name}' has numprocs=${p.numprocs}, so ${p.numprocs} beat schedulers run and every periodic task is sent ${p.numprocs} times. Only one scheduler may run per schedule: set numprocs=1.`,
          range: numprocs ? numprocs.valueRange : subcommandRange(p.command, p.celery),
          fixes: numprocs ? [{ title: 'Set numprocs=1', edits: [...replaceSpan(numprocs, 0, numprocs.value.length, '1')], isPreferred: true }] : [],
        });
        return;
      }
      const earlierBeat = beatProgram !== s ? beatProgram : undefined;
      if (!earlierBeat) return;
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `Beat programs '${earlierBeat.program.name}' and '${p.name}' schedule the same app, so every periodic task is sent twice. Only one scheduler may run per schedule: keep one of them.`,
        range: subcommandRange(p.command, p.celery),
        related: [{ range: subcommandRange(earlierBeat.program.command, earlierBeat.program.celery), message: `Beat program '${earlierBeat.program.name}'` }],
        fixes: [],
      });
    });
    return findings;
  },
};
