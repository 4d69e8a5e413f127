import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

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

const hereGroup = (programs: string, fragment = false) => `${fragment ? '' : '[supervisord]\n'}[program:x]\ncommand=ls\n[group:g]\nprograms=${programs}\n`;

test('catches %(here)s in programs=, a folder path no program is named after, as an error in a fragment too', () => {
  for (const text of [hereGroup('%(here)s'), hereGroup('x,%(here)s'), hereGroup('%(here)s', true)]) {
    const [f, ...rest] = findings(text, CODE);
    assert.equal(rest.length, 0, text);
    assert.equal(f?.severity, 'error', text);
    assert.match(f.message, /%\(here\)s is the folder of the config file/);
  }
});

test('does not catch %(here)s cut to nothing, or names only the server knows', () => {
  assert.deepEqual(findings(hereGroup('%(here).0sx'), CODE), []);
  assert.notEqual(findings(hereGroup('%(ENV_GROUP)s'), CODE)[0]?.severity, 'error');
});

test('supervisor agrees on %(here)s in programs=', { skip: oracleUnavailable() }, () => {
  const [alone, withX, cut] = verdictsOf([hereGroup('%(here)s'), hereGroup('x,%(here)s'), hereGroup('%(here).0sx')]);
  assert.match(alone, /names unknown program or fcgi-program \//);
  assert.match(withX, /names unknown program or fcgi-program \//);
  assert.equal(cut, 'ok');
});

test('does not catch programs and fcgi-programs of the file, with spaces', () => {
  assert.deepEqual(findings('[supervisord]\n[program:a]\ncommand=ls\n[fcgi-program:b]\ncommand=ls\nsocket=tcp://h:1\n[group:g]\nprograms= a , b\n', CODE), []);
});

test('the fixes are safe', () => {
  assert.equal(applyFix('[supervisord]\n[program:worker]\ncommand=ls\n[group:g]\nprograms=wroker\n', CODE), '[supervisord]\n[program:worker]\ncommand=ls\n[group:g]\nprograms=worker\n');
  assert.equal(applyFix('[program:a]\ncommand=ls\n[group:g]\nprograms=a,\n', CODE), '[program:a]\ncommand=ls\n[group:g]\nprograms=a\n');
  assert.equal(checker.checkAll('[supervisord]\r\n[program:worker]\r\ncommand=ls\r\n[group:g]\r\nprograms=wroker,\r\n', undefined, [CODE]), 2);
});
