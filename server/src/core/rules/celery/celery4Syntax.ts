import type { Finding, Fix, Rule } from '../rule';
import { insertAt, optionRange } from '../../commandEdits';
import { celeryRunning, optionText, removeOptionsEdits, versionBefore } from './commandLine';

/**
 * `celery worker -A proj` (Celery 4) must be `celery -A proj worker` in Celery 5: -A, -b, --workdir,
 * --config, --loader, --result-backend ... are options of `celery` itself. Written after the
 * sub-command, Celery 5 prints a note and stops with "Error: No such option: -A".
 */
export const celery4Syntax: Rule = {
  code: 'celery-4-syntax',
  defaultSeverity: 'warning',
  summary: 'Global options such as -A written after the sub-command (Celery 4 syntax); Celery 5 stops with "No such option".',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const findings: Finding[] = [];
    // An indexed loop: for...of allocates iterators and results wherever the engine has not optimized it away.
    const programs = celeryRunning(ctx.deployment, 'worker', 'beat');
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      const c = p.celery;
      const misplaced = c.misplacedGlobalOptions;
      if (!misplaced.length || c.legacyExecutable || c.managePy || c.subcommandStart === undefined) continue;
      const sub = c.subcommandText ?? c.subcommand;
      const command = p.command.value;
      const texts = misplaced.map((o) => optionText(command, o));
      const fixes: Fix[] = [];
      const removal = removeOptionsEdits(ctx.doc, p, misplaced);
      if (texts.every((t): t is string => t !== undefined) && removal) {
        fixes.push({
          title: `Move ${misplaced.map((o) => o.spelling).join(', ')} before '${sub}'`,
          edits: [insertAt(p.command, c.subcommandStart, `${texts.join(' ')} `), ...removal],
          isPreferred: true,
        });
      }
      const names = misplaced.map((o) => o.spelling);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      const example = texts.every((t) => t !== undefined) ? `celery ${texts.join(' ')} ${sub} ...` : `celery -A proj ${sub} ...`;
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `${list} ${names.length === 1 ? 'is a global option' : 'are global options'} of celery and must come before '${sub}' since Celery 5.0 (${example}). Written after it, Celery 4 style, Celery 5 stops with "Error: No such option: ${names[0]}", so the program never starts (supervisor keeps retrying it or marks it FATAL).`,
        range: optionRange(p.command, misplaced[0]),
        fixes,
      });
    }
    return findings;
  },
};
