import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'stopasgroup-without-killasgroup';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches stopasgroup=true with killasgroup=false in any spelling', () => {
  const text = '[program:w]\ncommand=ls\nstopasgroup=yes\nkillasgroup=Off\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'Off');
});

test('does not catch the valid combinations', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstopasgroup=true\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstopasgroup=true\nkillasgroup=true\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstopasgroup=false\nkillasgroup=false\n', CODE), []);
});

test('the fix removes killasgroup (every copy) and is safe', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls\nkillasgroup=false\nstopasgroup=true\nkillasgroup=false\n', CODE), '[program:w]\ncommand=ls\nstopasgroup=true\n');
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls\r\n; stop the pool\r\nstopasgroup=true\r\nkillasgroup=false\r\n', undefined, [CODE]), 1);
});
