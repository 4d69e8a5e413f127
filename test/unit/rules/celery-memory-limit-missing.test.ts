import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-memory-limit-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const conf = (command: string, rest = '') => `[program:worker]\ncommand=${command}\n${rest}`;

test('catches --max-memory-per-child 0 (or less), which turns the limit off; the fix writes the limit in its place', () => {
  for (const off of ['--max-memory-per-child 0', '--max-memory-per-child=-5']) {
    const text = `[program:w]\ncommand=celery -A p worker ${off}\n`;
    const [f] = findings(text, 'celery-memory-limit-missing');
    assert.ok(f, off);
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), off);
    assert.match(f.message, /turns the limit off/);
  }
  const fixed = applyFix('[program:w]\ncommand=celery -A p worker --max-memory-per-child 0 -l info\n', 'celery-memory-limit-missing');
  assert.equal(fixed, '[program:w]\ncommand=celery -A p worker --max-memory-per-child 262144 -l info\n');
  assert.deepEqual(findings('[program:w]\ncommand=celery -A p worker --max-memory-per-child 0\n', 'celery-memory-limit-too-low'), []);
});

test('catches a prefork worker with no protection, as a warning on the worker token', () => {
  const text = conf('/home/allianceserver/venv/auth/bin/celery -A myauth worker -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'worker');
  assert.equal(findings(conf('celery -A p worker -P prefork'), CODE).length, 1, 'explicit prefork');
  assert.equal(findings(conf('celery -A p worker --pool=processes'), CODE).length, 1, 'processes alias');
});

test('catches --max-tasks-per-child alone at a lower severity, on that option', () => {
  const text = conf('celery -A p worker --max-tasks-per-child=100');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '--max-tasks-per-child=100');
  assert.match(f.message, /less precisely/);
  for (const value of ['%(ENV_MAX_TASKS)s', '{{ max_tasks }}']) {
    const set = findings(conf(`celery -A p worker --max-tasks-per-child=${value}`), CODE);
    assert.deepEqual(set.map((x) => x.severity), ['information'], `${value} is a task limit the file does not show`);
  }
  assert.equal(findings(conf('celery -A p worker --max-tasks-per-child=many'), CODE)[0].severity, 'warning', 'not a number: no limit');
});

