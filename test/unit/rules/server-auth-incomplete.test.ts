import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'server-auth-incomplete';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a username without password and the reverse', () => {
  assert.equal(findings('[inet_http_server]\nport=9001\nusername=u\n', CODE)[0].severity, 'error');
  assert.equal(findings('[unix_http_server]\nfile=/tmp/s\npassword=p\n', CODE).length, 1);
});

test('does not catch both, neither, or [supervisorctl]', () => {
  assert.deepEqual(findings('[inet_http_server]\nport=9001\nusername=u\npassword=p\n', CODE), []);
  assert.deepEqual(findings('[inet_http_server]\nport=9001\n[supervisorctl]\nusername=u\n', CODE), []);
});
