import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-stop-signal';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const worker = (extra: string, command = 'celery -A proj worker') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches HUP, USR1, USR2, QUIT and KILL as warnings, anchored on the value', () => {
  for (const sig of ['HUP', 'USR1', 'USR2', 'QUIT', 'KILL']) {
    const text = worker(`stopsignal=${sig}\n`);
    const [f] = findings(text, CODE);
    assert.equal(f.severity, 'warning', sig);
    assert.equal(textAt(text, f), sig);
  }
});

test('catches INT as information', () => {
  const [f] = findings(worker('stopsignal=INT\n'), CODE);
  assert.equal(f.severity, 'information');
});

test('catches the SIG prefix, any case, and portable signal numbers', () => {
  for (const sig of ['SIGHUP', 'sigquit', 'Kill', '9', '3', '1']) assert.equal(findings(worker(`stopsignal = ${sig} ; why not\n`), CODE).length, 1, sig);
  assert.equal(findings(worker('stopsignal=2\n'), CODE)[0].severity, 'information');
});

test('does not catch TERM in any spelling, beat, flower, or other programs', () => {
  for (const sig of ['TERM', 'SIGTERM', 'term', '15']) assert.deepEqual(findings(worker(`stopsignal=${sig}\n`), CODE), [], sig);
  assert.deepEqual(findings(worker('stopsignal=QUIT\n', 'celery -A proj beat'), CODE), []);
  assert.deepEqual(findings(worker('stopsignal=INT\n', 'celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(worker('stopsignal=KILL\n', 'redis-server'), CODE), []);
});

test('the fix removes stopsignal, earlier duplicates too', () => {
  assert.equal(applyFix(worker('stopsignal=QUIT\nuser=app\n'), CODE), worker('user=app\n'));
  assert.equal(applyFix(worker('stopsignal=TERM\nstopsignal=HUP\nuser=app\n'), CODE), worker('user=app\n'));
});

test('the fix is safe: CRLF, comments, last line without newline', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj worker\r\n; stop it hard\r\nstopsignal=KILL\r\nuser=app\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A proj worker\nstopsignal=INT', undefined, [CODE]), 1);
});
