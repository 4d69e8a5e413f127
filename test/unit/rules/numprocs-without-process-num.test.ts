import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'numprocs-without-process-num';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches numprocs > 1 with the default or a fixed process_name', () => {
  const text = '[program:w]\ncommand=ls\nnumprocs=2\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '2');
  assert.equal(findings('[program:w]\ncommand=ls\nnumprocs=3\nprocess_name=%(program_name)s\n', CODE).length, 1);
});

test('does not catch numprocs 1, %(process_num) in any form, or env-dependent numprocs', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs=1\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=w-%(process_num)d\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs=%(ENV_N)s\n', CODE), []);
});

test('the fixes add or extend process_name and are safe', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls\nnumprocs=2\nuser=app\n', CODE), '[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\nuser=app\n');
  assert.equal(applyFix('[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=worker\n', CODE), '[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=worker_%(process_num)02d\n');
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls ; x\r\nnumprocs = 4\r\n', undefined, [CODE]), 1);
});

test('the added process_name line is indented as the keys around it, so it swallows none of them', () => {
  const text = '[program:w]\n  command=sleep 10\n  numprocs=2\n  autostart=false\n';
  assert.equal(applyFix(text, CODE), text.replace('numprocs=2\n', 'numprocs=2\n  process_name=%(program_name)s_%(process_num)02d\n'));
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
});