test('does not catch protected workers, other pools, or non-workers', () => {
  assert.deepEqual(findings(conf('celery -A p worker --max-memory-per-child 262144'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker\n    --max-memory-per-child=262144'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker -P gevent'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p beat'), CODE), []);
  const memmonC = conf('celery -A p worker', '\n[eventlistener:memmon]\ncommand=memmon -c -p worker=512MB\nevents=TICK_60\n');
  assert.deepEqual(findings(memmonC, CODE), [], 'memmon -c watches it');
  const memmonNoC = conf('celery -A p worker', '\n[eventlistener:memmon]\ncommand=memmon -p worker=512MB\nevents=TICK_60\n');
  assert.deepEqual(findings(memmonNoC, CODE), [], 'memmon-children-not-counted reports this case instead');
  assert.equal(findings(memmonNoC, 'memmon-children-not-counted').length, 1);
});

test('the preferred fix adds --max-memory-per-child from the setting, in the command style', () => {
  assert.equal(applyFix(conf('celery -A p worker -l info'), CODE), conf('celery -A p worker --max-memory-per-child 262144 -l info'));
  assert.equal(
    applyFix(conf('celery --app=p worker --loglevel=INFO'), CODE, undefined, settingsWith({ maxMemoryPerChildKiB: 524288 })),
    conf('celery --app=p worker --max-memory-per-child=524288 --loglevel=INFO'),
  );
});

test('the memmon fix adds a listener with -c next to the worker\'s celery, and RPC sections in a main file', () => {
  const fragment = conf('/srv/venv/bin/celery -A p worker');
  const fixed = applyFix(fragment, CODE, /memmon/);
  assert.equal(fixed, `${fragment}\n[eventlistener:memmon]\ncommand=/srv/venv/bin/memmon -c -p worker=512MB\nevents=TICK_60\n`);
  const main = `[supervisord]\nlogfile=/tmp/s.log\n\n${fragment}`;
  const fixedMain = applyFix(main, CODE, /memmon/);
  assert.match(fixedMain, /\[unix_http_server\]\nfile=\/var\/run\/supervisor.sock/);
  assert.match(fixedMain, /\[rpcinterface:supervisor\]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface/);
});

test('the memmon fix uses the right names: numprocs, groups, existing listeners', () => {
  const numprocs = conf('celery -A p worker', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n');
  assert.match(applyFix(numprocs, CODE, /memmon/), /command=memmon -c -g worker=512MB/);
  const grouped = `${conf('celery -A p worker', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n')}\n[group:myauth]\nprograms=worker\n`;
  assert.match(applyFix(grouped, CODE, /memmon/), /command=memmon -c -p worker_00=512MB -p worker_01=512MB/);
  const existing = `${conf('celery -A p worker')}\n[eventlistener:memmon]\ncommand=memmon -p gunicorn=256MB ; web\nevents=TICK_60\n\n[program:gunicorn]\ncommand=gunicorn x\n`;
  const fixed = applyFix(existing, CODE, /memmon/);
  assert.match(fixed, /command=memmon -p gunicorn=256MB -c -p worker=512MB ; web\n/);
  assert.equal((fixed.match(/\[eventlistener:/g) ?? []).length, 1);
});

test('every fix is safe, also with CRLF and without a final newline', () => {
  checker.checkAll(conf('celery -A p worker -l info').replace(/\n/g, '\r\n'), undefined, [CODE]);
  checker.checkAll('[supervisord]\n\n[program:w]\ncommand=/v/bin/celery -A p worker ; comment', undefined, [CODE]);
  checker.checkAll(conf('celery -A p worker', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=3\n'), undefined, [CODE]);
  assert.ok(checker.fixesChecked >= 6);
});

test('a worker passing arguments the file does not show is caught as information, naming them', () => {
  for (const [command, shown] of [
    ['/venv/bin/celery -A p worker -l info %(ENV_CELERY_OPTS)s', '%(ENV_CELERY_OPTS)s'],
    ['bash -c "exec /venv/bin/celery -A p worker $CELERY_OPTS"', '$CELERY_OPTS'],
    ['{{ venv }}/bin/celery -A p worker {{ extra_args }}', '{{ extra_args }}'],
  ]) {
    const [f] = findings(conf(command), CODE);
    assert.equal(f?.severity, 'information', command);
    assert.ok(f.message.endsWith(`Unless ${shown} adds --max-memory-per-child: what it expands to is not in this file.`), f.message);
    assert.equal(f.fixes.length, 2, 'the fixes stay');
  }
  // An expansion that is an option's value adds no option.
  assert.equal(findings(conf('/venv/bin/celery -A p worker -c %(ENV_N)s'), CODE)[0]?.severity, 'warning');
});

test('catches a worker of a template whose executable is an expression (Alliance Auth\'s project template)', () => {
  const text = conf('{{ celery }} -A {{ project_name }} worker', 'directory={{ project_directory }}\n');
  const [f] = findings(text, CODE);
  assert.equal(f?.severity, 'warning');
  assert.equal(textAt(text, f), 'worker');
  assert.equal(applyFix(text, CODE), conf('{{ celery }} -A {{ project_name }} worker --max-memory-per-child 262144', 'directory={{ project_directory }}\n'));
});

test('does not catch a worker whose limit comes from CELERY_WORKER_MAX_MEMORY_PER_CHILD (click reads it, found by a command-line hunt)', () => {
  assert.deepEqual(findings(conf('celery -A p worker', 'environment=CELERY_WORKER_MAX_MEMORY_PER_CHILD="200000"\n'), CODE), []);
  assert.deepEqual(findings(conf("bash -c 'export CELERY_WORKER_MAX_MEMORY_PER_CHILD=200000; exec celery -A p worker'"), CODE), []);
});

test('an empty CELERY_WORKER_MAX_MEMORY_PER_CHILD is no limit: click skips empty variables', () => {
  assert.equal(findings(conf('celery -A p worker', 'environment=CELERY_WORKER_MAX_MEMORY_PER_CHILD=""\n'), CODE).length, 1);
  assert.equal(findings(conf("bash -c 'export CELERY_WORKER_MAX_MEMORY_PER_CHILD=; exec celery -A p worker'"), CODE).length, 1);
});

test('does not suggest --max-memory-per-child for a gevent pool that CELERY_WORKER_POOL chooses (gevent ignores it)', () => {
  assert.deepEqual(findings(conf('celery -A p worker', 'environment=CELERY_WORKER_POOL="gevent"\n'), CODE), []);
  assert.equal(findings(conf('celery -A p worker -P prefork', 'environment=CELERY_WORKER_POOL="gevent"\n'), CODE).length, 1);
});
