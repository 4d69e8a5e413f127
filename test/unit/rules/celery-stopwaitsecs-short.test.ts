import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-stopwaitsecs-short';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (extra = '', command = 'celery -A proj worker -l info') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a worker without stopwaitsecs, anchored on the section header', () => {
  const text = worker('user=app\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[program:worker]');
  assert.match(f.message, /default stopwaitsecs \(10/);
  assert.match(f.message, /stopwaitsecs=600/);
});

test('catches a value below 60, anchored on the value', () => {
  const text = worker('stopwaitsecs = 30 ; half a minute\n');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '30');
});

test('catches stopwaitsecs shorter than --time-limit, and asks for at least the limit', () => {
  const text = worker('stopwaitsecs=600\n', 'celery -A proj worker --time-limit=1800');
  const [f] = findings(text, CODE);
  assert.match(f.message, /--time-limit 1800/);
  assert.equal(applyFix(text, CODE), worker('stopwaitsecs=1800\n', 'celery -A proj worker --time-limit=1800'));
});

test('catches stopwaitsecs shorter than a prefork worker\'s --soft-time-limit when no --time-limit is given', () => {
  const text = worker('stopwaitsecs=600\n', 'celery -A proj worker --soft-time-limit=1800');
  const [f] = findings(text, CODE);
  assert.match(f.message, /shorter than the worker's --soft-time-limit 1800/);
  assert.equal(applyFix(text, CODE), worker('stopwaitsecs=1800\n', 'celery -A proj worker --soft-time-limit=1800'));
});

test('catches a time limit from CELERY_WORKER_TIME_LIMIT or CELERY_WORKER_SOFT_TIME_LIMIT in the environment', () => {
  const [hard] = findings(worker('stopwaitsecs=600\nenvironment=CELERY_WORKER_TIME_LIMIT="900"\n'), CODE);
  assert.match(hard.message, /CELERY_WORKER_TIME_LIMIT=900/);
  const [soft] = findings(worker('stopwaitsecs=600\n', 'env CELERY_WORKER_SOFT_TIME_LIMIT=700 celery -A proj worker'), CODE);
  assert.match(soft.message, /CELERY_WORKER_SOFT_TIME_LIMIT=700/);
});

test('does not catch a --soft-time-limit that fits, one below the --time-limit, or one a thread pool ignores', () => {
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'celery -A proj worker --soft-time-limit 500'), CODE), []);
  // The hard limit ends the task first; a soft limit above it never fires.
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'celery -A proj worker --time-limit 300 --soft-time-limit 1800'), CODE), []);
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'celery -A proj worker -P gevent -c 10 --soft-time-limit 1800'), CODE), []);
  assert.deepEqual(findings(worker('stopwaitsecs=600\nenvironment=CELERY_WORKER_POOL="threads"\n', 'celery -A proj worker --soft-time-limit 1800'), CODE), []);
});

test('catches python -m celery, shell wrappers and commands on continuation lines', () => {
  assert.equal(findings(worker('', 'python -m celery -A proj worker'), CODE).length, 1);
  assert.equal(findings(worker('', `bash -c "cd /srv && exec celery -A proj worker"`), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery -A proj\n    worker ; the worker\n    --time-limit 300\nstopwaitsecs=120\n', CODE).length, 1);
});

test('does not catch 60 or more, a time limit that fits, or values it cannot read', () => {
  assert.deepEqual(findings(worker('stopwaitsecs=60\n'), CODE), []);
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'celery -A proj worker --time-limit 300'), CODE), []);
  assert.deepEqual(findings(worker('stopwaitsecs=%(ENV_STOPWAIT)s\n'), CODE), []);
});

