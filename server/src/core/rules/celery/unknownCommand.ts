import { closest, distance } from 'fastest-levenshtein';
import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { CeleryProgram } from './workers';
import { BACKSLASH_IGNORED, removeBackslashesFix } from './strayArgument';
import { CELERY_COMMANDS } from '../../command/celeryOptions';
import { replaceSpan, spanRange } from '../../commandEdits';
import { isDynamic, versionBefore } from './commandLine';
import { lowerCase } from '../../catalog/datatypes';

/**
 * The sub-command the user probably meant: the same word in lower case, or the closest one at most two
 * edits away (one for short words). Words further away may be a plugin's sub-command: not judged.
 */
export function suggestCommand(word: string): string | undefined {
  const lower = lowerCase(word);
  if (CELERY_COMMANDS.includes(lower)) return lower;
  const best = closest(lower, CELERY_COMMANDS as string[]);
  const d = distance(lower, best);
  return d <= (Math.min(lower.length, best.length) <= 4 ? 1 : 2) ? best : undefined;
}

/**
 * A misspelt sub-command (`celery -A proj workers`, `Worker`): click stops with "No such command" and
 * suggests the one meant. Only words close to one of Celery's own sub-commands are reported, as a plugin
 * can add others (flower does).
 */
export const celeryUnknownCommand: Rule = {
  code: 'celery-unknown-command',
  defaultSeverity: 'warning',
  summary: 'A misspelt Celery sub-command (workers, Worker, wroker ...): Celery stops with "No such command".',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const findings: Finding[] = [];
    const programs = ctx.deployment.celeryPrograms;
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      const c = p.celery;
      const word = c.subcommandText;
      if (c.subcommand !== 'other' || c.legacyExecutable || c.managePy || word === undefined || c.subcommandStart === undefined || c.subcommandEnd === undefined) continue;
      if (isDynamic(word) || CELERY_COMMANDS.includes(word)) continue;
      const lineBreak = word.indexOf('\n');
      if (lineBreak > 0 && CELERY_COMMANDS.includes(word.slice(0, lineBreak))) {
        findings.push(backslashAfterCommand(ctx, p, word, lineBreak));
        continue;
      }
      const suggestion = suggestCommand(word);
      if (!suggestion) continue;
      const fixes: Fix[] = [];
      if (p.command.value.slice(c.subcommandStart, c.subcommandEnd) === word) {
        // A change of case is certain; another word is a guess, offered but never applied unseen.
        const certain = lowerCase(word) === suggestion;
        fixes.push({ title: `Change '${word}' to '${suggestion}'`, edits: replaceSpan(p.command, c.subcommandStart, c.subcommandEnd, suggestion), isPreferred: true, ...(certain ? {} : { safeForFixAll: false }) });
      }
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `celery has no sub-command '${word}' (did you mean '${suggestion}'?): Celery ${ctx.settings.celeryVersion} stops with "No such command '${word}'.", so the program never starts (supervisor keeps retrying it or marks it FATAL). Write '${suggestion}'.`,
        range: spanRange(p.command, c.subcommandStart, c.subcommandEnd),
        fixes,
      });
    }
    return findings;
  },
};

/**
 * `worker\` at the end of a line: shlex joins the next line's first word to the sub-command ('worker\n-l'),
 * as the backslash escapes the line break that configparser put there.
 */
function backslashAfterCommand(ctx: RuleContext, p: CeleryProgram, word: string, lineBreak: number): Finding {
  const c = p.celery;
  const meant = word.slice(0, lineBreak);
  const fix = removeBackslashesFix(ctx, p);
  return {
    code: celeryUnknownCommand.code,
    severity: 'warning',
    message: `The backslash after '${meant}' ${BACKSLASH_IGNORED}, so celery receives the sub-command '${JSON.stringify(word).slice(1, -1)}' and Celery ${ctx.settings.celeryVersion} stops with "No such command '${word}'.": the program never starts. Remove the backslash; continuation lines need none.`,
    range: spanRange(p.command, c.subcommandStart!, c.subcommandEnd!),
    fixes: fix ? [fix] : [],
  };
}
