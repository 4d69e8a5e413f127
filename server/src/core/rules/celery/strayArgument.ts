import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { CeleryCommand, CeleryOption } from '../../command/celery';
import { splitArgv } from '../../command/argv';
import { CELERY_SETTING_NAMESPACES, CELERY_SETTING_TYPES } from '../../command/celerySettings';
import { pyInt, pyRepr } from '../../catalog/datatypes';
import { removeSpans, spanRange } from '../../commandEdits';
import { isDynamic, versionBefore } from './commandLine';
import { isPythonFloat } from './invalidOptionValue';
import type { CeleryProgram } from './workers';

/** celery.utils.serialization.STRTOBOOL_DEFAULT_TABLE. */
const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['false', 'no', '0', 'true', 'yes', '1', 'on', 'off']);

/** The types a `(type)value` cast may name (Option.typemap and 'json'; tuple, list and dict casts read JSON). */
const CAST_TYPES: ReadonlySet<string> = new Set(['string', 'int', 'float', 'any', 'bool', 'dict', 'tuple', 'json', 'list']);

const UNPACK = 'not enough values to unpack (expected 2, got 1)';

export interface ExtraArgumentError {
  reason: string;
  crash?: 'TypeError' | 'IndexError';
  /** A setting Celery knows, whose value it cannot convert to the setting's type. */
  badValue?: { key: string; type: string };
}

/**
 * Why Celery refuses an extra argument of `celery worker` or `celery beat`, in the words of the
 * exception (the "Reason:" of its message), or undefined when it takes it as a setting. Celery's
 * cmdline_config_parser (celery/loaders/base.py): `key=value`, the key lower-cased with '.' read as '_',
 * split at its first '_' into namespace and name (a leading '_' is the sub-command's namespace:
 * 'worker', or 'celery' for beat, which has no settings), then the value converted by the setting's
 * type, or by the type a `(type)` prefix names (then any key goes). `crash`: the exception, one Celery does
 * not catch, so a traceback instead of the message.
 */
export function extraArgumentError(arg: string, namespace: 'worker' | 'celery'): ExtraArgumentError | undefined {
  const eq = arg.indexOf('=');
  if (eq < 0) return { reason: UNPACK };
  let key = arg.slice(0, eq).toLowerCase().replace(/\./g, '_');
  let value = arg.slice(eq + 1);
  if (key === '') return { reason: 'string index out of range', crash: 'IndexError' };
  if (key.startsWith('_')) key = namespace + key;
  const sep = key.indexOf('_');
  if (sep < 0) return { reason: UNPACK };
  let type: string;
  const cast = /^\((\w+)\)/u.exec(value);
  if (cast) {
    type = cast[1] === 'tuple' || cast[1] === 'list' || cast[1] === 'dict' ? 'json' : cast[1];
    if (!CAST_TYPES.has(type)) return { reason: `'${cast[1]}'` };
    value = value.slice(cast[0].length);
  } else {
    const ns = key.slice(0, sep);
    if (!CELERY_SETTING_NAMESPACES.has(ns)) return { reason: `'${ns}'` };
    const known = CELERY_SETTING_TYPES[key];
    if (known === undefined) return { reason: `'${key.slice(sep + 1)}'` };
    type = known;
  }
  // Python's own words, as Celery quotes them after the key (celery/loaders/base.py getarg).
  const invalid = (why: string): ExtraArgumentError => ({ reason: `'${key}': ${why}`, badValue: { key, type } });
  switch (type) {
    case 'list':
    case 'str':
      return { reason: `'${type}'`, badValue: { key, type } }; // Option.typemap has no converter for these setting types
    case 'int':
      return pyInt(value) === undefined ? invalid(`invalid literal for int() with base 10: ${pyRepr(value)}`) : undefined;
    case 'float':
      return isPythonFloat(value) ? undefined : invalid(`could not convert string to float: ${pyRepr(value)}`);
    case 'bool':
      // strtobool raises TypeError, which Celery does not catch.
      return BOOLEAN_WORDS.has(value.toLowerCase()) ? undefined : { reason: `Cannot coerce '${value}' to type bool`, crash: 'TypeError' };
    case 'dict':
      // dict('...') takes each character for a pair
      return value === '' ? undefined : invalid('dictionary update sequence element #0 has length 1; 2 is required');
    default:
      return undefined; // string, any, tuple; JSON is not judged
  }
}

