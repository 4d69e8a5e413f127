import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'misplaced-key';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches keys of another section kind', () => {
  const text = '[supervisord]\nserverurl=unix:///tmp/s\n[program:w]\ncommand=ls\nloglevel=debug\nevents=TICK_60\n';
  const fs = findings(text, CODE);
  assert.deepEqual(fs.map((f) => textAt(text, f)), ['serverurl', 'loglevel', 'events']);
  assert.match(fs[1].message, /\[supervisord\]/);
});

test('suggests the equivalent key of this kind', () => {
  const text = '[supervisord]\nstdout_logfile=/var/log/s.log\n';
  assert.match(findings(text, CODE)[0].message, /Did you mean logfile\?/);
  assert.equal(applyFix(text, CODE), '[supervisord]\nlogfile=/var/log/s.log\n');
  assert.equal(applyFix('[program:w]\ncommand=ls\nlogfile=/var/log/w.log\n', CODE), '[program:w]\ncommand=ls\nstdout_logfile=/var/log/w.log\n');
});

test('does not catch keys valid in the section or unknown keys', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nuser=app\n[supervisord]\nuser=root\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nfoo=1\n', CODE), []);
});

test('the fix is safe', () => {
  assert.equal(checker.checkAll('[supervisord]\r\nstdout_logfile = /tmp/s.log ; log\r\n', undefined, [CODE]), 1);
});
