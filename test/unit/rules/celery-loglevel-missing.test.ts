import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-loglevel-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;

test('catches a worker without -l, anchored on the worker token', () => {
  const text = conf('/home/allianceserver/venv/auth/bin/celery -A myauth worker');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), 'worker');
});

test('catches python -m celery, bash -c wrappers and continuation lines', () => {
  assert.equal(findings(conf('python -m celery -A proj worker -c 4'), CODE).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv && exec celery -A proj worker"`), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery -A proj\n    worker\n    -c 4 ; the pool size\n', CODE).length, 1);
});

test('does not catch any spelling of the log level', () => {
  for (const spelling of ['-l info', '-linfo', '--loglevel=INFO', '--loglevel INFO', '-l DEBUG']) {
    assert.deepEqual(findings(conf(`celery -A proj worker ${spelling}`), CODE), [], spelling);
  }
  assert.deepEqual(findings('[program:w]\ncommand=celery -A proj worker\n    -l info\n', CODE), [], 'on a continuation line');
});

test('does not catch beat, flower, or non-Celery programs', () => {
  assert.deepEqual(findings(conf('celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(conf('/venv/bin/gunicorn proj.wsgi'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -l info ; -l is here'), CODE), []);
});

test('the fix adds -l info right after worker, in the command\'s own style', () => {
  assert.equal(applyFix(conf('celery -A proj worker -c 4'), CODE), conf('celery -A proj worker -l info -c 4'));
  assert.equal(applyFix(conf('celery --app=proj worker --concurrency=4'), CODE), conf('celery --app=proj worker --loglevel=info --concurrency=4'));
  assert.equal(applyFix(conf('celery -A proj worker'), CODE), conf('celery -A proj worker -l info'));
});

test('the fix is safe: CRLF, comments, continuation lines', () => {
  const text = '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -c 4\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  assert.equal(applyFix(text, CODE), '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker -l info ; main\r\n    -c 4\r\nuser=app\r\n');
});

test('a worker passing arguments the file does not show is still caught, naming them', () => {
  const [f] = findings(conf('/venv/bin/celery -A proj worker %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(f?.severity, 'information');
  assert.match(f.message, /Unless %\(ENV_CELERY_OPTS\)s adds -l\/--loglevel: what it expands to is not in this file\.$/);
  assert.equal(applyFix(conf('/venv/bin/celery -A proj worker %(ENV_CELERY_OPTS)s'), CODE), conf('/venv/bin/celery -A proj worker -l info %(ENV_CELERY_OPTS)s'));
});

// Celery's click reads CELERY_WORKER_<OPTION> for an option not given (found by a Celery command-line hunt).
test('does not catch a worker whose log level comes from CELERY_WORKER_LOGLEVEL', () => {
  assert.deepEqual(findings(`${conf('celery -A proj worker')}environment=CELERY_WORKER_LOGLEVEL="info"\n`, CODE), []);
  assert.deepEqual(findings(conf('env CELERY_WORKER_LOGLEVEL=info celery -A proj worker'), CODE), []);
  assert.deepEqual(findings(`[supervisord]\nenvironment=CELERY_WORKER_LOGLEVEL="info"\n${conf('celery -A proj worker')}`, CODE), []);
  assert.equal(findings(`${conf('celery -A proj worker')}environment=CELERY_BEAT_LOGLEVEL="info"\n`, CODE).length, 1, "beat's variable is not the worker's");
});

test('an empty CELERY_WORKER_LOGLEVEL is no level: click skips empty variables, so the worker logs at WARNING (found by a command-line hunt)', () => {
  assert.equal(findings(`${conf('celery -A proj worker')}environment=CELERY_WORKER_LOGLEVEL=""\n`, CODE).length, 1);
  assert.equal(findings(conf('env CELERY_WORKER_LOGLEVEL= celery -A proj worker'), CODE).length, 1);
  assert.equal(findings(`[supervisord]\nenvironment=CELERY_WORKER_LOGLEVEL=''\n${conf('celery -A proj worker')}`, CODE).length, 1);
  // The program's environment= replaces the shared one, for better or worse.
  assert.equal(findings(`[supervisord]\nenvironment=CELERY_WORKER_LOGLEVEL="info"\n${conf('celery -A proj worker')}environment=CELERY_WORKER_LOGLEVEL=""\n`, CODE).length, 1);
  assert.deepEqual(findings(`[supervisord]\nenvironment=CELERY_WORKER_LOGLEVEL=""\n${conf('celery -A proj worker')}environment=CELERY_WORKER_LOGLEVEL="info"\n`, CODE), []);
  assert.deepEqual(findings(conf('env CELERY_WORKER_LOGLEVEL="info" celery -A proj worker'), CODE), []);
});

test('catches a worker behind timeout, ionice, chpst, stdbuf, flock, runuser, su -c, gosu, opentelemetry-instrument or dotenv; the fix edits only the Celery part', () => {
  for (const [before, after] of [
    ['timeout --signal=TERM 1d ionice -c3 chpst -u app /srv/venv/bin/celery -A proj worker -c 4  ; keep', 'timeout --signal=TERM 1d ionice -c3 chpst -u app /srv/venv/bin/celery -A proj worker -l info -c 4  ; keep'],
    ['stdbuf -oL flock -n /tmp/w.lock celery -A proj worker', 'stdbuf -oL flock -n /tmp/w.lock celery -A proj worker -l info'],
    ['runuser -u app -- celery --app=proj worker --concurrency=2', 'runuser -u app -- celery --app=proj worker --loglevel=info --concurrency=2'],
    [`su app -c "cd /srv && exec celery -A proj worker"`, `su app -c "cd /srv && exec celery -A proj worker -l info"`],
    ['gosu app opentelemetry-instrument --service_name w celery -A proj worker', 'gosu app opentelemetry-instrument --service_name w celery -A proj worker -l info'],
    ['dotenv -f /srv/.env run -- celery -A proj worker', 'dotenv -f /srv/.env run -- celery -A proj worker -l info'],
  ]) {
    const text = conf(before);
    assert.equal(textAt(text, findings(text, CODE)[0]), 'worker', before);
    assert.equal(applyFix(text, CODE), conf(after), before);
  }
});