/**
 * Click stops at a bad option or value before Celery reads its extra arguments: those findings come
 * first, and a word after an option we cannot place may be its value.
 */
function stopsEarlier(c: CeleryCommand): boolean {
  for (const list of [c.globalOptions, c.options, c.misplacedGlobalOptions]) {
    for (let k = 0; k < list.length; k++) {
      const o = list[k];
      if (!o.known || o.removed || o.misplaced || o.beforeSubcommand || o.missingValue || o.unexpectedValue) return true;
    }
  }
  return false;
}

/**
 * Whether a word (`text`, written at `start`) is one a backslash at the end of the line before it runs
 * into: written as backslash + line break, and read with the line break in it ('\n-l').
 */
function afterBackslash(command: string, text: string, start: number): boolean {
  return text.startsWith('\n') && command.charCodeAt(start) === 0x5c && command.charCodeAt(start + 1) === 0x0a;
}

/** Why a shell-style backslash at the end of a `command=` line does harm, for the messages about it. */
export const BACKSLASH_IGNORED =
  'does not continue the command: configparser already joins the indented lines of a value, and shlex reads the backslash as escaping the line break';

/** An option whose value a line-end backslash runs into (`-Q \` + line break + `high`): its value starts with '\n'. */
function valueAfterBackslash(command: string, c: CeleryCommand): CeleryOption | undefined {
  // Asked of every worker: most commands have no backslash at a line end, and need not be read option by option.
  if (command.indexOf('\\\n') === -1) return undefined;
  for (const list of [c.globalOptions, c.options]) {
    for (let k = 0; k < list.length; k++) {
      const o = list[k];
      if (o.valueStart !== undefined && o.value !== undefined && afterBackslash(command, o.value, o.valueStart)) return o;
    }
  }
  return undefined;
}

/** Removes every backslash at the end of a line of the command that starts a word or ends one (with the spaces before it). */
export function removeBackslashesFix(ctx: RuleContext, p: CeleryProgram): Fix | undefined {
  const command = p.command.value;
  const split = splitArgv(command);
  if (split.error) return undefined;
  const spans: { start: number; end: number }[] = [];
  for (const t of split.tokens) {
    // A backslash-newline at the start of a word ('worker \' + line) or inside it ('worker\' + line),
    // outside quotes: the escape gives the word the line break, not the backslash.
    for (let k = command.indexOf('\\\n', t.start); k >= 0 && k < t.end; k = command.indexOf('\\\n', k + 2)) {
      const offsets = t.offsets;
      if (offsets.includes(k + 1) && !offsets.includes(k)) spans.push({ start: k, end: k + 1 });
    }
  }
  if (!spans.length) return undefined;
  return { title: spans.length > 1 ? 'Remove the backslashes at the ends of the lines' : 'Remove the backslash at the end of the line', edits: removeSpans(ctx.doc, p.command, spans), isPreferred: true };
}

/**
 * Words after `celery worker` / `celery beat` that are neither options nor settings: Celery reads them
 * as `key=value` settings (app.config_from_cmdline) and stops with "Unable to parse extra configuration
 * from command line". A shell-style backslash at the end of a line is the usual source.
 */
