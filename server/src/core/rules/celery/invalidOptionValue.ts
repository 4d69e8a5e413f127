import { closest, distance } from 'fastest-levenshtein';
import type { Finding, Fix, Rule, RuleContext, SettingChange } from '../rule';
import type { Settings } from '../../settings';
import { isProcessPool, type CeleryOption } from '../../command/celery';
import type { Deployment } from '../../deployment';
import { BEAT_TABLE, GLOBAL_TABLE, LOG_LEVELS, POOL_CHOICES, POOL_CHOICES_SINCE, WORKER_TABLE, type CeleryOptionSpec } from '../../command/celeryOptions';
import { insertAt, optionRange, replaceSpan, spanRange, subcommandRange } from '../../commandEdits';
import type { TextEdit } from '../../model/types';
import type { SupervisorDocument } from '../../model/document';
import { assignmentIn, celeryEnvironmentValue, celeryRunning, fileNames, workerEnvironmentVariable, isDynamic, newerSetting, removeOptionEdits, shortVersion, versionBefore } from './commandLine';
import { workerPool, type CeleryProgram } from './workers';
import { lookupTable } from '../../lookupTable';
import { pyInt } from '../../catalog/datatypes';
import { environmentPairs, sharedEnvironmentNames } from '../process/environment';
import { valueAnchor } from '../process/programKeys';
import { AcceptedTexts } from '../../textMemo';

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Python's int(): optional sign, digits, single underscores between digits, surrounding whitespace. */
export function isPythonInt(s: string): boolean {
  const t = s.trim();
  let i = t[0] === '+' || t[0] === '-' ? 1 : 0;
  if (i >= t.length) return false;
  for (; i < t.length; i++) {
    if (isDigit(t[i])) continue;
    if (t[i] === '_' && isDigit(t[i - 1]) && isDigit(t[i + 1])) continue;
    return false;
  }
  return true;
}

/** Python's float(): decimal and exponent forms, inf, infinity and nan. */
export function isPythonFloat(s: string): boolean {
  let t = s.trim().toLowerCase().replace(/(\d)_(?=\d)/g, '$1');
  if (t.startsWith('+') || t.startsWith('-')) t = t.slice(1);
  if (t === 'inf' || t === 'infinity' || t === 'nan') return true;
  const e = t.indexOf('e');
  const mantissa = e >= 0 ? t.slice(0, e) : t;
  if (e >= 0 && !/^[+-]?\d+$/.test(t.slice(e + 1))) return false;
  return /^\d+\.?\d*$/.test(mantissa) || /^\.\d+$/.test(mantissa);
}

const NUMERIC_LEVELS: Readonly<Record<string, string>> = lookupTable({ '10': 'DEBUG', '20': 'INFO', '30': 'WARNING', '40': 'ERROR', '50': 'CRITICAL' });

function near(value: string, choices: readonly string[], max = 2): string | undefined {
  if (!value || !choices.length) return undefined;
  const c = closest(value, choices);
  return distance(value, c) <= max ? c : undefined;
}

/** Converts '256MB', '256M', '1GB', '512 KiB' to KiB ('256MB' is 256 MiB as in the guide). */
export function toKiB(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])(?:i?b)?\s*$/i.exec(value);
  if (!m) return undefined;
  const factor = { k: 1, m: 1024, g: 1024 * 1024 }[m[2].toLowerCase() as 'k' | 'm' | 'g'];
  const kib = Number(m[1]) * factor;
  return Number.isInteger(kib) && kib > 0 ? kib : undefined;
}

interface ValueProblem {
  /** What is wrong with the value, Celery's reaction included. */
  message: string;
  /** The value to write instead, when it is clear. */
  value?: string;
  /** The Celery version under which the value is fine. */
  setting?: SettingChange;
}

function clickLabel(spec: CeleryOptionSpec): string {
  if (!spec.name.startsWith('--')) return `'${spec.name}'`;
  return spec.short ? `'${spec.short}' / '${spec.name}'` : `'${spec.name}'`;
}

function poolChoices(settings: Settings): string[] {
  return [...POOL_CHOICES, ...Object.keys(POOL_CHOICES_SINCE).filter((p) => !versionBefore(settings, POOL_CHOICES_SINCE[p]))];
}

