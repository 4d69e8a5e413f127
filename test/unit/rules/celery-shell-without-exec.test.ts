import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-shell-without-exec';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string) => applyCheckedFix(text, CODE, undefined, DEFAULT_SETTINGS, checker);
const program = (command: string, extra = '') => `[program:worker]\ncommand=${command}\ndirectory=/srv/myauth\n${extra}`;

test('catches Celery under sh -c without exec (dash forks and dies on TERM, leaving Celery running); the fix writes exec', () => {
  const text = program('sh -c "cd /srv/myauth && /srv/venv/bin/celery -A myauth worker -l info"');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '/srv/venv/bin/celery');
  assert.match(f.message, /stop signal to the shell of 'worker'.*dash, Debian's and Ubuntu's sh.*a restart starts a second one/);
  assert.equal(applyFix(text), program('sh -c "cd /srv/myauth && exec /srv/venv/bin/celery -A myauth worker -l info"'));
  // A single command too (dash forks for it), after an assignment, through a wrapper, and beat.
  assert.equal(applyFix(program("/bin/sh -c 'celery -A myauth worker'")), program("/bin/sh -c 'exec celery -A myauth worker'"));
  assert.equal(applyFix(program("sh -c 'X=1 nice -n 5 celery -A myauth worker'")), program("sh -c 'X=1 exec nice -n 5 celery -A myauth worker'"));
  assert.equal(findings(program('sh -c "celery -A myauth beat -l info"'), CODE).length, 1);
});

test('catches bash where it keeps Celery as its child: a redirection, a pipe, & or a later command; a fix only where exec changes nothing else', () => {
  const redirected = program('bash -c "celery -A myauth worker -l info >> /var/log/celery.log 2>&1"');
  assert.equal(findings(redirected, CODE).length, 1);
  assert.equal(applyFix(redirected), program('bash -c "exec celery -A myauth worker -l info >> /var/log/celery.log 2>&1"'));
  for (const command of ['bash -c "celery -A myauth worker | tee /tmp/w.log"', 'bash -c "celery -A myauth worker; echo stopped"', 'bash -c "celery -A myauth worker &"', 'bash -c "(cd /srv && celery -A myauth worker)"']) {
    const [f] = findings(program(command), CODE);
    assert.ok(f, command);
    assert.deepEqual(f.fixes, [], command);
    assert.match(f.message, /make it the last command of the script/, command);
  }
});

test('does not catch exec, bash with Celery as its only or last plain command (it replaces itself), stopasgroup=true, other shells, or no shell', () => {
  for (const command of [
    'sh -c "cd /srv/myauth && exec celery -A myauth worker"',
    'bash -c "celery -A myauth worker -l info"',
    'bash -c "source /srv/venv/bin/activate && celery -A myauth worker -l info"',
    '/bin/bash -lc "cd /srv; celery -A myauth worker"',
    'zsh -c "cd /srv && celery -A myauth worker"',
    '/srv/venv/bin/celery -A myauth worker -l info',
    'sh -c "cd /srv && celery multi start w1 -A myauth"',
  ]) {
    assert.deepEqual(findings(program(command), CODE), [], command);
  }
  assert.deepEqual(findings(program('sh -c "cd /srv && celery -A myauth worker"', 'stopasgroup=true\n'), CODE), [], 'the group gets the signal');
  assert.equal(findings(program('sh -c "cd /srv && celery -A myauth worker"', 'killasgroup=true\n'), CODE).length, 1, 'the shell exits on TERM: no SIGKILL follows');
});

test('a script that traps the stop signal and passes it on to Celery is not reported (checked with dash: Celery gets TERM)', () => {
  const forwarding = `sh -c "trap 'kill -TERM \\$child; wait \\$child' TERM INT; celery -A myauth worker -l info & child=\\$!; wait \\$child"`;
  assert.deepEqual(findings(program(forwarding), CODE), []);
  assert.deepEqual(findings(program(`bash -c 'trap "kill \\$pid" SIGTERM; celery -A myauth worker >> /tmp/w.log 2>&1 & pid=\\$!; wait'`), CODE), [], 'SIGTERM');
  assert.deepEqual(findings(program(`sh -c 'trap "kill \\$pid" 15; celery -A myauth worker & pid=\\$!; wait'`), CODE), [], 'by number');
  // A trap of another signal than the one supervisor sends, an EXIT trap, or TERM ignored or reset: the shell still dies (or never tells Celery).
  assert.equal(findings(program(`sh -c "trap 'kill \\$c' TERM; celery -A myauth worker & c=\\$!; wait"`, 'stopsignal=INT\n'), CODE).length, 1, 'stopsignal=INT');
  for (const trap of [`trap 'rm -f /tmp/x' EXIT`, `trap '' TERM`, 'trap - TERM']) {
    assert.equal(findings(program(`sh -c "${trap}; cd /srv && celery -A myauth worker"`), CODE).length, 1, trap);
  }
});

test('Celery in the background of a script that does not wait for it: the shell exits at once, and the message says so', () => {
  for (const command of ['sh -c "cd /srv && nohup celery -A myauth worker -l info &"', 'bash -c "celery -A myauth worker -l info & echo started"']) {
    const [f, ...rest] = findings(program(command), CODE);
    assert.ok(f, command);
    assert.deepEqual(rest, [], command);
    assert.match(f.message, /starts Celery in the background \(&\) and exits without waiting for it: supervisor sees 'worker' exit at once/, command);
    assert.doesNotMatch(f.message, /and waits/, command);
    assert.deepEqual(f.fixes, [], command);
  }
  // With a wait after it the shell does wait, and dies on TERM.
  const [waited] = findings(program('sh -c "celery -A myauth worker -l info & wait"'), CODE);
  assert.match(waited.message, /and waits, so on TERM the shell exits/);
});

