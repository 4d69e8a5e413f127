/**
 * Differential: what our reading of a Celery command predicts against what celery 5.2.6's own command
 * line (click 8.1.3, Debian's python3-celery) does with the same arguments.
 * - When click refuses the arguments, one of our findings must say that Celery stops, quoting the start
 *   of click's own message ("No such option: -A", "Invalid value for '-l' / '--loglevel': ...").
 * - When click accepts them, no finding may say that Celery stops, and the values we read for the
 *   options the rules reason about (log level, concurrency, limits, node name ...) must be click's.
 * On every worker and beat command of the real corpus, and on arguments assembled at random from
 * spellings that trip people up (fast-check, fixed seed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import { analyzeText } from '../../../server/src/core/analyze';
import { buildDeployment } from '../../../server/src/core/deployment';
import { readCeleryCommand } from '../../../server/src/core/command/celery';
import { splitArgv, basename } from '../../../server/src/core/command/argv';
import { isPythonName } from '../../../server/src/core/command/invocation';
import { parse } from '../../../server/src/core/model/parse';
import { templateSpans } from '../../../server/src/core/templateSyntax';
import { celeryUnavailable, clickParse, type ClickResult } from '../../support/celeryClick';
import { corpusFiles } from '../../support/paths';
import { shellWords } from '../../support/cli';
import { fuzzParams } from '../fuzz/invariants';

const noCelery = celeryUnavailable();

/** An argv written as a supervisor command value: shell-quoted for shlex, every % doubled for supervisor's expansion. */
function commandLine(argv: readonly string[]): string {
  return shellWords(argv).replace(/%/g, '%%');
}

/**
 * The start of click's own message, as our findings quote it when they say that Celery stops
 * (`stops with "No such option: -A"`). Failures after click, once the worker runs (a task limit of 0
 * that billiard refuses), are not click's to confirm.
 */
const CLICK_MESSAGE = /^(No such option|Invalid value|Option '|AttributeError|TypeError|IndexError|Unable to parse extra configuration|No such command)/;

/** The click messages our findings quote for the arguments. */
function predictedStops(argv: readonly string[]): string[] {
  const text = `[program:w]\ndirectory=/srv/app\ncommand=celery ${commandLine(argv)}\n`;
  const quotes: string[] = [];
  for (const f of analyzeText(text).findings) {
    const m = /stops? with "((?:[^"]|"(?! ))*)"/.exec(f.message);
    const quote = m?.[1].replace(/^Error: /, '').replace(/\.\.\.$/, '');
    if (quote !== undefined && CLICK_MESSAGE.test(quote)) quotes.push(quote);
  }
  return quotes;
}

/** Python's int() of a value we already know is one (`+4`, `1_000`, ` 8 `). */
const pyInt = (v: string) => Number(v.trim().replace(/_/g, ''));

const LOG_LEVEL_NUMBERS: Record<string, string> = { DEBUG: '10', INFO: '20', WARNING: '30', ERROR: '40', CRITICAL: '50', FATAL: '50' };

/** Our value of an option, in the shape of click's repr() of the converted value (undefined: not compared). */
const OUR_VALUES: Record<string, (v: string) => string | undefined> = {
  loglevel: (v) => LOG_LEVEL_NUMBERS[v.toUpperCase()],
  // `-c 0` is Celery's default (the number of CPUs): the callback turns a false value into the app's setting.
  concurrency: (v) => (pyInt(v) === 0 ? 'None' : String(pyInt(v))),
  max_memory_per_child: (v) => String(pyInt(v)),
  max_tasks_per_child: (v) => String(pyInt(v)),
  // click turns a bare name into name@host form and expands %h to this machine's name.
  hostname: (v) => (v.includes('%') ? undefined : `'${v.includes('@') ? v : `celery@${v}`}'`),
  optimization: (v) => `'${v}'`,
  time_limit: (v) => String(Number(v)).replace(/^(\d+)$/, '$1.0'),
  soft_time_limit: (v) => String(Number(v)).replace(/^(\d+)$/, '$1.0'),
  // Celery sorts the two numbers: 3,10 is a maximum of 10 and a minimum of 3.
  autoscale: (v) => {
    const [a, b = 0] = v.split(',').map(pyInt);
    return `(${Math.max(a, b)}, ${Math.min(a, b)})`;
  },
};

