import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-invalid-option-value';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;
const worker = (options: string) => conf(`celery -A proj worker ${options}`);

test('catches log levels Celery 5 rejects, anchored on the value', () => {
  const text = worker('-l WARN');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'WARN');
  assert.match(f.message, /WARNING/);
  for (const v of ['warn', 'NOTSET', '20', 'verbose', 'inf']) assert.equal(findings(worker(`--loglevel=${v}`), CODE).length, 1, v);
  assert.equal(findings(conf('celery -A proj beat -l WARN'), CODE).length, 1, 'beat too');
});

test('catches pools and -O values outside the (case-sensitive) choices', () => {
  for (const v of ['-P Gevent', '--pool=thread', '-Pgreenlet', '-O Fair', '-Ofast']) assert.equal(findings(worker(v), CODE).length, 1, v);
  const [custom] = findings(worker('-P custom'), CODE);
  assert.match(custom.message, /from Celery 5\.3/);
  assert.deepEqual(findings(worker('-P custom'), CODE, settingsWith({ celeryVersion: '5.3' })), []);
});

test('catches non-numbers and bad --autoscale', () => {
  for (const v of ['-c four', '--concurrency=4.5', '--prefetch-multiplier x', '--max-tasks-per-child=1e3', '--max-memory-per-child 256MB', '--heartbeat-interval 2s', '--time-limit=5m', '--soft-time-limit abc', '--autoscale=10:3', '--autoscale 1,2,3', '--autoscale=a,b']) {
    assert.equal(findings(worker(v), CODE).length, 1, v);
  }
  assert.equal(findings(conf('celery -A proj beat --max-interval 5s'), CODE).length, 1);
});

test('--autoscale: the reaction of Celery 5.2 to each kind of wrong value', () => {
  const message = (v: string) => findings(worker(`--autoscale=${v}`), CODE)[0].message;
  assert.match(message('x'), /stops with "Invalid value for '--autoscale': Expected an integer\."/);
  assert.match(message('1,2,3'), /stops with "Invalid value for '--autoscale': Expected two comma separated integers or one integer\."/);
  assert.match(message('a,b'), /AttributeError: 'list' object has no attribute 'join'.*traceback/);
});

test('does not catch a wrong value that a later occurrence of the option replaces (click converts only the last)', () => {
  assert.deepEqual(findings(worker('-l WARN -l info'), CODE), []);
  assert.deepEqual(findings(worker('-P Gevent --pool=gevent'), CODE), []);
  assert.deepEqual(findings(worker('-l --skip-checks --loglevel=INFO'), CODE), [], "-l takes '--skip-checks' as its value, then --loglevel replaces it");
  // The last one is judged, whichever spelling it has.
  assert.equal(textAt(worker('-l info --loglevel=WARN'), findings(worker('-l info --loglevel=WARN'), CODE)[0]), 'WARN');
  // A switch given a value is refused while click parses, wherever it is.
  assert.equal(findings(worker('--without-gossip=1 --without-gossip'), CODE).length, 1);
});

test('catches --max-tasks-per-child 0 or less in a prefork worker, which fails as it starts its pool; the fix removes it', () => {
  for (const v of ['--max-tasks-per-child 0', '--max-tasks-per-child=-3']) {
    const [f] = findings(worker(v), CODE);
    assert.ok(f, v);
    assert.match(f.message, /AssertionError\(\).*exits, with status 0/);
  }
  assert.equal(applyFix(worker('--max-tasks-per-child 0 -l info'), CODE), worker('-l info'));
  assert.deepEqual(findings(worker('-P gevent --max-tasks-per-child 0'), CODE), [], 'the gevent pool ignores it (celery-memory-limit-ignored)');
  assert.deepEqual(findings(worker('--max-tasks-per-child 0 --max-tasks-per-child 5'), CODE), [], 'replaced by a later one');
});

test('catches a negative -c in every pool but solo, which ignores it; 0 is the default, not an error', () => {
  for (const pool of ['', '-P threads ', '-P gevent ']) {
    const [f] = findings(worker(`${pool}-c -1`), CODE);
    assert.ok(f, pool);
    assert.match(f.message, /negative size.*ValueError/);
  }
  assert.deepEqual(findings(worker('-P solo -c -1'), CODE), []);
  assert.deepEqual(findings(worker('-c 0'), CODE), []);
  assert.equal(applyFix(worker('-c -1 -l info'), CODE), worker('-l info'));
});

