import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'rpcinterface-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a main file with a server but no [rpcinterface:supervisor]', () => {
  const text = '[unix_http_server]\nfile=/tmp/s.sock\n[supervisord]\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[unix_http_server]');
});

test('with [include] it is information, and fragments are never reported', () => {
  assert.equal(findings('[supervisord]\n[inet_http_server]\nport=9001\n[include]\nfiles=*.conf\n', CODE)[0].severity, 'information');
  assert.deepEqual(findings('[unix_http_server]\nfile=/tmp/s.sock\n', CODE), []);
  assert.deepEqual(findings('[supervisord]\n[unix_http_server]\nfile=/tmp/s\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n', CODE), []);
});

test('the fix appends the section and is safe', () => {
  assert.equal(applyFix('[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\n', CODE), '[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n');
  assert.equal(checker.checkAll('[supervisord]\r\n[unix_http_server]\r\nfile=/tmp/s.sock ; sock', undefined, [CODE]), 1);
});

test('after a last line of blanks the section starts on a line of its own (indented, it would continue file=)', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = `[supervisord]${eol}[unix_http_server]${eol}file=/tmp/x.sock${eol}${eol}   `;
    const fixed = applyFix(text, CODE);
    assert.ok(fixed.startsWith(text), 'what is there stays');
    assert.ok(fixed.slice(text.length).startsWith(`${eol}${eol}[rpcinterface:supervisor]${eol}`), JSON.stringify(fixed));
    assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  }
});
