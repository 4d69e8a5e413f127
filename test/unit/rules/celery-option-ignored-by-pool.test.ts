import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-option-ignored-by-pool';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;
const worker = (options: string) => conf(`celery -A proj worker ${options}`);

test('catches --autoscale with threads or solo, anchored on the option', () => {
  const text = worker('-P threads --autoscale=10,3');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '--autoscale=10,3');
  assert.equal(findings(worker('--pool=solo --autoscale 4'), CODE).length, 1);
  // eventlet's pool grows and shrinks as gevent's does (celery/concurrency/eventlet.py grow/shrink): not ignored, and named.
  assert.match(f.message, /prefork, gevent and eventlet pools grow and shrink/);
  assert.deepEqual(findings(worker('-P eventlet --autoscale=10,3'), CODE), []);
});

test('catches --concurrency next to --autoscale, and with solo', () => {
  const text = worker('--autoscale=10,3 -c 4');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '-c 4');
  assert.match(f.message, /--autoscale/);
  assert.equal(findings(worker('-P gevent --autoscale=100,10 --concurrency=50'), CODE).length, 1);
  assert.equal(findings(worker('-P solo -c 4'), CODE).length, 1);
});

test('catches time limits and -O fair where the pool ignores them', () => {
  for (const pool of ['threads', 'gevent', 'eventlet', 'solo']) {
    assert.equal(findings(worker(`-P ${pool} --soft-time-limit=60`), CODE).length, 1, `soft ${pool}`);
    assert.equal(findings(worker(`-P ${pool} -Ofair`), CODE).length, 1, `-O fair ${pool}`);
  }
  for (const pool of ['threads', 'eventlet', 'solo']) assert.equal(findings(worker(`-P ${pool} --time-limit 300`), CODE).length, 1, `hard ${pool}`);
  assert.equal(findings(worker('-P threads --time-limit 300 --soft-time-limit 200 -O fair'), CODE).length, 3);
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -P threads ; pool\n    --time-limit=60\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "exec celery -A proj worker -P solo -c 2"`), CODE).length, 1);
});

test('does not catch options the pool supports', () => {
  for (const v of ['--autoscale=10,3', '--time-limit=300 --soft-time-limit=200', '-Ofair', '-P processes -Ofair --soft-time-limit 5', '-c 4', '-P gevent --autoscale=10,3', '-P gevent --time-limit=60', '-P threads -c 10', '-P gevent -O default']) {
    assert.deepEqual(findings(worker(v), CODE), [], v);
  }
});

test('does not catch per-child limits, invalid pools, beat or flower', () => {
  assert.deepEqual(findings(worker('-P threads --max-memory-per-child 262144 --max-tasks-per-child 10'), CODE), [], 'celery-memory-limit-ignored');
  assert.deepEqual(findings(worker('-P Threads --time-limit 60'), CODE), [], 'invalid pool: celery-invalid-option-value');
  assert.deepEqual(findings(worker('-P=threads --time-limit 60'), CODE), []);
  assert.deepEqual(findings(worker('-P %(ENV_POOL)s --time-limit 60'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -c 4'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower -P solo -c 4'), CODE), []);
  assert.deepEqual(findings(worker('-P solo ; -c 4'), CODE), [], 'in a comment');
  assert.deepEqual(findings(worker('-P solo -c 1'), CODE), [], 'what solo does anyway');
});

test('the fix removes the option (preferred)', () => {
  assert.equal(applyFix(worker('-P threads --autoscale=10,3 -l info'), CODE), worker('-P threads -l info'));
  assert.equal(applyFix(worker('--autoscale=10,3 -c 4 -l info'), CODE), worker('--autoscale=10,3 -l info'));
  assert.equal(applyFix(worker('--autoscale=10,3 -c 4 -l info'), CODE, /^Remove --autoscale/), worker('-c 4 -l info'));
  assert.equal(applyFix(worker('-P gevent -Ofair'), CODE), worker('-P gevent'));
  assert.equal(applyFix(worker('-P solo -Ec2'), CODE), worker('-P solo -E'));
  assert.equal(applyFix(worker('-P threads --time-limit=5 --time-limit=9 -l info'), CODE), worker('-P threads -l info'), 'every occurrence');
  assert.equal(applyFix('[program:w]\ncommand=celery -A proj worker -P gevent\n  -Ofair -O fair\n', CODE), '[program:w]\ncommand=celery -A proj worker -P gevent\n', 'the whole continuation line');
  // Each alone on one of the last lines of a file without a final line break: both removals once took the break before the first.
  assert.equal(applyFix('[program:w]\ncommand=celery -A proj worker -P gevent\n  -Ofair\n  -O fair', CODE), '[program:w]\ncommand=celery -A proj worker -P gevent', 'the last two lines');
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; io worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -P threads ; pool\r\n    --time-limit=60 ; limit\r\n    --soft-time-limit 30\r\n    -O fair\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 3);
  assert.equal(checker.checkAll(worker('--autoscale=10,3 --concurrency=4'), undefined, [CODE]), 2);
});