test("catches short options written with '=', missing values and switches with values", () => {
  for (const v of ['-l=info', '-P=gevent', '-c=10', '-Q=celery', '-n=w1@%%h']) {
    const [f] = findings(worker(v), CODE);
    assert.ok(f, v);
    assert.match(f.message, /'='/, v);
  }
  assert.match(findings(worker('-Q=celery'), CODE)[0].message, /silently/);
  assert.equal(findings(conf('celery -A=proj worker'), CODE).length, 1, 'a global option');
  const [missing] = findings(worker('-l info -c'), CODE);
  assert.match(missing.message, /requires an argument/);
  assert.deepEqual(missing.fixes, []);
  const [flag] = findings(worker('--without-gossip=true'), CODE);
  assert.match(flag.message, /does not take a value/);
});

test('catches a long option written with one dash', () => {
  const text = worker('-concurrency 4');
  const [f] = findings(text, CODE);
  assert.match(f.message, /--concurrency/);
  assert.equal(applyFix(text, CODE), worker('--concurrency 4'));
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -l WARN ; quiet\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "exec celery -A proj worker -P Gevent"`), CODE).length, 1);
});

test('does not catch valid values in any spelling', () => {
  for (const v of [
    '-l info', '-linfo', '--loglevel=INFO', '-l Warning', '-l fatal', '-P gevent', '--pool=threads', '-Pprocesses', '-Ofair', '-O default',
    '-c 10', '-c10', '--concurrency=+4', '--concurrency 1_000', '--max-memory-per-child 262144', '--prefetch-multiplier=0', '--time-limit=300',
    '--soft-time-limit 1.5', '--time-limit 1e3', '--autoscale=10,3', '--autoscale 3,10', '--autoscale=8', '-n w1@%%h', '-Q a,b', '--without-gossip', '-E',
  ]) {
    assert.deepEqual(findings(worker(v), CODE), [], v);
  }
});

test('does not catch values only the server knows, other commands, or unknown options', () => {
  assert.deepEqual(findings(worker('-l %(ENV_LOGLEVEL)s -c %(ENV_CONCURRENCY)s -P %(ENV_POOL)s'), CODE), []);
  assert.deepEqual(findings(conf(`bash -c "exec celery -A proj worker -c $CONCURRENCY"`), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower --loglevel=WARN'), CODE), [], 'flower is not checked');
  assert.deepEqual(findings(conf('celery -A proj inspect ping -l WARN'), CODE), []);
  assert.deepEqual(findings(worker('--loglevl=WARN'), CODE), [], 'an unknown option is celery-unknown-option');
  assert.deepEqual(findings(worker('--maxtasksperchild=x'), CODE), [], 'a removed option is celery-removed-option');
  assert.deepEqual(findings(worker('-l info ; -l WARN'), CODE), [], 'in a comment');
  assert.deepEqual(findings(worker('-l WARN'), CODE, settingsWith({ celeryVersion: '4.4' })), [], 'Celery 4 is not click');
});

test('the fixes write the corrected value', () => {
  assert.equal(applyFix(worker('-l WARN'), CODE), worker('-l WARNING'));
  assert.equal(applyFix(worker('--loglevel=warn'), CODE), worker('--loglevel=warning'));
  assert.equal(applyFix(worker('-l 10'), CODE), worker('-l DEBUG'));
  assert.equal(applyFix(worker('-P Gevent'), CODE), worker('-P gevent'));
  assert.equal(applyFix(worker('--pool=thread'), CODE), worker('--pool=threads'));
  assert.equal(applyFix(worker('-O Fair'), CODE), worker('-O fair'));
  assert.equal(applyFix(worker('--max-memory-per-child 256MB'), CODE), worker('--max-memory-per-child 262144'));
  assert.equal(applyFix(worker('--max-memory-per-child=256M'), CODE), worker('--max-memory-per-child=262144'));
  assert.equal(applyFix(worker('--max-memory-per-child 1GB'), CODE), worker('--max-memory-per-child 1048576'));
  assert.equal(applyFix(worker('-c 4.0'), CODE), worker('-c 4'));
  assert.equal(applyFix(worker('--time-limit 300s'), CODE), worker('--time-limit 300'));
  assert.equal(applyFix(worker('--autoscale=10:3'), CODE), worker('--autoscale=10,3'));
  assert.deepEqual(findings(worker('-c four'), CODE)[0].fixes, [], 'no clear value');
});

test("the fixes turn '-l=info' into '-l info', fixing the value too", () => {
  assert.equal(applyFix(worker('-l=info'), CODE), worker('-l info'));
  assert.equal(applyFix(worker('-P=gevent -c=10'), CODE), worker('-P gevent -c=10'));
  assert.equal(applyFix(worker('-l=warn'), CODE), worker('-l warning'));
  assert.deepEqual(findings(worker('-c=ten'), CODE)[0].fixes, [], 'the value has no clear correction');
  assert.equal(applyFix(conf('celery -A=proj worker'), CODE), conf('celery -A proj worker'));
});

test('the fixes for switches given a value', () => {
  assert.equal(applyFix(worker('--without-gossip=true -l info'), CODE), worker('--without-gossip -l info'));
  assert.equal(applyFix(worker('--without-gossip=false -l info'), CODE), worker('-l info'));
  assert.equal(applyFix(worker('-l info --beat=1'), CODE), worker('-l info --beat'));
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; the worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -l=WARN ; quiet\r\n    -P Gevent\r\n    --max-memory-per-child 256MB\r\n    --without-mingle=yes\r\n    -concurrency 4\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 5);
  assert.equal(checker.checkAll(worker('-l 30 -O Fair --autoscale=4-2 --time-limit=60sec --purge=off'), undefined, [CODE]), 5);
});

test('catches pool names that are properties of every JavaScript object (no internal error)', () => {
  for (const v of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const all = findings(worker(`-P ${v}`));
    assert.deepEqual(all.filter((f) => f.code === 'internal-error'), [], v);
    assert.equal(findings(worker(`-P ${v}`), CODE).length, 1, v);
  }
});

test('a value Celery rejects in a CELERY_WORKER_<OPTION> variable the worker gets: click converts it like the option, and Celery stops (found by a command-line hunt)', () => {
  const text = `${conf('celery -A proj worker')}environment=CELERY_WORKER_LOGLEVEL="verbose"\n`;
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'CELERY_WORKER_LOGLEVEL="verbose"');
  assert.match(f.message, /^CELERY_WORKER_LOGLEVEL="verbose" \(click reads it for --loglevel, which the command does not give\): 'verbose' is not a Celery log level/);
  assert.match(f.message, /Invalid value for '-l' \/ '--loglevel'/);
  const shared = `[supervisord]\nenvironment=CELERY_WORKER_CONCURRENCY="ten"\n\n${conf('celery -A proj worker')}`;
  assert.equal(textAt(shared, findings(shared, CODE)[0]), 'worker');
  assert.match(findings(conf('env CELERY_WORKER_POOL=Gevent celery -A proj worker'), CODE)[0]?.message ?? '', /'Gevent' is not a valid CELERY_WORKER_POOL value/);
  // Not converted, so not reported: the command gives the option, the value is empty or unknown, or good.
  for (const [command, env] of [
    ['celery -A proj worker -l info', 'CELERY_WORKER_LOGLEVEL="verbose"'],
    ['celery -A proj worker', 'CELERY_WORKER_LOGLEVEL=""'],
    ['celery -A proj worker', 'CELERY_WORKER_LOGLEVEL="%(ENV_LEVEL)s"'],
    ['celery -A proj worker', 'CELERY_WORKER_LOGLEVEL="info",CELERY_WORKER_MAX_MEMORY_PER_CHILD="200000"'],
  ]) {
    assert.deepEqual(findings(`${conf(command)}environment=${env}\n`, CODE), [], env);
  }
});

test('does not catch --max-tasks-per-child 0 in a worker whose pool CELERY_WORKER_POOL makes gevent, which ignores it', () => {
  assert.deepEqual(findings(`${worker('--max-tasks-per-child 0')}environment=CELERY_WORKER_POOL="gevent"\n`, CODE), []);
  assert.deepEqual(findings(`${worker('-c -1')}environment=CELERY_WORKER_POOL="solo"\n`, CODE), [], 'solo ignores the pool size');
  assert.equal(findings(`${worker('--max-tasks-per-child 0')}environment=CELERY_WORKER_POOL=""\n`, CODE).length, 1, 'empty: prefork');
});
