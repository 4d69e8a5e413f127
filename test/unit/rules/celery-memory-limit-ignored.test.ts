import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-memory-limit-ignored';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const conf = (command: string, rest = '') => `[program:worker]\ncommand=${command}\n${rest}`;

test('catches per-child limits with gevent, eventlet, threads and solo, on the option', () => {
  for (const pool of ['gevent', 'eventlet', 'threads', 'solo']) {
    const text = conf(`celery -A p worker -P ${pool} --max-memory-per-child 262144`);
    const [f] = findings(text, CODE);
    assert.equal(f?.severity, 'warning', pool);
    assert.equal(textAt(text, f), '--max-memory-per-child 262144');
  }
  const both = conf('celery -A p worker -Pgevent --max-tasks-per-child=50 --max-memory-per-child=262144');
  assert.equal(findings(both, CODE).length, 2);
});

test('does not catch prefork workers or workers without per-child limits', () => {
  assert.deepEqual(findings(conf('celery -A p worker --max-memory-per-child 262144'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker -P prefork --max-tasks-per-child 10'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker -P gevent -c 10'), CODE), []);
});

test('the preferred fix removes the option and keeps the rest of the line', () => {
  assert.equal(applyFix(conf('celery -A p worker -P gevent --max-memory-per-child 262144 -c 10 ; io'), CODE), conf('celery -A p worker -P gevent -c 10 ; io'));
  assert.equal(applyFix(conf('celery -A p worker -P gevent\n    --max-memory-per-child 262144\n    -c 10'), CODE), conf('celery -A p worker -P gevent\n    -c 10'));
});

test('the other fix replaces the option with a memmon listener in one step', () => {
  const fixed = applyFix(conf('/v/bin/celery -A p worker -P gevent --max-memory-per-child 262144'), CODE, /memmon/);
  assert.equal(fixed, `${conf('/v/bin/celery -A p worker -P gevent')}\n[eventlistener:memmon]\ncommand=/v/bin/memmon -p worker=512MB\nevents=TICK_60\n`);
  assert.deepEqual(findings(fixed, 'celery-threads-without-leak-protection'), []);
});

test('when memmon already watches the worker, only removal is offered', () => {
  const text = conf('celery -A p worker -P gevent --max-memory-per-child 262144', '\n[eventlistener:memmon]\ncommand=memmon -p worker=512MB\nevents=TICK_60\n');
  const [f] = findings(text, CODE);
  assert.equal(f.fixes.length, 1);
  assert.match(f.message, /memmon already watches this worker/);
});

test('when the memmon naming the worker exits at start, the message says to fix it there, not that it watches', () => {
  const text = conf('celery -A p worker -P gevent --max-memory-per-child 262144', '\n[eventlistener:memmon]\ncommand=memmon -p worker=256M\nevents=TICK_60\n');
  const [f] = findings(text, CODE);
  assert.ok(!f.message.includes('already watches'), f.message);
  assert.match(f.message, /\[eventlistener:memmon\] is meant to watch this worker but exits at start \(cannot read '256M'\)/);
});

test('every fix is safe', () => {
  checker.checkAll(conf('celery -A p worker --pool=threads --max-memory-per-child 262144 --max-tasks-per-child 9').replace(/\n/g, '\r\n'), undefined, [CODE]);
  checker.checkAll('[supervisord]\n[program:w]\ncommand=celery -A p worker -P gevent\n  --max-memory-per-child 1\n; end\n', undefined, [CODE]);
  assert.ok(checker.fixesChecked >= 6);
});
