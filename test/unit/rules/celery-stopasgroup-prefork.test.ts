import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-stopasgroup-prefork';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (extra: string, command = 'celery -A proj worker') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches stopasgroup=true on a prefork worker, anchored on the value', () => {
  const text = worker('stopasgroup=true\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'true');
  assert.match(f.message, /WorkerLostError/);
});

test('catches any true spelling, exec in a shell, wrappers that exec, and stopsignal=TERM', () => {
  for (const v of ['yes', 'ON', '1', 'True']) assert.equal(findings(worker(`stopasgroup=${v}\n`), CODE).length, 1, v);
  assert.equal(findings(worker('stopasgroup=true\n', `bash -c "source env.sh && exec celery -A proj worker"`), CODE).length, 1);
  assert.equal(findings(worker('stopasgroup=true\n', 'newrelic-admin run-program celery -A proj worker'), CODE).length, 1);
  assert.equal(findings(worker('stopasgroup=true\nstopsignal=SIGTERM\n'), CODE).length, 1);
});

test('does not catch a shell without exec, where the group signal is what reaches celery', () => {
  assert.deepEqual(findings(worker('stopasgroup=true\n', `bash -c "cd /srv && celery -A proj worker"`), CODE), []);
  // dash forks even for a lone command; bash does not when a redirection follows it.
  assert.deepEqual(findings(worker('stopasgroup=true\n', `sh -c "celery -A proj worker"`), CODE), []);
  assert.deepEqual(findings(worker('stopasgroup=true\n', `bash -c "celery -A proj worker 2>&1"`), CODE), []);
});

test('does not catch flock without -F, which dies on TERM: the group signal is what reaches celery; with -F it does', () => {
  assert.deepEqual(findings(worker('stopasgroup=true\n', 'flock -n /tmp/w.lock celery -A proj worker'), CODE), []);
  assert.equal(findings(worker('stopasgroup=true\n', 'flock -F -n /tmp/w.lock celery -A proj worker'), CODE).length, 1);
});

test('catches bash -c with celery as its only command: bash execs a lone simple command without being told', () => {
  // bash -c 'cmd' replaces the shell with cmd (checked with bash 5.2: ps shows the command under the shell's pid),
  // so celery's pool processes get the group TERM exactly as without the wrapper.
  assert.equal(findings(worker('stopasgroup=true\n', `bash -c "/srv/venv/bin/celery -A proj worker -l info"`), CODE).length, 1);
  assert.equal(findings(worker('stopasgroup=true\n', `/bin/bash -c 'DJANGO_SETTINGS_MODULE=proj.settings celery -A proj worker'`), CODE).length, 1);
});

