import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';
import { analyzeText } from '../../../server/src/core/analyze';
import { machineWith } from '../../support/machine';

const CODE = 'celery-concurrency-above-cores';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const cores = (n: number) => settingsWith({ serverCpuCount: n });
const conf = (command: string, extra = '') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a prefork worker with more processes than cores, anchored on the option', () => {
  const text = conf('/venv/bin/celery -A myauth worker --concurrency=8');
  const [f] = findings(text, CODE, cores(4));
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '--concurrency=8');
  assert.match(f.message, /8 prefork pool processes on a server with 4 CPU cores/);
  assert.match(f.message, /one worker process per core/);
});

test('catches every spelling, -P processes, continuation lines and bash -c', () => {
  for (const spelling of ['-c 8', '-c8', '--concurrency 8', '--concurrency=8', '-P processes -c 8', '-P prefork -c 8']) {
    assert.equal(findings(conf(`celery -A proj worker ${spelling}`), CODE, cores(2)).length, 1, spelling);
  }
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -c 8 ; pool size\n', CODE, cores(2)).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv && exec celery -A proj worker -c 8"`), CODE, cores(2)).length, 1);
});

test('catches numprocs x concurrency above the cores, and numprocs > 1 without --concurrency', () => {
  const many = conf('celery -A proj worker -c 2 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=3\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [f] = findings(many, CODE, cores(4));
  assert.match(f.message, /3 x 2 = 6 pool processes/);
  assert.deepEqual(findings(many, CODE, cores(6)), [], '3 x 2 = 6 fits 6 cores');

  const implicit = conf('celery -A proj worker', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [g] = findings(implicit, CODE, cores(4));
  assert.equal(textAt(implicit, g), 'worker');
  assert.match(g.message, /2 x 4 = 8 pool processes/);
});

test('does not catch without serverCpuCount, at or below the core count, or with other pools', () => {
  assert.deepEqual(findings(conf('celery -A proj worker -c 64'), CODE), [], 'serverCpuCount unset (null)');
  assert.deepEqual(findings(conf('celery -A proj worker -c 4'), CODE, cores(4)), []);
  assert.deepEqual(findings(conf('celery -A proj worker'), CODE, cores(1)), [], 'the default is one per core');
  for (const pool of ['threads', 'gevent', 'eventlet', 'solo']) {
    assert.deepEqual(findings(conf(`celery -A proj worker -P ${pool} -c 50`), CODE, cores(2)), [], pool);
  }
  assert.deepEqual(findings(conf('celery -A proj worker -c %(ENV_CONCURRENCY)s'), CODE, cores(2)), [], 'value from the environment');
  assert.deepEqual(findings(conf('celery -A proj worker --autoscale=10,3 -c 8'), CODE, cores(2)), [], '--autoscale decides the size');
  assert.deepEqual(findings(conf('celery -A proj worker', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\nenvironment=CELERY_WORKER_CONCURRENCY="1"\n'), CODE, cores(4)), []);
  assert.deepEqual(findings(conf('celery -A proj worker -l info ; -c 64'), CODE, cores(2)), [], 'in a comment');
});

test('does not catch beat, flower or other programs', () => {
  assert.deepEqual(findings(conf('celery -A proj beat'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('celery -A proj flower --port=5555'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('celery -A proj beat', 'numprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('/venv/bin/gunicorn -w 16 proj.wsgi'), CODE, cores(1)), []);
});

test('the fixes set the core count (preferred) or remove --concurrency', () => {
  const text = conf('celery -A proj worker -c 8 -l info');
  assert.equal(applyFix(text, CODE, undefined, cores(4)), conf('celery -A proj worker -c 4 -l info'));
  assert.equal(applyFix(text, CODE, /^Remove/, cores(4)), conf('celery -A proj worker -l info'));
  assert.equal(applyFix(conf('celery -A proj worker --concurrency=8'), CODE, undefined, cores(2)), conf('celery -A proj worker --concurrency=2'));
  const many = conf('celery -A proj worker -c 4 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.equal(applyFix(many, CODE, undefined, cores(4)), many.replace('-c 4', '-c 2'));
  const implicit = conf('celery -A proj worker --loglevel=info', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.equal(applyFix(implicit, CODE, undefined, cores(4)), implicit.replace('worker --loglevel', 'worker --concurrency=2 --loglevel'));
});

test('no concurrency fix when numprocs alone exceeds the cores', () => {
  const text = conf('celery -A proj worker -c 2', 'numprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [f] = findings(text, CODE, cores(2));
  assert.match(f.message, /Reduce numprocs to at most 2/);
  assert.deepEqual(f.fixes, []);
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -c 16 ; too many\r\n    -l info\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, cores(4), [CODE]), 2);
  assert.equal(applyFix(text, CODE, undefined, cores(4)), text.replace('-c 16', '-c 4'));
  const implicit = '[program:w]\r\ncommand=celery -A proj worker\r\nnumprocs=3\r\nprocess_name=%(program_name)s_%(process_num)02d\r\n';
  assert.equal(checker.checkAll(implicit, cores(6), [CODE]), 1);
  assert.equal(checker.checkAll(conf('celery -A proj worker -Ec8'), cores(2), [CODE]), 2);
});

test("checked against the machine that runs supervisord, the cores are that machine's while the setting is unset", () => {
  const server = { ...machineWith(), cpuCount: () => 4 };
  const text = conf('/srv/venv/bin/celery -A proj worker -c 8');
  const onServer = analyzeText(text, DEFAULT_SETTINGS, undefined, server);
  const [f] = onServer.findings.filter((x) => x.code === CODE);
  assert.match(f?.message ?? '', /on a server with 4 CPU cores \(this machine, which runs supervisord\)/);
  assert.equal(onServer.settings.serverCpuCount, 4, 'hovers and code lenses count with them too');
  // The setting wins; without a view of the machine, nothing is known.
  assert.deepEqual(analyzeText(text, cores(16), undefined, server).findings.filter((x) => x.code === CODE), []);
  assert.deepEqual(analyzeText(text).findings.filter((x) => x.code === CODE), []);
  assert.doesNotMatch(findings(text, CODE, cores(4))[0].message, /this machine/);
});

test('a worker whose arguments may choose another pool: the finding says so', () => {
  const [f] = findings(conf('celery -A proj worker -c 16 %(ENV_EXTRA)s'), CODE, cores(4));
  assert.equal(f.severity, 'information');
  assert.match(f.message, /Unless %\(ENV_EXTRA\)s adds another --pool: what it expands to is not in this file\.$/);
  assert.doesNotMatch(findings(conf('celery -A proj worker -P prefork -c 16 %(ENV_EXTRA)s'), CODE, cores(4))[0].message, /Unless/);
});
