import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment } from '../../../server/src/core/analyze';

const CODE = 'celery-io-pool-concurrency-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string, extra = '') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches gevent, eventlet and threads without --concurrency, anchored on the pool option', () => {
  const text = conf('/venv/bin/celery -A myauth worker --pool=gevent');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'hint');
  assert.equal(textAt(text, f), '--pool=gevent');
  assert.match(f.message, /--concurrency=10/);
  for (const pool of ['-P gevent', '-Peventlet', '--pool threads', '--pool=threads']) {
    assert.equal(findings(conf(`celery -A proj worker ${pool} -l info`), CODE).length, 1, pool);
  }
});

test('catches -c 0, which Celery reads as not given (the CPU count), anchored on it; the fix writes 10', () => {
  for (const zero of ['-c 0', '--concurrency=0', '-c00']) {
    const text = conf(`celery -A proj worker -P gevent ${zero}`);
    const [f] = findings(text, CODE);
    assert.ok(f, zero);
    assert.equal(textAt(text, f), zero);
    assert.match(f.message, /reads as "not set"/);
  }
  assert.equal(applyFix(conf('celery -A proj worker -P gevent --concurrency=0'), CODE), conf('celery -A proj worker -P gevent --concurrency=10'));
  assert.deepEqual(findings(conf('celery -A proj worker -P gevent -c 1'), CODE), []);
});

test('catches through python -m, bash -c and continuation lines', () => {
  assert.equal(findings(conf('python3 -m celery -A proj worker -P gevent'), CODE).length, 1);
  assert.equal(findings(conf(`sh -c 'exec celery -A proj worker -P threads'`), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -P gevent ; greenlets\n    -l info\n', CODE).length, 1);
});

test('does not catch with any concurrency spelling, --autoscale, or the environment variable', () => {
  for (const c of ['-c 10', '-c10', '--concurrency=10', '--concurrency 5', '--autoscale=10,3']) {
    assert.deepEqual(findings(conf(`celery -A proj worker -P gevent ${c}`), CODE), [], c);
  }
  assert.deepEqual(findings('[program:w]\ncommand=celery -A proj worker -P gevent\n    --concurrency=10\n', CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -P gevent', 'environment=CELERY_WORKER_CONCURRENCY="20"\n'), CODE), []);
  // Set in the command itself: the env wrapper, a shell's export (found by a command-line hunt).
  assert.deepEqual(findings(conf('env CELERY_WORKER_CONCURRENCY=100 celery -A proj worker -P gevent'), CODE), []);
  assert.deepEqual(findings(conf("bash -c 'export CELERY_WORKER_CONCURRENCY=8; exec celery -A proj worker -P gevent'"), CODE), []);
});

test('does not catch prefork, solo, beat, flower or non-Celery programs', () => {
  assert.deepEqual(findings(conf('celery -A proj worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -P prefork'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -P solo'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower -P gevent'), CODE), []);
  assert.deepEqual(findings(conf('gunicorn -k gevent app:app'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker ; -P gevent'), CODE), [], 'in a comment');
  assert.deepEqual(findings(conf('celery -A proj worker -P=gevent'), CODE), [], "'-P=gevent' is celery-invalid-option-value's");
});

test('the fix adds the guide\'s --concurrency=10 right after the pool, in the command\'s style', () => {
  assert.equal(applyFix(conf('celery -A proj worker --pool=gevent -l info'), CODE), conf('celery -A proj worker --pool=gevent --concurrency=10 -l info'));
  assert.equal(applyFix(conf('celery -A proj worker -P gevent -l info'), CODE), conf('celery -A proj worker -P gevent -c 10 -l info'));
  assert.equal(applyFix(conf('celery --app proj worker --pool threads --loglevel info'), CODE), conf('celery --app proj worker --pool threads --concurrency 10 --loglevel info'));
});

test('the fix is safe: CRLF, comments, continuation lines, bash -c', () => {
  const text = '; io workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -P gevent ; greenlets\r\n    -l info\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  assert.equal(applyFix(text, CODE), text.replace('-P gevent ;', '-P gevent -c 10 ;'));
  assert.equal(checker.checkAll(conf(`bash -c "cd /srv && exec celery -A proj worker -P eventlet"`), undefined, [CODE]), 1);
});

test('a worker passing arguments the file does not show stays a hint that names them; -c 0 does not', () => {
  const [f] = findings(conf('/venv/bin/celery -A proj worker -P gevent %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(f?.severity, 'hint');
  assert.match(f.message, /Unless %\(ENV_CELERY_OPTS\)s adds --concurrency: what it expands to is not in this file\.$/);
  const [zero] = findings(conf('/venv/bin/celery -A proj worker -P gevent -c 0 %(ENV_CELERY_OPTS)s'), CODE);
  assert.doesNotMatch(zero.message, /Unless/, 'the -c 0 is written in the file');
});

test("a fragment's worker gets CELERY_WORKER_CONCURRENCY from the main file's [supervisord] environment=", () => {
  const main = { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\nenvironment=CELERY_WORKER_CONCURRENCY="20"\n\n[include]\nfiles=conf.d/*.conf\n' };
  const fragment = { path: '/etc/supervisor/conf.d/w.conf', text: '[program:w]\ncommand=celery -A proj worker -P gevent\n' };
  assert.deepEqual(analyzeDeployment([main, fragment])[1].findings.filter((f) => f.code === CODE), []);
  assert.equal(analyzeDeployment([{ ...main, text: '[supervisord]\n\n[include]\nfiles=conf.d/*.conf\n' }, fragment])[1].findings.filter((f) => f.code === CODE).length, 1);
});

test('catches a gevent pool chosen by CELERY_WORKER_POOL, which click reads where -P is not given; the fix adds -c after the sub-command', () => {
  const text = conf('celery -A proj worker -l info', 'environment=CELERY_WORKER_POOL="gevent"\n');
  const [f] = findings(text, CODE);
  assert.ok(f);
  assert.equal(textAt(text, f), 'worker');
  assert.match(f.message, /runs the gevent pool \(CELERY_WORKER_POOL in its environment\) without -c\/--concurrency/);
  assert.equal(applyFix(text, CODE), conf('celery -A proj worker -c 10 -l info', 'environment=CELERY_WORKER_POOL="gevent"\n'));
});

test('does not catch a worker whose environment sets only a longer name ending in CELERY_WORKER_POOL', () => {
  assert.deepEqual(findings(conf('env MY_CELERY_WORKER_POOL=gevent celery -A proj worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker', 'environment=MY_CELERY_WORKER_POOL="gevent"\n'), CODE), []);
});