test('does not catch beat, flower or non-Celery programs', () => {
  assert.deepEqual(findings(worker('', 'celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(worker('', 'celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(worker('', '/venv/bin/gunicorn proj.wsgi'), CODE), []);
});

test('the fix adds stopwaitsecs=600 after the last line, or replaces the value', () => {
  assert.equal(applyFix(worker('user=app\n\n; next\n'), CODE), worker('user=app\nstopwaitsecs=600\n\n; next\n'));
  assert.equal(applyFix(worker('stopwaitsecs=10\nuser=app\n'), CODE), worker('stopwaitsecs=600\nuser=app\n'));
  assert.equal(applyFix('[program:w]\ncommand = celery -A p worker\nuser = app\n', CODE), '[program:w]\ncommand = celery -A p worker\nuser = app\nstopwaitsecs = 600\n');
});

test('the fix is safe: CRLF, comments, repeated headers, no final newline', () => {
  for (const text of [
    '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -c 4\r\nstopwaitsecs=5 ; too short\r\n\r\n[program:web]\r\ncommand=gunicorn app\r\n',
    '[program:worker]\ncommand=celery -A proj worker\n; end of worker\n[program:worker]\nuser=app\n',
    '[program:worker]\ncommand=celery -A proj worker',
  ]) {
    assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  }
});

test('catches a worker started through su or runuser, which SIGKILL it 2 s after passing TERM on, on the wrapper word, whatever stopwaitsecs', () => {
  for (const command of ['runuser -u app -- celery -A proj worker -l info', '/usr/sbin/runuser -u app celery -A proj worker -l info', `su app -c "cd /srv && exec celery -A proj worker -l info"`, `su - app -c 'celery -A proj worker -l info'`, `runuser -l app -c "celery -A proj worker -l info"`]) {
    const text = worker('stopwaitsecs=600\n', command);
    const [f, ...rest] = findings(text, CODE);
    assert.ok(f, command);
    assert.deepEqual(rest, [], command);
    assert.match(textAt(text, f), /^(\/usr\/sbin\/)?(su|runuser)$/, command);
    assert.match(f.message, /SIGKILL 2 seconds later, whatever stopwaitsecs says.*set user= in the program/, command);
    assert.deepEqual(f.fixes, [], command);
  }
  // With the default stopwaitsecs, the usual finding comes too.
  assert.equal(findings(worker('', 'runuser -u app -- celery -A proj worker -l info'), CODE).length, 2);
});

test('does not catch su or runuser with another stop signal, su -s /bin/sh whose shell forks, nor wrappers that relay or exec', () => {
  for (const [extra, command] of [
    ['stopsignal=QUIT\n', 'runuser -u app -- celery -A proj worker -l info'],
    ['', `su -s /bin/sh app -c "cd /srv && celery -A proj worker -l info"`],
    ['', 'sudo -u app celery -A proj worker -l info'],
    ['', 'timeout 1d celery -A proj worker -l info'],
    ['', 'gosu app celery -A proj worker -l info'],
    ['', 'chpst -u app celery -A proj worker -l info'],
  ]) {
    assert.deepEqual(findings(worker(`stopwaitsecs=600\n${extra}`, command), CODE), [], command);
  }
});

test('su is reported next to timeout, on either side: the TERM reaches su, which kills 2 s later (review find)', () => {
  for (const command of ['timeout 1d su app -c "celery -A proj worker"', 'su app -c "timeout 1d celery -A proj worker"']) {
    const text = worker('stopwaitsecs=600\n', command);
    const found = findings(text, CODE);
    assert.equal(found.length, 1, command);
    assert.equal(textAt(text, found[0]), 'su', command);
  }
});

test("catches timeout -k shorter than stopwaitsecs, on its value: SIGKILL comes that long after supervisor's TERM", () => {
  for (const [command, value, seconds] of [
    ['timeout -k 3 1d celery -A proj worker -l info', '3', 3],
    ['timeout --kill-after=30s 1d celery -A proj worker -l info', '30s', 30],
    ['timeout -k0.5m --foreground 1d celery -A proj worker -l info', '0.5m', 30],
    ['sh -c "exec timeout -k 2 1d celery -A proj worker -l info"', '2', 2],
  ] as const) {
    const text = worker('stopwaitsecs=600\n', command);
    const fs = findings(text, CODE);
    assert.equal(fs.length, 1, command);
    assert.equal(textAt(text, fs[0]), value, command);
    assert.match(fs[0].message, new RegExp(`sends SIGKILL ${seconds} s after it passes supervisor's TERM on to worker 'worker', before stopwaitsecs \\(600 s\\)`), command);
  }
  const limited = worker('stopwaitsecs=1800\n', 'timeout -k 10m 1d celery -A proj worker --time-limit=1200');
  assert.match(findings(limited, CODE)[0].message, /the warm shutdown gets 600 s, less than the worker's --time-limit 1200/);
});

test('timeout -k: durations as strtod reads them, its own -s signal starts the countdown too, and --foreground kills the main process only (review finds)', () => {
  const value = (command: string, extra = 'stopwaitsecs=600\n') => findings(worker(extra, command), CODE).map((f) => f.message);
  assert.match(value('timeout -k 1e1 1d celery -A proj worker -l info')[0], /SIGKILL 10 s after/);
  assert.match(value('timeout -k +5 1d celery -A proj worker -l info')[0], /SIGKILL 5 s after/);
  assert.deepEqual(value('timeout -k inf 1d celery -A proj worker -l info'), [], 'never');
  // checked with coreutils 9.1: timeout -s USR1 -k 2 60 prog, plus USR1: prog killed 2 s later.
  assert.match(value('timeout -s USR1 -k 2 1d celery -A proj worker -l info', 'stopwaitsecs=600\nstopsignal=USR1\n')[0], /passes supervisor's USR1 on/);
  assert.match(value('timeout --foreground -k 2 1d celery -A proj worker -l info')[0], /with --foreground the SIGKILL reaches Celery's main process only: a prefork worker's pool processes run on without it, outside supervisor\)\. Make -k at least 600, or remove it\.$/);
  assert.match(value('timeout -k 2 1d celery -A proj worker -l info')[0], /lost: the SIGKILL kills them\. Make -k at least 600/);
  assert.match(value('timeout -k 2 1d celery -A proj worker --time-limit=300', 'stopwaitsecs=100\n').find((m) => m.startsWith('timeout'))!, /Make -k at least 600/, 'what the fix writes');
});

test('does not catch timeout -k at least stopwaitsecs (or 60 s and the time limit), -k 0, another signal, or a timeout supervisor does not signal', () => {
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'timeout -k 600 1d celery -A proj worker -l info'), CODE), []);
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'timeout -k 2m 1d celery -A proj worker -l info'), CODE), [], '120 s: more than a minute, no time limit');
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'timeout -k 0 1d celery -A proj worker -l info'), CODE), [], '0 turns it off');
  assert.deepEqual(findings(worker('stopwaitsecs=600\nstopsignal=USR1\n', 'timeout -k 3 1d celery -A proj worker -l info'), CODE), [], 'USR1 ends timeout itself: no countdown');
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'timeout -k %(ENV_KILL)s 1d celery -A proj worker -l info'), CODE), [], 'not readable here');
  // sh is the pid and dies on TERM: timeout never gets it (celery-shell-without-exec's business).
  assert.deepEqual(findings(worker('stopwaitsecs=600\n', 'sh -c "cd /srv && timeout -k 3 1d celery -A proj worker -l info"'), CODE), []);
});

