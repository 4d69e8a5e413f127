import { closest, distance } from 'fastest-levenshtein';
import type { Finding, Fix, Rule, SettingChange } from '../rule';
import type { Settings } from '../../settings';
import type { SupervisorDocument } from '../../model/document';
import type { CeleryOption } from '../../command/celery';
import { BEAT_TABLE, GLOBAL_TABLE, WORKER_TABLE, type CeleryOptionSpec, type OptionTable } from '../../command/celeryOptions';
import type { TextEdit } from '../../model/types';
import { insertAt, removeOption, removeSpan, replaceSpan, spanRange } from '../../commandEdits';
import { newerSetting, optionText, removeOptionEdits, shortVersion, versionBefore } from './commandLine';
import type { CeleryProgram } from './workers';
import { partitionPoint } from '../../partitionPoint';

/**
 * Options that well-known Celery extensions add to every sub-command through app.user_options
 * ('preload'): pyramid_celery's -i/--ini and --ini-var.
 */
const PYRAMID_CELERY_OPTIONS: ReadonlySet<string> = new Set(['-i', '--ini', '--ini-var']);
const NO_OPTIONS: ReadonlySet<string> = new Set();

function extensionOptions(app: string | undefined): ReadonlySet<string> {
  return app?.startsWith('pyramid_celery') ? PYRAMID_CELERY_OPTIONS : NO_OPTIONS;
}

/** Spellings of a table that the configured Celery version knows. */
function spellings(table: OptionTable, settings: Settings): string[] {
  const out: string[] = [];
  for (const [spelling, spec] of table.long) {
    const since = spec.aliasSince?.[spelling] ?? spec.since;
    if (since && versionBefore(settings, since)) continue;
    if (spelling === '--help') continue;
    out.push(spelling);
  }
  return out;
}

/** The option the user probably meant: `--concurency` -> `--concurrency`, `--max_tasks_per_child` -> `--max-tasks-per-child`, `--pid` -> `--pidfile`, `-p` -> `-P`. */
export function suggestOption(spelling: string, table: OptionTable, settings: Settings): string | undefined {
  if (spelling.startsWith('--')) {
    const normal = spelling.toLowerCase().replace(/_/g, '-');
    const known = spellings(table, settings);
    if (known.includes(normal)) return normal;
    if (!known.length) return undefined;
    // Celery 4's argparse took any unambiguous abbreviation (`--pid=` for --pidfile, still in many
    // configs): the one option the name starts wins over a closer spelling (--uid).
    let longer: string | undefined;
    for (const k of known) {
      if (!k.startsWith(normal)) continue;
      if (longer !== undefined) {
        longer = undefined;
        break;
      }
      longer = k;
    }
    if (longer !== undefined) return longer;
    const best = closest(normal, known);
    const d = distance(normal, best);
    return d <= 2 || (d <= 3 && normal.length >= 12) ? best : undefined;
  }
  if (spelling.length === 2) {
    const letter = spelling[1];
    const swapped = `-${letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase()}`;
    if (table.short.has(swapped)) return swapped;
  }
  return undefined;
}

function renameFix(p: CeleryProgram, o: CeleryOption, to: string): Fix | undefined {
  if (p.command.value.slice(o.nameStart, o.nameEnd) !== o.spelling) return undefined;
  // In a short-option cluster (-Bp), only the letter changes.
  if (o.combined && !(o.spelling.length === 2 && to.length === 2)) return undefined;
  return { title: `Change ${o.spelling} to ${to}`, edits: [...replaceSpan(p.command, o.nameStart, o.nameEnd, to)], isPreferred: true };
}

/** A rename to the nearest known option: a guess, offered but never applied unseen. */
function guessedRename(p: CeleryProgram, o: CeleryOption, to: string): Fix | undefined {
  const fix = renameFix(p, o, to);
  return fix && { ...fix, safeForFixAll: false };
}

/**
 * Options Celery 5 does not know for the sub-command (typos, options of another sub-command, options
 * written before the sub-command) and options newer than the configured Celery version
 * (supervisor.celery.version): click stops with "No such option".
 */
