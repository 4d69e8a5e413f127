import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'unknown-section';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a wrong case, a typo and a named kind without its name', () => {
  const text = '[Program:worker]\ncommand=ls\n[groups:g]\nprograms=worker\n[program]\ncommand=ls\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 3);
  assert.match(fs[0].message, /case-sensitive/);
  assert.match(fs[1].message, /Did you mean \[group:g\]/);
  assert.match(fs[2].message, /needs a name/);
  assert.equal(fs[0].severity, 'warning');
  assert.equal(textAt(text, fs[0]), '[Program:worker]');
});

test('does not catch known kinds, [DEFAULT], server prefixes or templated headers', () => {
  const text = '[DEFAULT]\na=1\n[unix_http_server]\nfile=/tmp/s\n[inet_http_server:extra]\nport=9001\n[program:{{ name }}]\ncommand=ls\n';
  assert.deepEqual(findings(text, CODE), []);
});

test('the rename fix is offered only when supervisor would accept the renamed section', () => {
  assert.equal(applyFix('[Program:w]\ncommand=ls\n', CODE), '[program:w]\ncommand=ls\n');
  assert.equal(findings('[Program:w]\nnumprocs=x\n', CODE)[0].fixes.length, 0, 'no command and a bad numprocs');
  assert.equal(findings('[groups:g]\nprograms=missing\n', CODE)[0].fixes.length, 0, 'the group would name an unknown program');
  assert.equal(findings('[program:w]\ncommand=ls\n[Program:w]\ncommand=ls\n', CODE)[0].fixes.length, 0, 'the target exists');
});

test('the fix is safe: CRLF, comments, repeated headers', () => {
  const text = '; main\r\n[supervisord]\r\n[Program:w] ; worker\r\ncommand=ls\r\n[Program:w]\r\nautostart=true\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
});
