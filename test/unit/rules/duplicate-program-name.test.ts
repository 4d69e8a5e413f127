import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'duplicate-program-name';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches one name under two process kinds, and a group named like an ungrouped program', () => {
  assert.equal(findings('[program:x]\ncommand=ls\n[eventlistener:x]\ncommand=ls\nevents=TICK_5\n', CODE)[0].severity, 'warning');
  assert.equal(findings('[program:x]\ncommand=ls\n[fcgi-program:x]\ncommand=ls\nsocket=tcp://h:1\n', CODE).length, 1);
  assert.equal(findings('[program:x]\ncommand=ls\n[program:y]\ncommand=ls\n[group:x]\nprograms=y\n', CODE).length, 1);
});

test('does not catch a group named like one of its own members, or repeated headers', () => {
  assert.deepEqual(findings('[program:x]\ncommand=ls\n[group:x]\nprograms=x\n', CODE), []);
  assert.deepEqual(findings('[program:x]\ncommand=ls\n[program:x]\nautostart=true\n', CODE), []);
});
