import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'eventlistener-redirect-stderr';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches redirect_stderr=true in an event listener', () => {
  const text = '[eventlistener:l]\ncommand=ls\nevents=TICK_60\nredirect_stderr=TRUE\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'TRUE');
});

test('does not catch programs or redirect_stderr=false', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nredirect_stderr=true\n', CODE), []);
  assert.deepEqual(findings('[eventlistener:l]\ncommand=ls\nevents=TICK_60\nredirect_stderr=false\n', CODE), []);
});

test('the fix removes the line and is safe', () => {
  assert.equal(applyFix('[eventlistener:l]\ncommand=ls\nredirect_stderr=true\nevents=TICK_60\n', CODE), '[eventlistener:l]\ncommand=ls\nevents=TICK_60\n');
  assert.equal(checker.checkAll('[eventlistener:l]\r\ncommand=ls\r\nevents=TICK_60\r\nredirect_stderr=true ; no\r\n', undefined, [CODE]), 1);
});
