import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-killasgroup-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (extra = '', command = 'celery -A proj worker') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a prefork worker without killasgroup, anchored on the header', () => {
  const text = worker('stopwaitsecs=600\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[program:worker]');
});

test('catches killasgroup=false in any spelling, anchored on the value', () => {
  for (const v of ['false', 'No', 'OFF', '0']) {
    const text = worker(`killasgroup=${v}\n`);
    const [f] = findings(text, CODE);
    assert.equal(textAt(text, f), v, v);
  }
  assert.equal(findings(worker('stopasgroup=false\n'), CODE).length, 1);
});

test('catches explicit prefork, processes and the pool on a continuation line', () => {
  assert.equal(findings(worker('', 'celery -A proj worker -P prefork'), CODE).length, 1);
  assert.equal(findings(worker('', 'celery -A proj worker --pool=processes'), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n  -c 4 ; four\n', CODE).length, 1);
});

test('does not catch killasgroup or stopasgroup set to true, in any spelling', () => {
  for (const extra of ['killasgroup=true\n', 'killasgroup=Yes\n', 'KillAsGroup = on\n', 'killasgroup=1\n', 'stopasgroup=true\n']) {
    assert.deepEqual(findings(worker(extra), CODE), [], extra);
  }
  assert.deepEqual(findings(worker('killasgroup=%(ENV_KILL)s\n'), CODE), [], 'unreadable value');
});

test('does not catch thread or greenlet pools, beat, flower or other programs', () => {
  for (const pool of ['threads', 'gevent', 'eventlet', 'solo']) assert.deepEqual(findings(worker('', `celery -A proj worker -P ${pool}`), CODE), [], pool);
  assert.deepEqual(findings(worker('', 'celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(worker('', 'celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(worker('', 'uwsgi --ini app.ini'), CODE), []);
});

test('the fix adds killasgroup=true or turns false into true', () => {
  assert.equal(applyFix(worker('user=app\n'), CODE), worker('user=app\nkillasgroup=true\n'));
  assert.equal(applyFix(worker('killasgroup=false ; why\nuser=app\n'), CODE), worker('killasgroup=true ; why\nuser=app\n'));
});

test('the fix is safe: CRLF, comments, indented keys', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj worker\r\n; trailing comment\r\n\r\n[program:b]\r\ncommand=celery -A proj beat\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\n  command=celery -A proj worker\n  killasgroup=no\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\n  command=celery -A proj worker\n      -c 2\n', undefined, [CODE]), 1);
});

test('a worker whose arguments may choose another pool gets information that says so, not a warning', () => {
  const [f] = findings(worker('', 'celery -A proj worker %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(f.severity, 'information');
  assert.ok(f.message.endsWith('Unless %(ENV_CELERY_OPTS)s adds another --pool: what it expands to is not in this file.'), f.message);
  assert.equal(f.fixes.length, 1, 'the fix stays');
  const [prefork] = findings(worker('', 'celery -A proj worker -P prefork %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(prefork.severity, 'warning', 'the pool is written: prefork');
});

test('a worker whose pool comes from CELERY_WORKER_POOL (no -P) runs that pool, not prefork', () => {
  assert.deepEqual(findings(worker('environment=CELERY_WORKER_POOL="gevent"\nstopwaitsecs=600\n'), CODE), []);
  assert.deepEqual(findings(`[supervisord]\nenvironment=CELERY_WORKER_POOL=threads\n\n${worker('stopwaitsecs=600\n')}`, CODE), []);
  assert.equal(findings(worker('environment=CELERY_WORKER_POOL="prefork"\nstopwaitsecs=600\n'), CODE).length, 1);
  assert.equal(findings(worker('environment=CELERY_WORKER_POOL="gevent"\nstopwaitsecs=600\n', 'celery -A proj worker -P prefork'), CODE).length, 1, '-P wins');
});

test('behind a wrapper that stays Celery\'s parent, the message says the SIGKILL reaches the wrapper only; behind one that execs, the main process', () => {
  for (const [command, name] of [
    ['timeout 1d celery -A proj worker', 'timeout'],
    ['uv run celery -A proj worker', 'uv'],
    ['sudo -u app celery -A proj worker', 'sudo'],
    ['nice -n 5 runuser -u app -- celery -A proj worker', 'runuser'],
    ['flock -n /tmp/w.lock celery -A proj worker', 'flock'],
  ]) {
    const [f] = findings(worker('', command), CODE);
    assert.ok(f, command);
    assert.match(f.message, new RegExp(`SIGKILL reaches only ${name}, which runs Celery as its child, and Celery's main process and its pool processes can be left running`), command);
  }
  for (const command of ['nice -n 5 celery -A proj worker', 'flock -F /tmp/w.lock celery -A proj worker', 'newrelic-admin run-program celery -A proj worker']) {
    assert.match(findings(worker('', command), CODE)[0].message, /SIGKILL reaches only the main process and its pool processes/, command);
  }
});

test('the process named is the one supervisor started that stays: a shell that runs Celery as its child before any wrapper in its script, a wrapper in front of the shell before the shell', () => {
  for (const [command, name] of [
    // sh (dash) forks for every command: its pid is what supervisor kills, not timeout's or uv's.
    ['sh -c "cd /srv && timeout 1d celery -A proj worker"', 'sh'],
    ['nice -n 5 sh -c "cd /srv && uv run celery -A proj worker"', 'sh'],
    // bash waits for a command with a redirection.
    ['bash -c "celery -A proj worker >> /var/log/w.log 2>&1"', 'bash'],
    // A wrapper in front of the shell comes first.
    ['sudo -u app sh -c "cd /srv && celery -A proj worker"', 'sudo'],
    // A shell that replaces itself with the wrapper: the wrapper.
    ['bash -c "timeout 1d celery -A proj worker"', 'timeout'],
    ['sh -c "cd /srv && exec timeout 1d celery -A proj worker"', 'timeout'],
    // bash 5.2 replaces itself with the last command of a plain list (older bash may not): the wrapper, as before.
    ['bash -c "cd /srv && timeout 1d celery -A proj worker"', 'timeout'],
  ]) {
    const [f] = findings(worker('', command), CODE);
    assert.ok(f, command);
    assert.match(f.message, new RegExp(`SIGKILL reaches only ${name}, which runs Celery as its child`), command);
  }
  assert.match(findings(worker('', 'sh -c "exec nice celery -A proj worker"'), CODE)[0].message, /SIGKILL reaches only the main process/);
});