test('a trap does not help Celery in the foreground (dash runs it only once the child has exited), nor one of another signal than stopsignal= (review)', () => {
  assert.equal(findings(program(`sh -c "trap 'echo bye' TERM; cd /srv && celery -A myauth worker"`), CODE).length, 1);
  const forwarded = `sh -c "trap 'kill -TERM $child' TERM; celery -A myauth worker & child=$!; wait $child"`;
  assert.deepEqual(findings(program(forwarded), CODE), []);
  assert.equal(findings(program(forwarded, 'stopsignal=10\n'), CODE).length, 1, 'USR1: the trap of TERM does not catch it');
});

test('catches Celery under flock without -F (flock dies on TERM and leaves Celery running); the fix, not preferred, writes -F', () => {
  const text = program('/usr/bin/flock -n /tmp/worker.lock /srv/venv/bin/celery -A myauth worker -l info');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), '/usr/bin/flock');
  assert.match(f.message, /stop signal to flock, not to Celery.*flock -F \(--no-fork, util-linux 2\.38 and later\)/);
  assert.equal(f.fixes.length, 1);
  assert.equal(f.fixes[0].isPreferred, false);
  assert.equal(f.fixes[0].safeForFixAll, false, 'older util-linux (Ubuntu 22.04: 2.37) has no -F, and flock would not start');
  assert.equal(applyFix(text), program('/usr/bin/flock -F -n /tmp/worker.lock /srv/venv/bin/celery -A myauth worker -l info'));
  // Behind other wrappers, with beat, and with flock's own options and -c script.
  assert.equal(findings(program('nice -n 5 flock --timeout 30 /var/lock/beat celery -A myauth beat'), CODE).length, 1);
  assert.equal(findings(program('flock /tmp/w.lock -c "exec celery -A myauth worker"'), CODE).length, 1);
  // flock in front of sh -c without exec: the signal stops at flock, the first of the two; once it is fixed, the shell.
  const [first, ...others] = findings(program('flock /tmp/w.lock sh -c "cd /srv && celery -A myauth worker"'), CODE);
  assert.deepEqual(others, []);
  assert.match(first.message, /stop signal to flock/);
  assert.match(findings(program('flock -F /tmp/w.lock sh -c "cd /srv && celery -A myauth worker"'), CODE)[0].message, /to the shell of 'worker'/);
});

test('does not catch a shell or flock behind timeout without --foreground: timeout passes the signal on to its whole group, Celery included (review find)', () => {
  assert.deepEqual(findings(program('timeout 1d sh -c "cd /srv && /venv/bin/celery -A proj worker -l info"', 'killasgroup=true\nstopwaitsecs=600\n'), CODE), []);
  assert.deepEqual(findings(program('timeout 1d flock /tmp/l /venv/bin/celery -A proj worker'), CODE), []);
  // Inside the shell, timeout is behind it: the shell still keeps the signal.
  assert.equal(findings(program('sh -c "cd /srv && timeout 1d /venv/bin/celery -A proj worker"'), CODE).length, 1);
});

test('catches su and runuser with a stop signal other than TERM, which they neither pass on nor act on (review find)', () => {
  const text = program('su app -c "exec /venv/bin/celery -A proj worker"', 'stopsignal=INT\n');
  const [f, ...rest] = findings(text, CODE);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), 'su');
  assert.match(f.message, /stopsignal=INT to su.*passes on TERM alone.*Celery never hears of the stop/);
  assert.deepEqual(f.fixes, []);
  assert.equal(findings(program('runuser -u app -- /venv/bin/celery -A proj worker', 'stopsignal=QUIT\n'), CODE).length, 1);
  // TERM is passed on (celery-stopwaitsecs-short tells of the SIGKILL 2 s later); an unreadable signal is not judged.
  assert.deepEqual(findings(program('su app -c "exec /venv/bin/celery -A proj worker"'), CODE), []);
  assert.deepEqual(findings(program('su app -c "exec /venv/bin/celery -A proj worker"', 'stopsignal=%(ENV_STOP)s\n'), CODE), []);
});

test('does not catch flock -F or --no-fork, flock with stopasgroup=true, nor wrappers that exec or pass the signal on', () => {
  for (const command of [
    'flock -F /tmp/w.lock celery -A myauth worker',
    'flock --no-fork -n /tmp/w.lock celery -A myauth worker',
    'timeout 1d celery -A myauth worker',
    'nice -n 10 ionice -c3 stdbuf -oL celery -A myauth worker',
    'sudo -u app celery -A myauth worker',
    'runuser -u app -- celery -A myauth worker',
    'uv run celery -A myauth worker',
  ]) {
    assert.deepEqual(findings(program(command), CODE), [], command);
  }
  assert.deepEqual(findings(program('flock /tmp/w.lock celery -A myauth worker', 'stopasgroup=true\n'), CODE), []);
});

test('a shell in a shell: only what the inner shell does is judged, since whether the outer one waits is not followed (review find)', () => {
  const [f, ...rest] = findings(program(`sh -c "timeout 1d sh -c 'cd /srv && celery -A proj worker'"`), CODE);
  assert.deepEqual(rest, []);
  assert.match(f.message, /to the shell of 'worker'/);
  // su's shell inside sh's script: the message would name su, but sh gets the signal first.
  assert.deepEqual(findings(program(`sh -c "cd /srv && su app -c 'exec celery -A proj worker'"`, 'stopsignal=INT\n'), CODE), []);
  // The stop signal as written.
  assert.match(findings(program('su app -c "exec celery -A proj worker"', 'stopsignal=2\n'), CODE)[0].message, /sends stopsignal=2 to su/);
});