/**
 * Values each option accepts, remembered per option spec (the pool's by Celery version too): every
 * worker of a file tends to repeat `-l info` and `--concurrency=4`.
 */
const acceptedValues = new AcceptedTexts<CeleryOptionSpec>(10_000);

/** Is `value` acceptable for this option (undefined also when it is dynamic)? For strings, paths, lists and URLs any value is. */
function valueProblem(spelling: string, spec: CeleryOptionSpec, value: string, settings: Settings): ValueProblem | undefined {
  if (!STRICT.has(spec.type)) return undefined;
  const key = spec.name === '--pool' ? `${settings.celeryVersion}\u0000${value}` : value;
  if (acceptedValues.has(spec, key)) return undefined;
  // A value only the server knows ($VAR, %(ENV_X)s, {{ x }}) is not judged.
  if (isDynamic(value)) return undefined;
  const problem = valueProblemUncached(spelling, spec, value, settings);
  if (problem === undefined) acceptedValues.add(spec, key);
  return problem;
}

/** `spelling`: how the option is named in messages (-l, --max-memory-per-child, or the variable that sets it). */
function valueProblemUncached(spelling: string, spec: CeleryOptionSpec, value: string, settings: Settings): ValueProblem | undefined {
  const label = clickLabel(spec);
  const quoted = (list: readonly string[]) => list.map((c) => `'${c}'`).join(', ');
  switch (spec.type) {
    case 'choice': {
      if (spec.name === '--loglevel') {
        const up = value.toUpperCase();
        if ((LOG_LEVELS as readonly string[]).includes(up)) return undefined;
        const level = up === 'WARN' ? 'WARNING' : (NUMERIC_LEVELS[up.trim()] ?? (up.length >= 3 ? LOG_LEVELS.find((l) => l.startsWith(up)) : undefined) ?? near(up, LOG_LEVELS));
        const suggestion = level && (/[a-z]/.test(value) && value === value.toLowerCase() ? level.toLowerCase() : level);
        return {
          message: `'${value}' is not a Celery log level: the ${spelling} value must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, FATAL (any case)${
            up === 'WARN' ? '; Celery 5 rejects WARN, which supervisor and Celery 4 accept' : ''
          }. Celery stops with "Invalid value for ${label}".${suggestion ? ` Write ${suggestion}.` : ''}`,
          value: suggestion,
        };
      }
      const choices = spec.name === '--pool' ? poolChoices(settings) : [...(spec.choices ?? [])];
      if (choices.includes(value)) return undefined;
      if (spec.name === '--pool' && POOL_CHOICES_SINCE[value]) {
        return {
          message: `The ${value} pool exists from Celery ${shortVersion(POOL_CHOICES_SINCE[value])}; Celery ${settings.celeryVersion} (setting supervisor.celery.version) stops with "Invalid value for ${label}". If the workers run ${shortVersion(POOL_CHOICES_SINCE[value])} or later, set supervisor.celery.version.`,
          setting: newerSetting(POOL_CHOICES_SINCE[value]),
        };
      }
      const lower = value.toLowerCase();
      const suggestion = choices.includes(lower) ? lower : near(lower, choices);
      return {
        message: `'${value}' is not a valid ${spelling} value (choices are case-sensitive: ${choices.join(', ')}): Celery stops with "Invalid value for ${label}: '${value}' is not one of ${quoted(choices)}."${
          suggestion ? ` Write ${suggestion}.` : ''
        }`,
        value: suggestion,
      };
    }
    case 'integer': {
      if (isPythonInt(value)) return undefined;
      let suggestion: string | undefined;
      let hint = '';
      if (spec.unit === 'KiB') {
        const kib = toKiB(value);
        if (kib !== undefined) {
          suggestion = String(kib);
          hint = ` The value is a plain number of KiB: ${value.trim()} is ${suggestion}.`;
        }
      }
      if (!suggestion && isPythonFloat(value) && Number.isInteger(Number(value.trim()))) suggestion = String(Number(value.trim()));
      if (!suggestion && spec.unit === 'seconds' && /^\s*\d+\s*s(?:ec)?\s*$/i.test(value)) suggestion = value.trim().replace(/\D+$/, '');
      return {
        message: `${spelling} takes a whole number: Celery stops with "Invalid value for ${label}: '${value}' is not a valid integer."${hint}${suggestion && !hint ? ` Write ${suggestion}.` : ''}`,
        value: suggestion,
      };
    }
    case 'float': {
      if (isPythonFloat(value)) return undefined;
      const suggestion = /^\s*\d+(?:\.\d+)?\s*s(?:ec)?\s*$/i.test(value) ? value.trim().replace(/[^\d.]+$/, '') : undefined;
      return {
        message: `${spelling} takes a number of seconds: Celery stops with "Invalid value for ${label}: '${value}' is not a valid float."${suggestion ? ` Write ${suggestion}.` : ''}`,
        value: suggestion,
      };
    }
    case 'autoscale': {
      const parts = value.split(',');
      if (parts.length <= 2 && parts.every(isPythonInt)) return undefined;
      const numbers = value.split(/[\s:;/-]+/).filter(Boolean);
      const suggestion = parts.length === 1 && numbers.length === 2 && numbers.every(isPythonInt) ? numbers.join(',') : undefined;
      // Celery 5.2's own check (celery/bin/worker.py, Autoscale.convert), case by case.
      const reaction =
        parts.length > 2
          ? `stops with "Invalid value for '--autoscale': Expected two comma separated integers or one integer."`
          : parts.length === 1
            ? `stops with "Invalid value for '--autoscale': Expected an integer."`
            : `stops with "AttributeError: 'list' object has no attribute 'join'" (Celery 5.2 fails with a traceback while it reports the wrong value).`;
      return {
        message: `--autoscale takes MAX,MIN (two whole numbers separated by a comma) or a single MAX: with '${value}' Celery ${reaction}${suggestion ? ` Write ${suggestion}.` : ''}`,
        value: suggestion,
      };
    }
    default:
      return undefined;
  }
}