/** Disagreements between our reading and click's for one argv (empty when they agree). */
function disagreements(argv: readonly string[], click: ClickResult): string[] {
  const stops = predictedStops(argv);
  const shown = `celery ${argv.join(' ')}`;
  if (!click.ok && click.crash?.startsWith('ModuleNotFoundError')) return []; // a pool library not installed here (eventlet)
  if (!click.ok) {
    // A traceback quotes no message of click's: any finding that says it stops will do.
    const predicted = click.crash ? stops.length > 0 : stops.some((q) => click.error.startsWith(q));
    return predicted ? [] : [`${shown}\n  click: ${click.crash ?? click.error}\n  ours:  ${stops.length ? stops.join(' | ') : 'no finding says it stops'}`];
  }
  if (stops.length) return [`${shown}\n  click accepts it\n  ours:  ${stops.join(' | ')}`];
  const ours = readCeleryCommand(`celery ${shellWords(argv)}`)!;
  const out: string[] = [];
  for (const [param, convert] of Object.entries(OUR_VALUES)) {
    const option = ours.get(`--${param.replace(/_/g, '-')}`);
    // -n=w: click keeps '=w' (we read w and warn about it).
    if (option?.value === undefined || option.invalidEquals) continue;
    const value = option.value;
    const expected = convert(value);
    if (expected !== undefined && click.params[param] !== expected) out.push(`${shown}\n  ${param}: click ${click.params[param]}, ours ${value} (${expected})`);
  }
  return out;
}

function compareAll(argvs: readonly string[][]): { compared: number; mismatches: string[] } {
  const results = clickParse(argvs);
  const mismatches = argvs.flatMap((argv, i) => disagreements(argv, results[i]));
  return { compared: argvs.length, mismatches };
}

/** The arguments after `celery` of every worker and beat command of the corpus that runs celery directly (not celeryd, not through Django's manage.py). */
function corpusArgvs(files: readonly string[]): string[][] {
  const argvs: string[][] = [];
  for (const file of files) {
    for (const p of buildDeployment(parse(fs.readFileSync(file, 'utf8'))).celeryPrograms) {
      const c = p.celery;
      const value = p.command.value;
      if (c.viaShell || c.legacyExecutable || c.managePy || (c.subcommand !== 'worker' && c.subcommand !== 'beat') || value.replace(/%%/g, '').includes('%(')) continue;
      if (templateSpans(value, false).length > 0) continue; // a template's command: celery runs its rendering
      const split = splitArgv(value);
      if (split.error) continue;
      let i = split.tokens.findIndex((t) => t.start >= c.executableEnd);
      if (i < 0) continue;
      if (c.viaPythonM) i = split.tokens.findIndex((t) => t.text === '-m') + 2;
      else if (isPythonName(basename(c.executable))) i++; // python path/to/celery ...
      argvs.push(split.tokens.slice(i).map((t) => t.text.replace(/%%/g, '%')));
    }
  }
  return argvs;
}

const corpus = corpusFiles();

test('celery worker and beat commands of the real corpus: we predict what click does', { skip: corpus.skip ?? noCelery }, () => {
  const { compared, mismatches } = compareAll(corpusArgvs(corpus.files));
  assert.deepEqual(mismatches, []);
  console.log(`${compared} real celery commands: click and we agree`);
  assert.ok(compared > 100);
});

const GLOBAL_PIECES = ['-A proj', '--app=proj', '-Aproj', '--app proj.celery:app', '-b redis://', '--broker=amqp://', '--workdir /srv', '--workdir=/srv', '-q', '--no-color', '--loader x', '--config cfg'];
const WORKER_PIECES = [
  '-l info', '-linfo', '-l=info', '--loglevel=INFO', '--loglevel warn', '-l WARN', '-l Warning', '-l debug', '--loglevel', '-l',
  '-c 4', '-c4', '-c=4', '--concurrency=abc', '--concurrency 0', '-c -1', '-P gevent', '-Pgevent', '--pool=threads', '-P Gevent', '-P custom',
  '-P processes', '--pool solo', '--pool=eventlet', '--max-memory-per-child 262144', '--max-memory-per-child=256MB', '--max-memory-per-child=0',
  '--max-tasks-per-child 10', '--max-tasks-per-child 0', '--maxtasksperchild=10', '--max-tasks-per-child=1.5', '-n w@%h', '-n=w', '--hostname w1', '-O fair', '-Ofair',
  '--optimization fair', '-O', '-E', '-B', '-Bc4', '-BE', '-EB', '-D', '--detach', '--time-limit 300', '--time-limit=1.5', '--soft-time-limit x',
  '--soft-time-limit=90', '--autoscale 10,3', '--autoscale=10', '--autoscale=a,b', '--autoscale', '-Q a,b', '--queues=celery', '-X q',
  '--without-gossip', '--without-gossip=1', '--without-mingle', '--without-heartbeat', '--purge', '--discard', '-s /tmp/schedule', '--scheduler x',
  '-f /tmp/log', '--logfile=/tmp/log', '--pidfile=/tmp/p', '--uid 1000', '--gid=1000', '--umask 022', '--skip-checks', '--prefetch-multiplier 4',
  '--prefetch-multiplier=x', '--heartbeat-interval 10', '-S statedb', '--statedb=x', '-I mod', '--include a,b', '--executable x', '-e', '--events',
  '--task-events', '--no-execv', '--max-interval 5', 'worker.prefetch=1', 'worker_prefetch_multiplier=1', '-Q a b', '--', '-A proj', '--app=proj', '-b redis://',
  'foo', '--unknown', '-Z', '--loglevel=', '--pool', '--no-color', '--workdir /srv', '-q', '--skip-checks', '--disable-prefetch',
  '-c 4 -c x', '-l info -l', '--autoscale 3,10', '--autoscale 1,2,3', '--max-memory-per-child -5', '--concurrency=1_000', '-c +4',
];
const BEAT_PIECES = ['-s /tmp/schedule', '--schedule=/tmp/s', '-S x.Scheduler', '--scheduler x', '--max-interval 5', '--max-interval=x', '-l info', '-linfo', '-l WARN', '--loglevel=DEBUG', '--detach', '-D', '-c 4', '-f /tmp/log', '--pidfile=', '-A proj', '-B'];

