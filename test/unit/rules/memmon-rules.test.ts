/** memmon-children-not-counted, memmon-unknown-process, memmon-qualified-name, memmon-invalid-size, memmon-tick-missing. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (command = 'celery -A p worker -l info', rest = '') => `[program:worker]\ncommand=${command}\n${rest}`;
const memmon = (command: string, rest = 'events=TICK_60\n') => `\n[eventlistener:memmon]\ncommand=${command}\n${rest}`;

test('memmon-children-not-counted: catches a prefork worker watched without -c, on the selector', () => {
  const text = worker() + memmon('memmon -p worker=512MB');
  const [f] = findings(text, 'memmon-children-not-counted');
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '-p worker=512MB');
  assert.equal(applyFix(text, 'memmon-children-not-counted'), worker() + memmon('memmon -p worker=512MB -c'));
  checker.checkAll(text, undefined, ['memmon-children-not-counted']);
});

test('memmon-children-not-counted: does not catch -c, --cumulative, gevent workers, or workers with their own limit', () => {
  assert.deepEqual(findings(worker() + memmon('memmon -c -p worker=512MB'), 'memmon-children-not-counted'), []);
  assert.deepEqual(findings(worker() + memmon('memmon --cumulative -g worker=512MB'), 'memmon-children-not-counted'), []);
  assert.deepEqual(findings(worker('celery -A p worker -P gevent') + memmon('memmon -p worker=512MB'), 'memmon-children-not-counted'), []);
  assert.deepEqual(findings(worker('celery -A p worker --max-memory-per-child 262144') + memmon('memmon -p worker=512MB'), 'memmon-children-not-counted'), []);
});

test('memmon-children-not-counted: a worker whose arguments may choose another pool gets information that says so', () => {
  const text = worker('celery -A p worker -l info {{ extra_args }}') + memmon('memmon -p worker=512MB');
  const [f] = findings(text, 'memmon-children-not-counted');
  assert.equal(f.severity, 'information');
  assert.ok(f.message.endsWith('Unless {{ extra_args }} adds another --pool: what it expands to is not in this file.'), f.message);
});

test('memmon-unknown-process: catches -p worker when processes are worker_00.., and fixes it with -g', () => {
  const text = worker('celery -A p worker -P threads', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=3\n') + memmon('memmon -p worker=256MB');
  const [f] = findings(text, 'memmon-unknown-process');
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'worker');
  assert.match(f.message, /worker_00, worker_01, worker_02/);
  assert.match(applyFix(text, 'memmon-unknown-process'), /command=memmon -g worker=256MB\n/);
  checker.checkAll(text, undefined, ['memmon-unknown-process']);
});

test('memmon-unknown-process: catches -g on a program that sits in a group, and unknown names in a main file', () => {
  const grouped = `${worker('celery -A p worker -P threads')}\n[group:myauth]\nprograms=worker\n${memmon('memmon -g worker=256MB')}`;
  assert.match(findings(grouped, 'memmon-unknown-process')[0].message, /\[group:myauth\]/);
  const main = `[supervisord]\n${worker('celery -A p worker -P threads')}${memmon('memmon -p nothere=256MB')}`;
  assert.equal(findings(main, 'memmon-unknown-process').length, 1);
});

test('memmon-unknown-process: does not catch matching names, or unknown names in a fragment', () => {
  assert.deepEqual(findings(worker() + memmon('memmon -c -p worker=1GB'), 'memmon-unknown-process'), []);
  const numbered = worker('celery -A p worker', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n') + memmon('memmon -c -p worker_00=1GB -p worker_01=1GB');
  assert.deepEqual(findings(numbered, 'memmon-unknown-process'), []);
  assert.deepEqual(findings(worker() + memmon('memmon -c -p gunicorn=1GB'), 'memmon-unknown-process'), [], 'gunicorn may live in another file');
});

test('memmon-qualified-name: catches -p group:process and fixes it to the bare name', () => {
  const text = `${worker('celery -A p worker -P threads')}\n[group:myauth]\nprograms=worker\n${memmon('memmon -p myauth:worker=256MB')}`;
  const [f] = findings(text, 'memmon-qualified-name');
  assert.equal(textAt(text, f), 'myauth:worker');
  assert.match(applyFix(text, 'memmon-qualified-name'), /command=memmon -p worker=256MB/);
  checker.checkAll(text, undefined, ['memmon-qualified-name']);
  assert.deepEqual(findings(worker() + memmon('memmon -c -p worker=256MB'), 'memmon-qualified-name'), []);
});

test('memmon-invalid-size: catches sizes byte_size rejects and suggests the right spelling', () => {
  for (const [size, fixed] of [['256M', '256MB'], ['1.5GB', '1536MB'], ['256MiB', '256MB']]) {
    const text = worker('celery -A p worker -P gevent') + memmon(`memmon -p worker=${size}`);
    const [f] = findings(text, 'memmon-invalid-size');
    assert.equal(textAt(text, f), size);
    assert.match(applyFix(text, 'memmon-invalid-size'), new RegExp(`-p worker=${fixed}\\n`));
    checker.checkAll(text, undefined, ['memmon-invalid-size']);
  }
  assert.equal(findings(worker() + memmon('memmon -c -p worker'), 'memmon-invalid-size').length, 1, 'no =SIZE');
});

test('memmon-invalid-size: does not catch valid sizes', () => {
  for (const size of ['512MB', '512mb', '1GB', '1048576', '200KB']) {
    assert.deepEqual(findings(worker('celery -A p worker -P gevent') + memmon(`memmon -p worker=${size}`), 'memmon-invalid-size'), [], size);
  }
});

test('memmon-invalid-size: does not catch a size supervisor expands or a template renders', () => {
  for (const size of ['%(ENV_WORKER_LIMIT)s', '{{ worker_limit }}', '<%= @limit %>']) {
    assert.deepEqual(findings(worker('celery -A p worker -P gevent') + memmon(`memmon -p worker=${size}`), 'memmon-invalid-size'), [], size);
  }
  // In a template the listener is read as it renders: the rest of it is still checked.
  const template = worker('{{ venv }}/bin/celery -A p worker -P gevent') + memmon('{{ venv }}/bin/memmon -p worker={{ limit }} -p web=256M');
  assert.deepEqual(findings(template, 'memmon-invalid-size').map((f) => f.message.match(/'([^']*)'/)?.[1]), ['256M']);
});

test('memmon-tick-missing: catches a missing events line (error, on the header) and events without TICK', () => {
  const missing = worker('celery -A p worker -P gevent') + memmon('memmon -p worker=512MB', '');
  const [f] = findings(missing, 'memmon-tick-missing');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(missing, f), '[eventlistener:memmon]');
  assert.match(applyFix(missing, 'memmon-tick-missing'), /command=memmon -p worker=512MB\nevents=TICK_60\n/);
  const noTick = worker('celery -A p worker -P gevent') + memmon('memmon -p worker=512MB', 'events=PROCESS_STATE\n');
  const [g] = findings(noTick, 'memmon-tick-missing');
  assert.equal(g.severity, 'warning');
  assert.match(applyFix(noTick, 'memmon-tick-missing'), /events=PROCESS_STATE,TICK_60\n/);
  checker.checkAll(noTick, undefined, ['memmon-tick-missing']);
});

test('memmon-tick-missing: does not catch TICK_5, TICK_60, TICK_3600 or their parents TICK and EVENT, or listeners that are not memmon', () => {
  for (const tick of ['TICK_5', 'TICK_60', 'TICK_3600', 'PROCESS_STATE, TICK_60', 'TICK', 'EVENT']) {
    assert.deepEqual(findings(worker() + memmon('memmon -c -p worker=512MB', `events=${tick}\n`), 'memmon-tick-missing'), [], tick);
  }
  assert.deepEqual(findings('[eventlistener:crash]\ncommand=crashmail -a -m x@y\nevents=PROCESS_STATE_EXITED\n', 'memmon-tick-missing'), []);
});

test("memmon-tick-missing: events= goes in at the indentation of the listener's keys, so it swallows none of them", () => {
  const text = '[eventlistener:m]\n  command=memmon -p w=200MB\n  buffer_size=10\n';
  assert.equal(applyFix(text, 'memmon-tick-missing'), text.replace('200MB\n', '200MB\n  events=TICK_60\n'));
  checker.checkAll(text, undefined, ['memmon-tick-missing']);
});