export const celeryUnknownOption: Rule = {
  code: 'celery-unknown-option',
  defaultSeverity: 'warning',
  summary: 'An option Celery does not know for this sub-command, or one newer than the configured Celery version ("No such option").',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const settings = ctx.settings;
    const findings: Finding[] = [];
    const push = (p: CeleryProgram, o: CeleryOption, message: string, fixes: Fix[], setting?: SettingChange) =>
      findings.push({ code: this.code, severity: 'warning', message, range: spanRange(p.command, o.nameStart, o.nameEnd), fixes, ...(setting ? { setting } : {}) });
    const version = `Celery ${settings.celeryVersion}`;

    // Indexed loops: a check runs once per analysis, often before the engine optimizes it, and an
    // unoptimized for-of allocates a result object per step (tens of thousands of options here).
    const programs = ctx.deployment.celeryPrograms;
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      const c = p.celery;
      if (c.legacyExecutable || c.managePy) continue; // celery-removed-option, celery-django-celery-command
      const sub = c.subcommandText ?? c.subcommand;
      const table = c.subcommand === 'worker' ? WORKER_TABLE : c.subcommand === 'beat' ? BEAT_TABLE : undefined;

      // Before the sub-command only celery's own (global) options are allowed.
      for (let k = 0; k < c.globalOptions.length; k++) {
        const o = c.globalOptions[k];
        if (o.known) {
          if (o.since && versionBefore(settings, o.since)) push(p, o, newerMessage(o, settings), newerFixes(ctx.doc, p, o), newerSetting(o.since!));
          continue;
        }
        if (table && (table.long.has(o.spelling) || table.short.has(o.spelling)) && c.subcommandEnd !== undefined) {
          const text = optionText(p.command.value, o);
          const fixes: Fix[] = text
            ? [{ title: `Move ${o.spelling} after '${sub}'`, edits: [...removeOption(ctx.doc, p.command, o), insertAt(p.command, c.subcommandEnd, ` ${text}`)], isPreferred: true }]
            : [];
          push(p, o, `${o.spelling} is an option of '${sub}', but it is written before '${sub}', where celery accepts only its global options (-A, -b, --workdir ...): ${version} stops with "No such option: ${o.spelling}". Move it after '${sub}'.`, fixes);
          continue;
        }
        if (oneDash(p, o, [GLOBAL_TABLE])) {
          const long = oneDash(p, o, [GLOBAL_TABLE])!;
          push(p, o, `${long.slice(1)} has a single dash, so celery reads it as the unknown option ${o.spelling}: ${version} stops with "No such option: ${o.spelling}". Long options take two dashes: write ${long}.`, oneDashFix(p, o, long));
          continue;
        }
        const suggestion = suggestOption(o.spelling, GLOBAL_TABLE, settings);
        const fix = suggestion ? guessedRename(p, o, suggestion) : undefined;
        push(p, o, `celery has no global option ${o.spelling}${suggestion ? ` (did you mean ${suggestion}?)` : ''}: ${version} stops with "No such option: ${o.spelling}".${suggestion ? '' : ' Remove it or check the spelling.'}`, fix ? [fix] : []);
      }

      if (!table || !c.optionsChecked) continue;
      // Looked up at the first unknown option only (most commands have none).
      let extensions: ReadonlySet<string> | undefined;
      for (let k = 0; k < c.options.length; k++) {
        const o = c.options[k];
        if (o.removed) continue; // celery-removed-option
        if (!o.known && (extensions ??= extensionOptions(c.get('--app')?.value)).has(o.spelling)) continue;
        if (o.known) {
          if (o.since && versionBefore(settings, o.since)) push(p, o, newerMessage(o, settings), newerFixes(ctx.doc, p, o), newerSetting(o.since!));
          continue;
        }
        const other = c.subcommand === 'worker' ? BEAT_TABLE : WORKER_TABLE;
        const otherName = c.subcommand === 'worker' ? 'beat' : 'worker';
        const long = oneDash(p, o, [table, GLOBAL_TABLE]);
        if (long) {
          push(p, o, `${long.slice(1)} has a single dash, so celery reads it as the unknown option ${o.spelling}: ${version} stops with "No such option: ${o.spelling}". Long options take two dashes: write ${long}.`, oneDashFix(p, o, long));
          continue;
        }
        const suggestion = suggestOption(o.spelling, table, settings);
        if (!suggestion && (other.long.has(o.spelling) || other.short.has(o.spelling))) {
          const removal = removeWithValue(ctx.doc, p, o, other.long.get(o.spelling) ?? other.short.get(o.spelling));
          push(
            p,
            o,
            `${o.spelling} is a ${otherName} option; '${sub}' does not have it, so ${version} stops with "No such option: ${o.spelling}". Remove it${
              o.spelling === '-D' ? ' (beat has only --detach, which does not belong under supervisor either)' : ''
            }.`,
            removal ? [{ title: `Remove ${o.spelling}`, edits: removal }] : [],
          );
          continue;
        }
        const fix = suggestion ? guessedRename(p, o, suggestion) : undefined;
        push(
          p,
          o,
          `'${sub}' has no option ${o.spelling}${suggestion ? ` (did you mean ${suggestion}?)` : ''}: ${version} stops with "No such option: ${o.spelling}", so the program never starts (supervisor keeps retrying it or marks it FATAL).${
            suggestion ? '' : ' Remove it or check the spelling (an option your app adds through app.user_options is fine: then turn this rule off).'
          }`,
          fix ? [fix] : [],
        );
      }
    }
    return findings;
  },
};