/** Types where click (or Celery right after it) rejects a wrong value; the others take any text. */
const STRICT = new Set(['choice', 'integer', 'float', 'autoscale']);
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1', 'y', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0', 'n', 'f']);

/**
 * Values Celery 5 (click) rejects or misreads: log levels, pools, -O, numbers, --autoscale, short
 * options written with '=', missing values, and switches given a value.
 */
export const celeryInvalidOptionValue: Rule = {
  code: 'celery-invalid-option-value',
  defaultSeverity: 'warning',
  summary: 'A Celery option value that Celery 5 rejects or misreads (-l WARN, -P Gevent, -c=4, --max-memory-per-child 256MB ...).',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const findings: Finding[] = [];
    // Indexed loops: for...of allocates iterators and results wherever the engine has not optimized it away.
    const programs = celeryRunning(ctx.deployment, 'worker', 'beat');
    let sharedWorkerVariables = false;
    for (const name of sharedEnvironmentNames(ctx.deployment)) if (ENVIRONMENT_OPTIONS.has(name)) sharedWorkerVariables = true;
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      const c = p.celery;
      if (c.legacyExecutable || !c.optionsChecked) continue;
      checkOptions(ctx, this.code, p, c.globalOptions, findings);
      checkOptions(ctx, this.code, p, c.options, findings);
      if (c.subcommand === 'worker' && (sharedWorkerVariables || namesWorkerVariable(ctx.deployment, p))) checkEnvironment(ctx, this.code, p, findings);
    }
    return findings;
  },
};

/**
 * The worker options with a strict type by the variable through which click also takes them
 * (auto_envvar_prefix: CELERY_WORKER_ and the parameter's name, `--max-memory-per-child` ->
 * CELERY_WORKER_MAX_MEMORY_PER_CHILD). -O is left out: its parameter is called `optimization`.
 */
const ENVIRONMENT_OPTIONS: ReadonlyMap<string, CeleryOptionSpec> = new Map(
  [...WORKER_TABLE.long.values()]
    .filter((spec) => STRICT.has(spec.type) && spec.name.startsWith('--'))
    .map((spec) => [workerEnvironmentVariable(spec.name), spec]),
);

/** Whether the worker's environment= or command mentions a CELERY_WORKER_ variable: most name none, and are not read further. */
function namesWorkerVariable(deployment: Deployment, p: CeleryProgram): boolean {
  if (!fileNames(deployment, 'CELERY_WORKER_')) return false;
  return p.command.value.includes('CELERY_WORKER_') || p.get('environment')?.value.includes('CELERY_WORKER_') === true;
}

