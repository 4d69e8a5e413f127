import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'numprocs-zero';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches numprocs=0 and negative values', () => {
  for (const n of ['0', '-1', ' 0']) {
    const [f] = findings(`[program:w]\ncommand=ls\nnumprocs=${n}\n`, CODE);
    assert.equal(f.severity, 'warning', n);
  }
});

test('does not catch positive or unknown numprocs', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs=1\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs=%(ENV_N)s\n', CODE), []);
});