function newerMessage(o: CeleryOption, settings: Settings): string {
  const since = shortVersion(o.since!);
  return `${o.spelling} was added in Celery ${since}; the configured Celery ${settings.celeryVersion} (setting supervisor.celery.version) stops with "No such option: ${o.spelling}". ${
    o.spelling === '--optimization' ? 'Write -O, which every 5.x release accepts' : 'Remove it'
  }, or set supervisor.celery.version if the workers run ${since} or later.`;
}

function newerFixes(doc: SupervisorDocument, p: CeleryProgram, o: CeleryOption): Fix[] {
  if (o.spelling === '--optimization') {
    // --optimization=fair -> -O fair (a short option must not be followed by '=')
    if (o.form === 'equals' && o.valueStart !== undefined && p.command.value.slice(o.nameStart, o.valueStart) === '--optimization=') {
      return [{ title: 'Change --optimization to -O', edits: [...replaceSpan(p.command, o.nameStart, o.valueStart, '-O ')], isPreferred: true }];
    }
    const fix = renameFix(p, o, '-O');
    return fix ? [fix] : [];
  }
  const removal = removeOptionEdits(doc, p, o);
  return removal ? [{ title: `Remove ${o.spelling} (Celery ${shortVersion(o.since!)} and later only)`, edits: removal }] : [];
}

/**
 * Removes an option that this sub-command does not know but another one does. The parser could not
 * tell that it takes a value (`beat -c 4` reads 4 as a positional), so the value goes with it.
 */
function removeWithValue(doc: SupervisorDocument, p: CeleryProgram, o: CeleryOption, spec: CeleryOptionSpec | undefined): TextEdit[] | undefined {
  if (!spec || spec.isFlag || o.form !== 'flag' || o.combined) return removeOptionEdits(doc, p, o);
  const c = p.celery;
  const next = c.positionals[firstAtOrAfter(c.positionals, o.end)];
  if (!next) return removeOptionEdits(doc, p, o);
  const startsBefore = (list: readonly { start: number }[]) => (list[firstAtOrAfter(list, o.end)]?.start ?? Infinity) < next.start;
  return startsBefore(c.options) || startsBefore(c.misplacedGlobalOptions) ? undefined : removeSpan(doc, p.command, o.start, next.end);
}

/** Index of the first item (sorted by start) that starts at or after `offset`; binary search. */
function firstAtOrAfter(list: readonly { start: number }[], offset: number): number {
  return partitionPoint(list.length, (i) => list[i].start < offset);
}

/** `-app proj`, `-broker=x`: a long option written with one dash (click reads `-a` with the value `pp`). */
function oneDash(p: CeleryProgram, o: CeleryOption, tables: OptionTable[]): string | undefined {
  if (o.spelling.length !== 2 || o.form !== 'glued' || o.combined || !o.value) return undefined;
  const long = `--${o.spelling.slice(1)}${o.value.split('=')[0]}`.toLowerCase();
  return tables.some((t) => t.long.has(long)) && p.command.value.slice(o.nameStart, o.nameEnd) === o.spelling ? long : undefined;
}

function oneDashFix(p: CeleryProgram, o: CeleryOption, long: string): Fix[] {
  const written = `-${o.spelling}${o.value!.split('=')[0]}`;
  if (written !== long) return []; // a case change as well: leave it to the user
  return [{ title: `Write ${long}`, edits: [insertAt(p.command, o.nameStart, '-')], isPreferred: true }];
}
