import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'memmon-invalid-option';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = '[program:worker]\ncommand=celery -A p worker -l info -P gevent -c 10\n';
const memmon = (command: string) => `${worker}\n[eventlistener:memmon]\ncommand=${command}\nevents=TICK_60\n`;

test('catches a getopt error (unknown option, missing value), on the option, with getopt\'s words', () => {
  for (const [command, at, said] of [
    ['memmon -x -p worker=512MB', '-x', 'option -x not recognized'],
    ['memmon -c -p', '-p', 'option -p requires argument'],
    ['memmon --cumulative=yes -p worker=512MB', '--cumulative=yes', 'option --cumulative must not have an argument'],
    ['memmon -p worker=512MB --bogus', '--bogus', 'option --bogus not recognized'],
  ]) {
    const text = memmon(command);
    const [f, ...rest] = findings(text, CODE);
    assert.equal(rest.length, 0, command);
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), at, command);
    assert.match(f.message, new RegExp(`"${said}"`), command);
    assert.match(f.message, /exits at start/);
  }
});

test("catches the docs' --groupname= and fixes it to --group=, which memmon.py knows", () => {
  const text = memmon('memmon -c --groupname=worker=512MB');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '--groupname');
  assert.equal(applyFix(text, CODE), memmon('memmon -c --group=worker=512MB'));
  assert.deepEqual(findings(applyFix(text, CODE), CODE), []);
  checker.checkAll(text, undefined, [CODE]);
});

test('catches memmon without options, -h, and an -u time memmon cannot read', () => {
  assert.equal(textAt(memmon('memmon'), findings(memmon('memmon'), CODE)[0]), 'memmon');
  const help = memmon('memmon -c -p worker=512MB -h');
  assert.equal(textAt(help, findings(help, CODE)[0]), '-h');
  for (const bad of ['2w', '1.5h', 'soon', '']) {
    const text = memmon(`memmon -c -p worker=512MB -u '${bad}'`);
    const [f] = findings(text, CODE);
    assert.ok(f, bad);
    assert.match(f.message, /Unparseable value for time/);
  }
});

test('does not catch valid options: prefixes getopt accepts, -u with a suffix, sizes (memmon-invalid-size reports those)', () => {
  for (const command of [
    'memmon -c -p worker=512MB',
    'memmon --cum --prog=worker=512MB --sendmail=/usr/sbin/sendmail -m ops@example.com -u 2d -n prod',
    'memmon -cp worker=1GB -u 3600 -a 2GB',
    'memmon -c -u 10M -g worker=512MB',
    'memmon -p worker=256M',
    'memmon -p worker',
  ]) {
    assert.deepEqual(findings(memmon(command), CODE), [], command);
  }
});
