import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'unknown-key';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches typos and other tools\' keys, anchored on the key', () => {
  const text = '[program:w]\ncommand=ls\nstartsects=5\npythonpath=/srv\n';
  const fs = findings(text, CODE);
  assert.deepEqual(fs.map((f) => textAt(text, f)), ['startsects', 'pythonpath']);
  assert.match(fs[0].message, /Did you mean startsecs\?/);
  assert.equal(fs[0].severity, 'warning');
});

test('explains group= and offers directory for chdir', () => {
  assert.match(findings('[program:w]\ncommand=ls\ngroup=www\n', CODE)[0].message, /no group= key/);
  assert.equal(applyFix('[program:w]\ncommand=ls\nchdir=/srv\n', CODE), '[program:w]\ncommand=ls\ndirectory=/srv\n');
});

test('does not catch known keys in any case, open sections, unknown sections or keys of other kinds', () => {
  assert.deepEqual(findings('[program:w]\nCommand=ls\nAutoStart=true\n', CODE), []);
  assert.deepEqual(findings('[rpcinterface:x]\nsupervisor.rpcinterface_factory=pkg:make\nretries=3\n', CODE), []);
  assert.deepEqual(findings('[celery]\nfoo=1\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nloglevel=info\n', CODE), [], 'misplaced-key reports it');
});

test('reports settings passed to make_main_rpcinterface', () => {
  const fs = findings('[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nretries=3\n', CODE);
  assert.equal(fs.length, 1);
  assert.match(fs[0].message, /takes no settings/);
});

test('no rename when the value would be invalid for the new key or the key is set', () => {
  assert.equal(findings('[program:w]\ncommand=ls\nstartsects=abc\n', CODE)[0].fixes.length, 0);
  assert.equal(findings('[program:w]\ncommand=ls\nstartsecs=1\nstartsects=5\n', CODE)[0].fixes.length, 0);
});

test('the rename fix is safe: CRLF and comments', () => {
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls ; run\r\n; note\r\nstartsects = 5\r\n', undefined, [CODE]), 1);
});