const words = (pieces: readonly string[]) => pieces.flatMap((p) => p.split(' '));

const argvs = fc
  .tuple(
    fc.subarray(GLOBAL_PIECES, { maxLength: 2 }),
    fc.constantFrom('worker', 'worker', 'beat'),
    fc.array(fc.constantFrom(...WORKER_PIECES), { maxLength: 6 }),
    fc.array(fc.constantFrom(...BEAT_PIECES), { maxLength: 4 }),
    fc.array(fc.constantFrom('-l info', '-c 4', '-P gevent', '-B', '--loglevel=INFO', '--foo', '-n x'), { maxLength: 1 }),
  )
  .map(([globals, sub, workerOptions, beatOptions, before]) => [...words(globals), ...words(before), sub, ...words(sub === 'beat' ? beatOptions : workerOptions)]);

test('arguments assembled from tricky spellings: we predict what click does', { skip: noCelery }, () => {
  const { numRuns, seed } = fuzzParams(800);
  const samples = fc.sample(argvs, { numRuns, seed });
  const { compared, mismatches } = compareAll(samples);
  assert.deepEqual(mismatches.slice(0, 60), [], `${mismatches.length} of ${compared} disagree`);
  console.log(`${compared} assembled celery commands: click and we agree`);
});

test('extra words after worker and beat (key=value settings or not): we predict what Celery does', { skip: noCelery }, () => {
  const cases = [
    ['-A', 'proj', 'worker', '-l', 'info', '--autoscale', '10', '3'],
    ['-A', 'proj', 'worker', '-Q', 'high', 'low'],
    ['-A', 'proj', 'worker', 'worker_prefetch_multiplier=1', 'worker.max_tasks_per_child=10', '_concurrency=2', 'broker_url=redis://x'],
    ['-A', 'proj', 'worker', 'WORKER_PREFETCH_MULTIPLIER=1', 'worker_foo=(int)4'],
    ['-A', 'proj', 'worker', 'prefetch_multiplier=1'],
    ['-A', 'proj', 'worker', 'worker_foo=1'],
    ['-A', 'proj', 'worker', 'foo=1'],
    ['-A', 'proj', 'worker', 'timezone=UTC'],
    ['-A', 'proj', 'worker', 'worker_prefetch_multiplier=x'],
    ['-A', 'proj', 'worker', 'worker_prefetch_multiplier=(int)4', 'worker_prefetch_multiplier=(foo)4'],
    ['-A', 'proj', 'worker', 'worker_enable_remote_control=maybe'],
    ['-A', 'proj', 'worker', 'worker_enable_remote_control=Yes', 'worker_lost_wait=1.5', 'beat_schedule=', 'cassandra_servers=a'],
    ['-A', 'proj', 'worker', '=1'],
    ['-A', 'proj', 'worker', '--', '-l', 'info'],
    ['-A', 'proj', 'beat', 'x'],
    ['-A', 'proj', 'beat', 'beat_max_loop_interval=5'],
    ['-A', 'proj', 'beat', '_max_loop_interval=5'],
  ];
  const { mismatches } = compareAll(cases);
  assert.deepEqual(mismatches, []);
});

test('misspelt sub-commands: we predict what click does', { skip: noCelery }, () => {
  const cases = [['-A', 'proj', 'workers', '-l', 'info'], ['-A', 'proj', 'Worker', '-l', 'info'], ['-A', 'proj', 'wroker'], ['-A', 'proj', 'bet', '-l', 'info'], ['-A', 'proj', 'Beat']];
  const { mismatches } = compareAll(cases);
  assert.deepEqual(mismatches, []);
});
