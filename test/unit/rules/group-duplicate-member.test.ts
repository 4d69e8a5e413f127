import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'group-duplicate-member';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a program in two groups, or twice in one', () => {
  assert.equal(findings('[program:a]\ncommand=ls\n[group:g]\nprograms=a\n[group:h]\nprograms=a\n', CODE).length, 1);
  assert.equal(findings('[program:a]\ncommand=ls\n[group:g]\nprograms=a,a\n', CODE)[0].severity, 'warning');
});

test('does not catch distinct members', () => {
  assert.deepEqual(findings('[program:a]\ncommand=ls\n[program:b]\ncommand=ls\n[group:g]\nprograms=a\n[group:h]\nprograms=b\n', CODE), []);
});