export const celeryStrayArgument: Rule = {
  code: 'celery-stray-argument',
  defaultSeverity: 'warning',
  summary: 'A word after the worker or beat sub-command that is neither an option nor a key=value setting (a second -Q queue, a line-end backslash): Celery stops.',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const findings: Finding[] = [];
    const programs = ctx.deployment.celeryPrograms;
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      const c = p.celery;
      if ((c.subcommand !== 'worker' && c.subcommand !== 'beat') || !c.optionsChecked) continue;
      const command = p.command.value;
      const glued = c.viaShell ? undefined : valueAfterBackslash(command, c);
      if (glued) {
        const fix = removeBackslashesFix(ctx, p);
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `The backslash at the end of this line ${BACKSLASH_IGNORED}, so ${glued.spelling} receives '${JSON.stringify(glued.value).slice(1, -1)}', its value with a line break in front (a queue, node or app name Celery then takes as written). Remove the backslash; continuation lines need none.`,
          range: spanRange(p.command, glued.valueStart!, glued.valueStart! + 1),
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      if (c.positionals.length === 0 || stopsEarlier(c)) continue;
      const sub = c.subcommand;
      for (let k = 0; k < c.positionals.length; k++) {
        const w = c.positionals[k];
        // Words the file does not show may be anything, options included: nothing after them can be judged.
        if (c.unknownArguments?.includes(w) || isDynamic(w.text)) break;
        const backslash = !c.viaShell && afterBackslash(command, w.text, w.start);
        if (c.viaShell && w.text.includes('\n')) break; // a shell joins backslash-continued lines itself
        const error = extraArgumentError(w.text, sub === 'worker' ? 'worker' : 'celery');
        if (!error) continue;
        const stops = error.crash
          ? `stops with "${error.crash}: ${error.reason}" (a traceback: Celery does not catch it)`
          : `stops with "Error: Unable to parse extra configuration from command line." (Reason: ${error.reason})`;
        const shown = JSON.stringify(w.text).slice(1, -1);
        let message: string;
        const fixes: Fix[] = [];
        if (backslash) {
          message = `The backslash at the end of this line ${BACKSLASH_IGNORED}, so celery receives '${shown}' as a word of its own instead of an option and Celery ${stops}: the ${sub} never starts. Remove the backslash; continuation lines need none.`;
          const fix = removeBackslashesFix(ctx, p);
          if (fix) fixes.push(fix);
        } else if (error.badValue) {
          const { key, type } = error.badValue;
          const unsettable = type === 'list' || type === 'str';
          message = `'${shown}' names the Celery setting ${key}, but ${unsettable ? `Celery has no way to read a ${type} setting from the command line` : `Celery cannot read its value as ${type === 'int' ? 'an int' : `a ${type}`}`}: it ${stops}, so the ${sub} never starts. ${
            unsettable || type === 'dict' ? `Set it in the app's configuration, or as JSON in one quoted word: '${key}=(json)...'.` : "Give it a value of that type, or set it in the app's configuration."
          }`;
        } else if (w.text.startsWith('-') && /(?:^|\s)--(?:\s|$)/.test(command.slice(c.subcommandEnd ?? 0, w.start))) {
          message = `'${shown}' comes after '--', and click hands every word after '--' to Celery as a setting, not as an option: it ${stops}, so the ${sub} never starts. Remove the '--'.`;
        } else {
          message = `'${shown}' is neither an option of '${sub}' nor a key=value setting, and Celery reads every extra word as a setting: it ${stops}, so the ${sub} never starts (supervisor keeps retrying it or marks it FATAL).${
            w.text.includes('=') ? ' A setting is written namespace_name=value with a name Celery knows, e.g. worker_prefetch_multiplier=1.' : ' If it belongs to the option before it: an option takes one word, so join the values with a comma (-Q high,low, --autoscale 10,3).'
          }`;
        }
        findings.push({
          code: this.code,
          severity: 'warning',
          message,
          range: backslash ? spanRange(p.command, w.start, w.start + 1) : spanRange(p.command, w.start, w.end),
          fixes,
        });
        break; // Celery stops at the first
      }
    }
    return findings;
  },
};
