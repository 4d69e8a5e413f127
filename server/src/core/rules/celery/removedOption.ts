import type { Finding, Fix, Rule, RuleContext } from '../rule';
import { insertAt, replaceSpan, spanRange } from '../../commandEdits';
import { basename } from '../../command/argv';
import { LEGACY_EXECUTABLES, REMOVED_WORKER_OPTIONS } from '../../command/celeryOptions';
import { optionText, removeOptionEdits, removeOptionsEdits, versionBefore } from './commandLine';
import type { CeleryProgram } from './workers';

// Celery 4.x still accepted (and ignored) --no-execv/--force-execv; they fail from 5.0 (whatsnew-4.0).
const ACCEPTED_UNTIL_5: ReadonlySet<string> = new Set(['--no-execv', '--force-execv']);
const REMOVED_IN = new Map(REMOVED_WORKER_OPTIONS.map((r) => [r.spelling, ACCEPTED_UNTIL_5.has(r.spelling) ? '5.0' : r.removedIn]));
const LEGACY_REMOVED_IN = '4.0';

/**
 * `celeryd -A proj -l info` -> `celery -A proj worker -l info`: the executable becomes celery, the
 * global options stay (or move) in front, then the sub-command. Undefined when the command does not
 * name the executable directly.
 */
function legacyFix(ctx: RuleContext, p: CeleryProgram, sub: 'worker' | 'beat'): Fix | undefined {
  const c = p.celery;
  const legacy = c.legacyExecutable!;
  const command = p.command.value;
  const rawExe = command.slice(c.executableStart, c.executableEnd);
  if (c.viaPythonM || basename(c.executable) !== legacy || !rawExe.endsWith(legacy)) return undefined;
  const all = [...c.globalOptions, ...c.options].sort((a, b) => a.start - b.start);
  let lead = 0;
  while (lead < all.length && c.globalOptions.includes(all[lead])) lead++;
  const leading = all.slice(0, lead);
  const moved = c.globalOptions.filter((o) => !leading.includes(o));
  const texts = moved.map((o) => optionText(command, o));
  if (!texts.every((t): t is string => t !== undefined)) return undefined;
  const inserted = [...texts, sub].map((t) => ` ${t}`).join('');
  const exeName = c.executableEnd - legacy.length;
  const edits = leading.length
    ? [...replaceSpan(p.command, exeName, c.executableEnd, 'celery'), insertAt(p.command, leading[leading.length - 1].end, inserted)]
    : [...replaceSpan(p.command, exeName, c.executableEnd, `celery${inserted}`)];
  const removal = removeOptionsEdits(ctx.doc, p, moved);
  if (!removal) return undefined;
  edits.push(...removal);
  return { title: `Run 'celery ... ${sub}' instead of ${legacy}`, edits, isPreferred: true };
}

/**
 * Spellings Celery 5 no longer accepts: the Celery 4 aliases --maxtasksperchild and --maxmemperchild,
 * --autoreload, --no-execv, --force-execv, and the celeryd / celerybeat / celeryd-multi executables.
 */
export const celeryRemovedOption: Rule = {
  code: 'celery-removed-option',
  defaultSeverity: 'warning',
  summary: 'Options and executables removed from Celery (--maxtasksperchild, --autoreload, celeryd ...).',
  check(ctx) {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.deployment.celeryPrograms.length; i++) {
      const p = ctx.deployment.celeryPrograms[i];
      const c = p.celery;
      const legacy = c.legacyExecutable;
      if (legacy && !versionBefore(ctx.settings, LEGACY_REMOVED_IN)) {
        const replacement = LEGACY_EXECUTABLES[legacy];
        const fix = legacy === 'celeryd-multi' ? undefined : legacyFix(ctx, p, legacy === 'celeryd' ? 'worker' : 'beat');
        findings.push({
          code: this.code,
          severity: 'warning',
          message:
            legacy === 'celeryd-multi'
              ? `The celeryd-multi executable was removed in Celery 4.0, and its successor celery multi starts workers in the background, which supervisor cannot manage. Run one 'celery -A proj worker' in this program instead and use numprocs for more copies.`
              : `The ${legacy} executable was removed in Celery 4.0, so the program cannot start. Use '${replacement}': celery -A proj ${replacement.split(' ')[1]} ...`,
          range: spanRange(p.command, c.executableStart, c.executableEnd),
          fixes: fix ? [fix] : [],
          tag: 'deprecated',
        });
      }
      if (c.subcommand !== 'worker') continue;
      for (let j = 0; j < c.options.length; j++) {
        const o = c.options[j];
        if (!o.removed) continue;
        const removedIn = REMOVED_IN.get(o.spelling) ?? '5.0';
        if (versionBefore(ctx.settings, removedIn)) continue;
        const fixes: Fix[] = [];
        if (o.removedAlias) {
          if (p.command.value.slice(o.nameStart, o.nameEnd) === o.spelling) {
            fixes.push({ title: `Rename to ${o.removedAlias}`, edits: [...replaceSpan(p.command, o.nameStart, o.nameEnd, o.removedAlias)], isPreferred: true });
          }
        } else {
          const removal = removeOptionEdits(ctx.doc, p, o);
          if (removal) fixes.push({ title: `Remove ${o.spelling}`, edits: removal, isPreferred: true });
        }
        const what = o.removedAlias
          ? `${o.spelling} is the Celery 4 spelling of ${o.removedAlias} and was removed in Celery ${removedIn}`
          : o.spelling === '--autoreload'
            ? `--autoreload was removed in Celery ${removedIn}`
            : `${o.spelling} was removed in Celery ${removedIn} (4.x already ignored it)`;
        findings.push({
          code: this.code,
          severity: 'warning',
          // Celery 5's click prints this; 4.x (argparse) rejects it with a message of its own.
          message: `${what}: the worker stops with ${versionBefore(ctx.settings, '5.0') ? 'an error about the unrecognized argument' : `"Error: No such option: ${o.spelling}"`}, so it never starts (supervisor keeps retrying it or marks it FATAL). ${
            o.removedAlias ? `Write ${o.removedAlias}.` : 'Remove it.'
          }`,
          range: spanRange(p.command, o.nameStart, o.nameEnd),
          fixes,
          tag: 'deprecated',
        });
      }
    }
    return findings;
  },
};
