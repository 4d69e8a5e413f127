import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'unknown-expansion';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a name supervisor never offers, with a did-you-mean', () => {
  const text = '[program:w]\ncommand=ls %(process_number)s\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /Did you mean %\(process_num\)s/);
  assert.equal(textAt(text, f), '%(process_number)s');
});

test('does not catch ENV_ names or known names', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls %(ENV_ANYTHING)s %(here)s %(group_name)s\n', CODE), []);
});

test('does not catch the socket keys of an fcgi-program a group lists: supervisor never reads them', () => {
  for (const keys of ['socket=unix:///tmp/%(bogus)s.sock']) {
    const alone = `[supervisord]\n[fcgi-program:f]\ncommand=ls\n${keys}\n`;
    assert.equal(findings(alone, CODE)[0]?.severity, 'error', keys);
    assert.deepEqual(findings(`${alone}[group:g]\nprograms=f\n`, CODE), [], keys);
  }
});

test('the fix renames and is safe', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls %(programname)s\n', CODE), '[program:w]\ncommand=ls %(program_name)s\n');
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls %(process_number)02d ; n\r\n', undefined, [CODE]), 1);
});
