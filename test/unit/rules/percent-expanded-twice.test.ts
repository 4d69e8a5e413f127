import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'percent-expanded-twice';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches %% in the log keys and [supervisord] environment', () => {
  for (const text of ['[program:w]\ncommand=ls\nstdout_logfile=/l/50%%.log\n', '[program:w]\ncommand=ls\nstderr_logfile=/l/%%.log\n', '[supervisord]\nenvironment=A="50%%"\n']) {
    const [f] = findings(text, CODE);
    assert.ok(f, text);
    assert.equal(f.severity, 'error');
    assert.ok(textAt(text, f).startsWith('%%'), textAt(text, f));
  }
});

test('does not catch %%%%, %% elsewhere, or %%(name)s', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls 50%%\nstdout_logfile=/l/50%%%%.log\nenvironment=A="50%%"\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstdout_logfile=/l/%%(program_name)s.log\n', CODE), []);
});

test('the fix writes %%%% and is safe', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls\nstdout_logfile=/l/50%%.log\n', CODE), '[program:w]\ncommand=ls\nstdout_logfile=/l/50%%%%.log\n');
  assert.equal(checker.checkAll('[supervisord]\r\nenvironment=A="50%%" ; pct\r\n', undefined, [CODE]), 1);
});