/**
 * A value Celery rejects in a CELERY_WORKER_<OPTION> variable the worker gets for an option its command does
 * not give: click converts it as it would the option's, and Celery stops with the same "Invalid value".
 * Reported on the program's environment= when it sets the variable, else on the worker token; no fix (the
 * value may be shared with other programs).
 */
function checkEnvironment(ctx: RuleContext, code: string, p: CeleryProgram, findings: Finding[]): void {
  for (const [variable, spec] of ENVIRONMENT_OPTIONS) {
    if (p.celery.has(spec.name)) continue;
    const value = celeryEnvironmentValue(ctx.deployment, p, variable);
    if (value === undefined) continue;
    const problem = valueProblem(variable, spec, value, ctx.settings);
    if (!problem) continue;
    const own = p.get('environment');
    const inOwn = own !== undefined && assignmentIn(p.command.value, variable) < 0 && environmentPairs(own.value).has(variable);
    findings.push({
      code,
      severity: 'warning',
      message: `${variable}="${value}" (click reads it for ${spec.name}, which the command does not give): ${problem.message}`,
      range: inOwn ? valueAnchor(ctx.doc, p, own) : subcommandRange(p.command, p.celery),
      ...(problem.setting ? { setting: problem.setting } : {}),
      fixes: [],
    });
  }
}

function checkOptions(ctx: RuleContext, code: string, p: CeleryProgram, list: readonly CeleryOption[], findings: Finding[]): void {
  const table = p.celery.subcommand === 'worker' ? WORKER_TABLE : BEAT_TABLE;
  for (let k = 0; k < list.length; k++) {
    const o = list[k];
    if (!o.known || o.removed || o.misplaced || !o.spec) continue;
    const f = checkOption(ctx, p, o, table, !isOverridden(list, k));
    if (f) findings.push({ code, severity: 'warning', ...f });
  }
}

/**
 * Whether a later occurrence of the same option (any spelling) replaces this one: click keeps the last
 * value of an option and converts only that one, so an earlier wrong value never stops Celery.
 */
function isOverridden(list: readonly CeleryOption[], k: number): boolean {
  const name = list[k].name;
  for (let j = k + 1; j < list.length; j++) if (list[j].name === name) return true;
  return false;
}

