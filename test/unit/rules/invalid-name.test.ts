import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'invalid-name';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a space, : or / in a program or group name', () => {
  const text = '[program:my app]\ncommand=ls\n[group:a/b]\nprograms=x\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 2);
  assert.equal(textAt(text, fs[0]), 'my app');
  assert.equal(fs[0].severity, 'error');
});

test('does not catch an empty name, brackets, templated names or other kinds', () => {
  assert.deepEqual(findings('[program:]\ncommand=ls\n[program:a[1]]\ncommand=ls\n[rpcinterface:a b]\nsupervisor.rpcinterface_factory=x:y\n', CODE), []);
  assert.deepEqual(findings('[program:{{ name }}]\ncommand=ls\n', CODE), []);
});
