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

test('an upper-case key is an environment variable written as a key: the message says so, the fix moves it into environment= (found on a real config)', () => {
  const text = "[program:summ]\ncommand=python app.py\nPYTHONPATH='/home/viktor/anaconda3/bin'\n";
  const [f] = findings(text, CODE);
  assert.match(f.message, /supervisor does not know PYTHONPATH .* environment variable, supervisor sets those only through environment=, as in environment=PYTHONPATH="\.\.\."/);
  assert.equal(f.fixes[0].safeForFixAll, false, 'a guess: never applied unseen');
  assert.equal(checker.checkFix(text, f, f.fixes[0]), "[program:summ]\ncommand=python app.py\nenvironment=PYTHONPATH='/home/viktor/anaconda3/bin'\n");
  const plain = '[program:w]\r\ncommand=ls\r\nDJANGO_SETTINGS_MODULE = app.settings ; prod\r\n';
  const [g] = findings(plain, CODE);
  assert.equal(checker.checkFix(plain, g, g.fixes[0]), '[program:w]\r\ncommand=ls\r\nenvironment=DJANGO_SETTINGS_MODULE="app.settings" ; prod\r\n');
});

test('does not move a variable into environment= where the section has one, nor a value with % or continuation lines', () => {
  assert.equal(findings('[program:w]\ncommand=ls\nenvironment=A="1"\nPYTHONPATH=/srv\n', CODE)[0].fixes.length, 0);
  // One it takes from [DEFAULT] would be replaced (found by fix fuzzing).
  assert.equal(findings('[DEFAULT]\nenvironment=LANG="C.UTF-8"\n[program:w]\ncommand=ls\nPYTHONPATH=/srv\n', CODE)[0].fixes.length, 0);
  assert.equal(findings('[program:w]\ncommand=ls\nPYTHONPATH=%(here)s\n', CODE)[0].fixes.length, 0);
  assert.equal(findings('[program:w]\ncommand=ls\nPYTHONPATH=/a\n  /b\n', CODE)[0].fixes.length, 0);
  assert.doesNotMatch(findings('[program:w]\ncommand=ls\nstartsects=5\n', CODE)[0].message, /environment variable/);
});
