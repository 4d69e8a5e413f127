import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { combineFixes } from '../../../server/src/core/features/codeActions';
import { applyEdits } from '../../../server/src/core/applyEdits';

const CODE = 'runuser-without-double-dash';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string) => applyCheckedFix(text, CODE, undefined, DEFAULT_SETTINGS, checker);
const program = (command: string) => `[program:worker]\ncommand=${command}\ndirectory=/srv/proj\n`;

test('catches `runuser -u app celery -A proj ...` (runuser: invalid option -- \'A\', checked with util-linux 2.38); the fix writes -- before the program and changes nothing else', () => {
  const text = program('runuser -u app /srv/venv/bin/celery -A proj worker -l info');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '-A');
  assert.match(f.message, /"runuser: invalid option -- 'A'" \(exit status 1\)\. \/srv\/venv\/bin\/celery never starts/);
  assert.equal(applyFix(text), program('runuser -u app -- /srv/venv/bin/celery -A proj worker -l info'));
  // Byte for byte: options of runuser before the program, quoting, a continuation line and a comment stay.
  const odd = '[program:worker]\ncommand=env  X=1 runuser  --user=app -g grp  \'celery\'  worker ; note\n    --app=proj\ndirectory=/srv/proj\n';
  assert.equal(textAt(odd, findings(odd, CODE)[0]), '--app=proj');
  assert.equal(applyFix(odd), '[program:worker]\ncommand=env  X=1 runuser  --user=app -g grp  -- \'celery\'  worker ; note\n    --app=proj\ndirectory=/srv/proj\n');
});

test('catches the options runuser refuses with -u (-l is its --login, -c its --command), -h/-V (it prints and exits), ambiguous and unknown long ones', () => {
  const cases: [string, string, RegExp][] = [
    ['runuser -u app celery worker -l info', '-l', /-l \(--login\), which it refuses with -u.*mutually exclusive/],
    ['runuser -u app celery worker -c 4 -A proj', '-A', /invalid option -- 'A'/], // getopt stops at -A before -c is judged
    ['runuser -u app celery worker -c 4', '-c', /--command/],
    ['runuser -u app celery beat -s /var/run/schedule', '-s', /--shell/],
    ['runuser -u app celery worker --loglevel=info', '--loglevel=info', /unrecognized option '--loglevel=info'/],
    ['runuser -u app celery worker --p', '--p', /option '--p' is ambiguous/],
    ['runuser -u app celery -V', '-V', /prints that and exits/],
    ['runuser -u app python -m celery -A proj worker', '-m', /invalid option -- 'A'/],
  ];
  for (const [command, word, message] of cases) {
    const text = program(command);
    const found = findings(text, CODE);
    assert.equal(found.length, 1, command);
    assert.equal(textAt(text, found[0]), word === '-m' ? '-A' : word, command);
    assert.match(found[0].message, message, command);
  }
});

test('catches options that runuser silently keeps (-P is its --pty, -u another user), naming what the program loses', () => {
  const text = program('runuser -u app celery worker -P gevent');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '-P');
  assert.match(f.message, /-P \(--pty\): runuser keeps it, and celery runs without it, and gets `gevent` on its own \(Celery refuses/);
  const user = findings(program('runuser -u app celery worker -u root'), CODE)[0];
  assert.match(user.message, /`root` as its value.*as the user or group it names/);
  // Another program: the stray word is its business, not Celery's (review find).
  const other = findings(program('runuser -u app /usr/bin/python3 app.py -P foo'), CODE)[0];
  assert.match(other.message, /gets `foo` on its own\. Write/);
});

test('does not catch runuser with --, a program without options, su-style runuser -c, other wrappers (they stop at the program: checked here), or runuser as an argument', () => {
  for (const command of [
    'runuser -u app -- celery -A proj worker -l info',
    'runuser -u app -g grp -- celery -A proj worker',
    'runuser -u app celery worker',
    'runuser -u app celery worker - x',
    'runuser -u app celery worker -- -A proj',
    'runuser app -c "celery -A proj worker -l info"',
    'runuser -l app -c "exec celery -A proj worker"',
    'timeout 1d celery -A proj worker -l info -s x',
    'nice -n 5 ionice -c 3 stdbuf -oL celery -A proj worker -l info',
    'flock /tmp/lock celery -A proj worker -n x -F',
    'env -u X celery -A proj worker -u y',
    'sudo -u app celery -A proj worker -l info',
    'celery -A proj worker -n runuser -l info',
  ]) {
    assert.deepEqual(findings(program(command), CODE), [], command);
  }
});

test('fixes that add a Celery option behind runuser -u without -- write -- too, so they do not make runuser refuse the worker; Fix all writes it once', () => {
  const text = program('runuser -u app celery worker');
  assert.deepEqual(findings(text, CODE), []);
  const fixed = applyCheckedFix(text, 'celery-loglevel-missing', undefined, DEFAULT_SETTINGS, checker);
  assert.equal(fixed, program('runuser -u app -- celery worker -l info'));
  assert.deepEqual(findings(fixed, CODE), []);
  // Two fixes insert -- at the same place: Fix all takes one per pass, the next pass finds -- written.
  let all = text;
  for (let pass = 0; pass < 5; pass++) {
    const { edits } = combineFixes(findings(all), true);
    if (!edits.length) break;
    all = applyEdits(all, edits);
  }
  assert.match(all, /^command=runuser -u app -- celery worker( -\S+ \S+)+$/m);
  assert.equal(all.match(/ -- /g)?.length, 1, all);
  assert.deepEqual(findings(all, CODE), []);
  // Not behind runuser, or with -- already: the fix is the option alone.
  assert.equal(applyCheckedFix(program('runuser -u app -- celery worker'), 'celery-loglevel-missing', undefined, DEFAULT_SETTINGS, checker), program('runuser -u app -- celery worker -l info'));
  assert.equal(applyCheckedFix(program('sudo -u app celery worker'), 'celery-loglevel-missing', undefined, DEFAULT_SETTINGS, checker), program('sudo -u app celery worker -l info'));
  // A later -- already ends runuser's options (getopt takes the first): a second one would reach Celery (review find).
  assert.equal(applyCheckedFix(program('runuser -u app celery -- worker'), 'celery-loglevel-missing', undefined, DEFAULT_SETTINGS, checker), program('runuser -u app celery -- worker -l info'));
});

test('fixes that add an option to a wrapper behind runuser -u without -- (timeout --foreground, flock -F) write -- too', () => {
  const timeout = program('runuser -u app timeout 1d celery worker');
  assert.deepEqual(findings(timeout, CODE), []);
  // runuser would read --foreground as its own: "runuser: unrecognized option '--foreground'" (util-linux 2.38.1).
  const fixed = applyCheckedFix(timeout, 'celery-stopasgroup-prefork', undefined, DEFAULT_SETTINGS, checker);
  assert.equal(fixed, program('runuser -u app -- timeout --foreground 1d celery worker'));
  assert.deepEqual(findings(fixed, CODE), []);
  const flock = program('runuser -u app flock /tmp/lock celery worker');
  const f = findings(flock, 'celery-shell-without-exec').find((x) => x.fixes?.some((fix) => fix.title.startsWith('Write flock -F')));
  assert.ok(f);
  const edits = f.fixes!.find((fix) => fix.title.startsWith('Write flock -F'))!.edits;
  const after = applyEdits(flock, edits);
  assert.equal(after, program('runuser -u app -- flock -F /tmp/lock celery worker'));
  assert.deepEqual(findings(after, CODE), []);
});
