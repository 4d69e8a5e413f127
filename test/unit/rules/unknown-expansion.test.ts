import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

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

test('in process_name with numprocs <= 0 it is only a warning: supervisor expands process_name per process, and there is none', () => {
  const text = (numprocs: string) => `[supervisord]\n[program:x]\ncommand=ls\nnumprocs=${numprocs}\nprocess_name=%(bogus)s\n`;
  assert.equal(findings(text('0'))[0]?.severity, 'warning');
  assert.deepEqual(findings(text('0')).filter((f) => f.severity === 'error'), []);
  assert.deepEqual(findings(text('-3')).filter((f) => f.severity === 'error'), []);
  const [f] = findings(text('0'), CODE);
  assert.match(f.message, /as soon as numprocs is above 0/);
  assert.equal(findings(text('1'), CODE)[0].severity, 'error');
});

test('supervisor agrees: process_name is expanded only when numprocs is above 0, its characters are checked always', { skip: oracleUnavailable() }, () => {
  const text = (numprocs: string, name: string) => `[supervisord]\n[program:x]\ncommand=ls\nnumprocs=${numprocs}\nprocess_name=${name}\n`;
  const names = ['%(bogus)s', '%', '%(program_name)d'];
  const texts = [...names.map((n) => text('0', n)), ...names.map((n) => text('-3', n)), ...names.map((n) => text('1', n)), text('0', 'my worker')];
  const verdicts = verdictsOf(texts);
  texts.forEach((t, i) => {
    const errors = findings(t).filter((f) => f.severity === 'error');
    assert.equal(errors.length > 0, verdicts[i] !== 'ok', `${t}: supervisor says ${verdicts[i]}`);
  });
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