test('the -k fix writes stopwaitsecs (or the target when that is short too), changing nothing else', () => {
  const text = worker('stopwaitsecs=600 ; ten minutes\r\n', 'timeout -k 3 1d celery -A proj worker -l info').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
  assert.equal(applyFix(text, CODE, /-k/, undefined, checker), text.replace('-k 3', '-k 600'));
  // No stopwaitsecs (10 s): the -k fix asks for the 600 s the other finding's fix writes.
  const short = worker('', 'timeout --kill-after=5 1d celery -A proj worker -l info');
  const onK = findings(short, CODE).find((f) => textAt(short, f) === '5');
  const fix = onK?.fixes.find((x) => /-k/.test(x.title));
  assert.ok(onK && fix);
  assert.equal(checker.checkFix(short, onK, fix, DEFAULT_SETTINGS), short.replace('--kill-after=5', '--kill-after=600'));
});

test('the -k fix keeps the command splittable when the value is quoted in its option word (-k\'5\', --kill-after="5")', () => {
  for (const [command, after] of [
    ["timeout -k'5' 1d celery -A proj worker -l info", 'timeout -k600 1d celery -A proj worker -l info'],
    ["timeout --kill-after='5' 1d celery -A proj worker -l info", 'timeout --kill-after=600 1d celery -A proj worker -l info'],
    ['timeout -fk"5" 1d celery -A proj worker -l info', 'timeout -fk600 1d celery -A proj worker -l info'],
    ["timeout -k '5' 1d celery -A proj worker -l info", 'timeout -k 600 1d celery -A proj worker -l info'],
    ['sh -c \'exec timeout -k"5" 1d celery -A proj worker -l info\'', "sh -c 'exec timeout -k600 1d celery -A proj worker -l info'"],
  ] as const) {
    const text = worker('stopwaitsecs=600\n', command);
    const [f] = findings(text, CODE);
    assert.equal(f?.fixes.length, 1, command);
    assert.equal(checker.checkFix(text, f, f.fixes[0], DEFAULT_SETTINGS), worker('stopwaitsecs=600\n', after), command);
  }
});
