import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment } from '../../../server/src/core/analyze';

const CODE = 'memmon-limit-too-low';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (command = 'celery -A p worker -P gevent -c 10 -l info', rest = '') => `[program:worker]\ncommand=${command}\n${rest}`;
const web = '[program:web]\ncommand=gunicorn app.wsgi\n';
const memmon = (command: string) => `\n[eventlistener:memmon]\ncommand=${command}\nevents=TICK_60\n`;

test('catches a size without a unit under 1 MB: it is bytes, for any program, and the fix adds MB', () => {
  const text = worker() + memmon('memmon -p worker=256');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '256');
  assert.match(f.message, /reads '256' as 256 bytes.*restarts 'worker' at every check/);
  assert.equal(applyFix(text, CODE, undefined, undefined, checker), worker() + memmon('memmon -p worker=256MB'));
  const gunicorn = web + memmon('memmon -p web=512');
  assert.equal(applyFix(gunicorn, CODE, undefined, undefined, checker), web + memmon('memmon -p web=512MB'));
  assert.match(findings(worker() + memmon('memmon -a 1000'), CODE)[0].message, /every process/);
});

test('catches a size without a unit that would be under the floor even in MB: the fix raises it instead of adding MB', () => {
  // -p worker=64 is 64 bytes, and 64MB would still be under the guide's 128 MB floor for a Celery worker.
  const text = worker() + memmon('memmon -p worker=64');
  const [f] = findings(text, CODE);
  assert.match(f.message, /reads '64' as 64 bytes.*Even 64 MB would be below the 128 MB/);
  assert.doesNotMatch(f.message, /write 64MB/);
  assert.equal(f.fixes[0].safeForFixAll, false);
  const fixed = applyFix(text, CODE, undefined, undefined, checker);
  assert.equal(fixed, worker() + memmon('memmon -p worker=512MB'));
  assert.deepEqual(findings(fixed, CODE), []);
  // With -c the floor counts the pool too: 600 MB is not enough for a main process and 4 pool processes.
  const prefork = worker('celery -A p worker -c 4 -l info --max-tasks-per-child 100');
  const cumulative = prefork + memmon('memmon -c -p worker=600');
  assert.match(findings(cumulative, CODE)[0].message, /Even 600 MB would be below the 640 MB memmon -c needs/);
  assert.equal(applyFix(cumulative, CODE, undefined, undefined, checker), prefork + memmon('memmon -c -p worker=640MB'));
  // Other programs have no floor: MB is added as before.
  assert.equal(applyFix(web + memmon('memmon -p web=64'), CODE), web + memmon('memmon -p web=64MB'));
});

test('catches a size under 128 MB for a Celery worker, by -p process name, -g group and -a', () => {
  const text = worker() + memmon('memmon -p worker=64MB');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '64MB');
  assert.match(f.message, /above 64 MB, below the 128 MB/);
  const grouped = `[group:app]\nprograms=worker\n${worker()}${memmon('memmon -g app=100MB')}`;
  assert.equal(findings(grouped, CODE).length, 1);
  assert.equal(findings(worker() + memmon('memmon -a 100000KB'), CODE).length, 1);
  const numbered = worker(undefined, 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n') + memmon('memmon -p worker_01=50MB');
  assert.equal(findings(numbered, CODE).length, 1);
});

test('catches: with memmon -c, a prefork worker is its main process and its pool, each needing 128 MB', () => {
  const prefork = worker('celery -A p worker -c 4 -l info --max-tasks-per-child 100');
  const text = prefork + memmon('memmon -c -p worker=512MB');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '512MB');
  assert.match(f.message, /adds up the main process of 'worker' and its 4 pool processes: 512 MB is about 102\.4 MB each.*at least 640 MB/);
  assert.equal(applyFix(text, CODE, undefined, undefined, checker), prefork + memmon('memmon -c -p worker=640MB'));
  assert.deepEqual(findings(prefork + memmon('memmon -c -p worker=640MB'), CODE), []);
  assert.deepEqual(findings(prefork + memmon('memmon -p worker=512MB'), CODE), [], 'without -c memmon measures the main process only');
  const perCore = worker('celery -A p worker -l info') + memmon('memmon -c -g worker=512MB');
  assert.deepEqual(findings(perCore, CODE), [], 'the pool size is unknown without -c or supervisor.celery.serverCpuCount');
  assert.equal(findings(perCore, CODE, settingsWith({ serverCpuCount: 8 })).length, 1, '9 processes with 8 cores');
  assert.deepEqual(findings(worker() + memmon('memmon -c -p worker=256MB'), CODE), [], 'a gevent worker is one process');
});

test('the raise fix writes supervisor.memmon.defaultLimit (at least 128MB) and is left out of Fix all', () => {
  const text = worker() + memmon('memmon -p worker=64MB');
  assert.equal(applyFix(text, CODE, undefined, undefined, checker), worker() + memmon('memmon -p worker=512MB'));
  assert.equal(applyFix(text, CODE, undefined, settingsWith({ memmonDefaultLimit: '1GB' })), worker() + memmon('memmon -p worker=1GB'));
  assert.equal(applyFix(text, CODE, undefined, settingsWith({ memmonDefaultLimit: '64MB' })), worker() + memmon('memmon -p worker=128MB'));
  assert.equal(findings(text, CODE)[0].fixes[0].safeForFixAll, false);
});

test('does not catch sizes of 128 MB and more, 1 MB and more for other programs, or sizes memmon cannot read', () => {
  for (const size of ['128MB', '131072KB', '134217728', '1GB']) assert.deepEqual(findings(worker() + memmon(`memmon -p worker=${size}`), CODE), [], size);
  assert.deepEqual(findings(web + memmon('memmon -p web=64MB'), CODE), [], 'not a Celery worker');
  assert.deepEqual(findings(web + worker('celery -A p beat') + memmon('memmon -p worker=64MB'), CODE), [], 'beat is not a worker');
  assert.deepEqual(findings(worker() + memmon('memmon -p worker=256M'), CODE), [], 'memmon-invalid-size says it');
  assert.deepEqual(findings(worker() + memmon('memmon -p other=64MB'), CODE), [], 'a name that is no worker process');
});

test('catches: a listener in one fragment and the prefork worker it limits in another', () => {
  const files = [
    { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\nuser=app\n[include]\nfiles=conf.d/*.conf\n' },
    { path: '/etc/supervisor/conf.d/10-workers.conf', text: '[group:celery]\nprograms=worker\n' + worker('celery -A p worker -c 3 -l info --max-tasks-per-child 100') },
    { path: '/etc/supervisor/conf.d/30-memmon.conf', text: memmon('memmon -c -g celery=256MB') },
  ];
  const found = analyzeDeployment(files).map((a) => a.findings.filter((f) => f.code === CODE).map((f) => f.message));
  assert.deepEqual(found.slice(0, 2), [[], []]);
  assert.equal(found[2].length, 1);
  assert.match(found[2][0], /adds up the main process of 'worker' and its 3 pool processes: 256 MB is about 64 MB each/);
});

test('does not count pool processes for a worker whose pool CELERY_WORKER_POOL makes gevent: memmon -c measures one process', () => {
  const geventByEnvironment = worker('celery -A p worker -c 4 -l info', 'environment=CELERY_WORKER_POOL="gevent"\n');
  assert.deepEqual(findings(geventByEnvironment + memmon('memmon -c -p worker=256MB'), CODE), []);
  assert.equal(findings(worker('celery -A p worker -c 4 -l info') + memmon('memmon -c -p worker=256MB'), CODE).length, 1, 'prefork: five processes');
});
