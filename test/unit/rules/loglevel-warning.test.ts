import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'loglevel-warning';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches warning in any case', () => {
  for (const v of ['warning', 'WARNING', 'Warning']) {
    const text = `[supervisord]\nloglevel=${v}\n`;
    const [f] = findings(text, CODE);
    assert.equal(f.severity, 'error');
    assert.equal(textAt(text, f), v);
  }
});

test('does not catch warn, other sections or overridden values', () => {
  assert.deepEqual(findings('[supervisord]\nloglevel=warn\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nloglevel=warning\n', CODE), []);
  assert.deepEqual(findings('[supervisord]\nloglevel=warning\nloglevel=info\n', CODE), []);
});

test('the fix writes warn and is safe', () => {
  assert.equal(applyFix('[supervisord]\nloglevel = warning ; quiet\n', CODE), '[supervisord]\nloglevel = warn ; quiet\n');
  assert.equal(checker.checkAll('[supervisord]\r\nloglevel=warning\r\n', undefined, [CODE]), 1);
});