function checkOption(
  { doc, deployment, settings }: RuleContext,
  p: CeleryProgram,
  o: CeleryOption,
  table: typeof WORKER_TABLE,
  /** The occurrence click keeps (the last one): only its value is converted. */
  kept: boolean,
): Omit<Finding, 'code' | 'severity'> | undefined {
  const spec = o.spec!;
  const command = p.command.value;
  const entry = p.command;
  if (o.missingValue) {
    return {
      message: `${o.spelling} needs a value but nothing follows it: Celery stops with "Option '${o.spelling}' requires an argument." Add the value or remove the option.`,
      range: optionRange(entry, o),
      fixes: [],
    };
  }
  if (o.unexpectedValue && o.value !== undefined) {
    const v = o.value.trim().toLowerCase();
    const fixes: Fix[] = [];
    const dropValue = command.slice(o.nameEnd, o.end) === `=${o.value}` ? [...replaceSpan(entry, o.nameEnd, o.end, '')] : undefined;
    const removal = removeOptionEdits(doc, p, o);
    if (FALSE_WORDS.has(v)) {
      if (removal) fixes.push({ title: `Remove ${o.spelling}=${o.value} (the switch is off when it is left out)`, edits: removal, isPreferred: true });
    } else if (dropValue) {
      fixes.push({ title: `Write ${o.spelling} without a value`, edits: dropValue, isPreferred: TRUE_WORDS.has(v) });
      if (!TRUE_WORDS.has(v) && removal) fixes.push({ title: `Remove ${o.spelling}`, edits: removal });
    }
    return {
      message: `${o.spelling} is a switch and takes no value: Celery stops with "Option '${o.spelling}' does not take a value." Write ${o.spelling} alone to turn it on, or leave it out to keep it off.`,
      range: optionRange(entry, o),
      fixes,
    };
  }
  if (!kept || o.value === undefined || o.valueStart === undefined || o.valueEnd === undefined) return undefined;
  // `-concurrency 4`: one dash, so click reads -c with the value 'oncurrency'.
  if (o.form === 'glued' && !o.combined && o.spelling.length === 2) {
    const long = `--${o.spelling.slice(1)}${o.value.split('=')[0]}`;
    if (table.long.has(long) || GLOBAL_TABLE.long.has(long)) {
      const fixable = command.slice(o.nameStart, o.nameEnd) === o.spelling;
      return {
        message: `${long.slice(1)} has a single dash, so Celery reads it as ${o.spelling} with the value '${o.value}'. Long options take two dashes: write ${long}.`,
        range: optionRange(entry, o),
        fixes: fixable ? [{ title: `Write ${long}`, edits: [insertAt(entry, o.nameStart, '-')], isPreferred: true }] : [],
      };
    }
  }
  const problem = valueProblem(o.spelling, spec, o.value, settings);
  if (o.invalidEquals) {
    const strict = STRICT.has(spec.type);
    const eqOk = command.slice(o.nameEnd, o.valueStart) === '=';
    const edits: TextEdit[] = eqOk ? [...replaceSpan(entry, o.nameEnd, o.valueStart, ' ')] : [];
    if (problem?.value !== undefined) edits.push(...replaceSpan(entry, o.valueStart, o.valueEnd, problem.value));
    const fixable = eqOk && (!problem || problem.value !== undefined);
    const written = `${o.spelling} ${problem?.value ?? o.value}`;
    return {
      message: `${o.spelling}=${o.value}: a short option takes its value after a space (or glued, ${o.spelling}${o.value}), not after '='. Celery reads the value as '=${o.value}'${
        spec.type === 'app'
          ? ` and cannot load an app by that name ("Unable to load celery application")`
          : strict
            ? ' and stops with "Invalid value"'
            : ', so the setting silently gets a wrong value'
      }. Write ${written}.${problem && problem.value === undefined ? ` Also: ${problem.message}` : ''}`,
      range: optionRange(entry, o),
      fixes: fixable ? [{ title: `Write ${written}`, edits, isPreferred: true }] : [],
    };
  }
  if (!problem) return poolStartProblem(doc, deployment, p, o);
  return {
    message: problem.message,
    range: spanRange(entry, o.valueStart, o.valueEnd),
    ...(problem.setting ? { setting: problem.setting } : {}),
    fixes:
      problem.value !== undefined
        ? [{ title: `Change to ${problem.value}`, edits: [...replaceSpan(entry, o.valueStart, o.valueEnd, problem.value)], isPreferred: true }]
        : [],
  };
}

/**
 * Numbers click accepts but the pool refuses as it starts its processes (checked by running Celery 5.2.6
 * with each pool): a task limit of 0 or less in a prefork pool (billiard asserts a positive number) and a
 * negative pool size in any pool but solo, which ignores it. The worker logs "Unrecoverable error" and
 * exits, with status 0 for prefork and gevent. Other pools ignore the task limit (celery-memory-limit-ignored).
 */
function poolStartProblem(doc: SupervisorDocument, deployment: Deployment, p: CeleryProgram, o: CeleryOption): Omit<Finding, 'code' | 'severity'> | undefined {
  if (o.value === undefined || (o.name !== '--max-tasks-per-child' && o.name !== '--concurrency')) return undefined;
  const n = pyInt(o.value);
  const pool = workerPool(deployment, p);
  const refused = o.name === '--max-tasks-per-child' ? n !== undefined && n <= 0 && isProcessPool(pool) : n !== undefined && n < 0 && pool !== 'solo';
  if (!refused) return undefined;
  const what =
    o.name === '--max-tasks-per-child'
      ? `the prefork pool takes only a positive number of tasks, so the worker fails as it starts its pool ("Unrecoverable error: AssertionError()")`
      : `a pool cannot have a negative size, so the worker fails as it starts its pool ("Unrecoverable error: ValueError")`;
  const removal = removeOptionEdits(doc, p, o);
  return {
    message: `${o.spelling} ${o.value}: ${what} and exits, with status 0 in the prefork and gevent pools, which supervisor's default autorestart=unexpected does not restart. Remove the option${o.name === '--concurrency' ? ' (the default is the number of CPU cores)' : ' for no limit'}, or write a positive number.`,
    range: optionRange(p.command, o),
    fixes: removal ? [{ title: `Remove ${o.spelling} ${o.value}`, edits: removal, isPreferred: true }] : [],
  };
}
