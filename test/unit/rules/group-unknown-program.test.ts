import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'group-unknown-program';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('in a main file without [include] an unknown member is an error', () => {
  const text = '[supervisord]\n[program:worker]\ncommand=ls\n[group:g]\nprograms=worker,beat\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'beat');
});

test('in a fragment or with [include] it depends on what the file holds', () => {
  assert.equal(findings('[group:g]\nprograms=gunicorn,celery\n', CODE)[0].severity, 'information', 'a file that only groups');
  assert.equal(findings('[program:worker]\ncommand=ls\n[group:g]\nprograms=worker,beat\n', CODE)[0].severity, 'warning');
  assert.equal(findings('[supervisord]\n[include]\nfiles=*.conf\n[group:g]\nprograms=x\n', CODE)[0].severity, 'information');
});

test('event listeners, empty entries and ambiguous names are errors everywhere', () => {
  assert.equal(findings('[eventlistener:l]\ncommand=ls\nevents=TICK_5\n[group:g]\nprograms=l\n', CODE)[0].severity, 'error');
  assert.equal(findings('[program:a]\ncommand=ls\n[group:g]\nprograms=a,\n', CODE)[0].severity, 'error');
  assert.equal(findings('[program:a]\ncommand=ls\n[fcgi-program:a]\ncommand=ls\nsocket=tcp://h:1\n[group:g]\nprograms=a\n', CODE)[0].severity, 'error');
});

test('does not catch programs and fcgi-programs of the file, with spaces', () => {
  assert.deepEqual(findings('[supervisord]\n[program:a]\ncommand=ls\n[fcgi-program:b]\ncommand=ls\nsocket=tcp://h:1\n[group:g]\nprograms= a , b\n', CODE), []);
});

test('the fixes are safe', () => {
  assert.equal(applyFix('[supervisord]\n[program:worker]\ncommand=ls\n[group:g]\nprograms=wroker\n', CODE), '[supervisord]\n[program:worker]\ncommand=ls\n[group:g]\nprograms=worker\n');
  assert.equal(applyFix('[program:a]\ncommand=ls\n[group:g]\nprograms=a,\n', CODE), '[program:a]\ncommand=ls\n[group:g]\nprograms=a\n');
  assert.equal(checker.checkAll('[supervisord]\r\n[program:worker]\r\ncommand=ls\r\n[group:g]\r\nprograms=wroker,\r\n', undefined, [CODE]), 2);
});