test('does not catch thread pools, beat, false values, or other stop signals', () => {
  assert.deepEqual(findings(worker('stopasgroup=true\n', 'celery -A proj worker --pool=threads'), CODE), []);
  assert.deepEqual(findings(worker('stopasgroup=true\n', 'celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(worker('stopasgroup=false\n'), CODE), []);
  assert.deepEqual(findings(worker('stopasgroup=true\nstopsignal=INT\n'), CODE), [], 'pool processes ignore INT');
  assert.deepEqual(findings(worker('stopasgroup=true\nstopsignal=KILL\n'), CODE), [], 'celery-stop-signal reports that');
});

test('the fix turns stopasgroup into killasgroup, or removes it and keeps killasgroup=true', () => {
  assert.equal(applyFix(worker('stopasgroup=true\nuser=app\n'), CODE), worker('killasgroup=true\nuser=app\n'));
  assert.equal(applyFix(worker('killasgroup=true\nstopasgroup=true\nuser=app\n'), CODE), worker('killasgroup=true\nuser=app\n'));
  assert.equal(applyFix(worker('killasgroup=false\nstopasgroup=true\n'), CODE), worker('killasgroup=true\n'));
});

test('the fixed file does not trip celery-killasgroup-missing', () => {
  for (const extra of ['stopasgroup=true\n', 'killasgroup=false\nstopasgroup=yes\n', 'stopasgroup=false\nstopasgroup=true\n']) {
    const fixed = applyFix(worker(extra), CODE);
    assert.deepEqual(findings(fixed, 'celery-killasgroup-missing'), [], fixed);
    assert.deepEqual(findings(fixed, CODE), [], fixed);
  }
});

test('the fix is safe: CRLF, comments, duplicates', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj worker ; main\r\n; stop the group\r\nstopasgroup = true ; as celery says\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A proj worker\nstopasgroup=true\nkillasgroup=no\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A proj worker\nstopasgroup=true\n[program:worker]\nstopasgroup=true\n', undefined, [CODE]), 1);
});

test('a worker whose arguments may choose another pool gets information that says so, not a warning', () => {
  const [f] = findings(worker('stopasgroup=true\n', `bash -c 'exec celery -A proj worker "$@"' --`), CODE);
  assert.equal(f.severity, 'information');
  assert.ok(f.message.endsWith('Unless $@ adds another --pool: what it expands to is not in this file.'), f.message);
});

test('catches timeout without --foreground in front of a prefork worker: it passes TERM on to its whole group, as stopasgroup=true does; the fix writes --foreground', () => {
  const text = worker('killasgroup=true\n', '/usr/bin/timeout -k 60 1d /srv/venv/bin/celery -A proj worker -c 4');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '/usr/bin/timeout');
  assert.match(f.message, /whole process group, as stopasgroup=true would.*WorkerLostError.*timeout --foreground/);
  assert.equal(applyFix(text, CODE, undefined, undefined, checker), worker('killasgroup=true\n', '/usr/bin/timeout --foreground -k 60 1d /srv/venv/bin/celery -A proj worker -c 4'));
  // Behind other wrappers and inside a shell script; and next to stopasgroup=true, each finding on its own.
  assert.equal(findings(worker('', 'sudo -u app timeout 12h nice celery -A proj worker'), CODE).length, 1);
  assert.equal(findings(worker('', `bash -c "cd /srv && exec timeout 1d celery -A proj worker"`), CODE).length, 1);
  assert.equal(findings(worker('stopasgroup=true\n', 'timeout 1d celery -A proj worker'), CODE).length, 2);
});

test("timeout's -s: it passes on the TERM supervisor sends, but sends its -s signal when the duration runs out (checked with coreutils 9.1), and the message says which", () => {
  const message = (command: string) => findings(worker('killasgroup=true\n', command), CODE)[0]?.message ?? '';
  assert.match(message('timeout 1d celery -A proj worker'), /warm shutdown, and so do they when the duration runs out\./);
  assert.match(message('timeout -s TERM 1d celery -A proj worker'), /and so do they when the duration runs out\./);
  for (const command of ['timeout -s INT 1d celery -A proj worker', 'timeout --signal=SIGINT 1d celery -A proj worker', 'timeout -sINT -k 60 1d celery -A proj worker', 'timeout -s 2 1d celery -A proj worker']) {
    const m = message(command);
    assert.match(m, /timeout passes the TERM supervisor sends it on to its whole process group/, command);
    assert.match(m, /; when the duration runs out, timeout sends the whole group its -s INT instead of TERM\. Write timeout --foreground/, command);
    assert.doesNotMatch(m, /so do they/, command);
  }
  assert.match(message('timeout -s KILL 1d celery -A proj worker'), /its -s KILL to the whole group, which ends every process at once, the main one included/);
  assert.match(message('timeout -s %(ENV_SIG)s 1d celery -A proj worker'), /the signal its -s names \(%\(ENV_SIG\)s\)/);
});

test('catches timeout in front of a shell or flock that would keep the signal: timeout gets it first and passes it to its whole group (review find)', () => {
  assert.equal(findings(worker('killasgroup=true\n', 'timeout 1d sh -c "cd /srv && /venv/bin/celery -A proj worker -l info"'), CODE).length, 1);
  assert.equal(findings(worker('killasgroup=true\n', 'timeout 1d flock /tmp/l /venv/bin/celery -A proj worker'), CODE).length, 1);
});

test('does not catch timeout --foreground, timeout in front of a thread pool or beat, or a stopsignal other than TERM', () => {
  for (const [extra, command] of [
    ['', 'timeout --foreground 1d celery -A proj worker'],
    ['', 'timeout --fore -s INT 1d celery -A proj worker'],
    ['', 'timeout 1d celery -A proj worker -P threads'],
    ['', 'timeout 1d celery -A proj beat'],
    ['stopsignal=QUIT\n', 'timeout 1d celery -A proj worker'],
    // The shell or flock in front dies on TERM and timeout never hears of it (celery-shell-without-exec's finding).
    ['', `sh -c "cd /srv && timeout 1d celery -A proj worker"`],
    ['', 'flock /tmp/w.lock timeout 1d celery -A proj worker'],
  ]) {
    assert.deepEqual(findings(worker(extra, command), CODE), [], command);
  }
});

test('no timeout finding for timeout inside a shell in a shell, where the outer shell may keep the signal (review find)', () => {
  assert.deepEqual(findings(worker('killasgroup=true\n', `sh -c "timeout 1d sh -c 'cd /srv && celery -A proj worker'"`), CODE), []);
});
