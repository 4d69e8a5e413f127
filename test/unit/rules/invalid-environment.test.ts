import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'invalid-environment';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches special characters, empty values and unclosed quotes as errors', () => {
  for (const env of ['BROKER=redis://u:p@host/0', 'A=,B=1', 'A="x', 'A=1 B=2', 'A=x=y']) {
    const [f] = findings(`[program:w]\ncommand=ls\nenvironment=${env}\n`, CODE);
    assert.ok(f, env);
    assert.equal(f.severity, 'error', env);
  }
  // shlex stops at <, and the parse fails only at the > left over: the message names the < (found on a real config).
  const text = '[program:w]\ncommand=ls\nenvironment=PYTHONPATH=/srv/app/,API_KEY=<insert_here>\n';
  const [f] = findings(text, CODE);
  assert.match(f.message, /The character < ends an unquoted value/);
  assert.equal(textAt(text, f), '<');
});

test('catches silently dropped text as a warning', () => {
  const text = '[program:w]\ncommand=ls\nenvironment=A=x y\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'y');
  const hash = '[program:w]\ncommand=ls\nenvironment=PASSWORD=abc#123,B=1\n';
  const [g] = findings(hash, CODE);
  assert.equal(g.severity, 'warning');
  assert.equal(textAt(hash, g), '#123,B=1');
  // The skipped word shifts the pairs: supervisor then refuses the rest.
  assert.equal(findings('[program:w]\ncommand=ls\nenvironment=A=x y,B=1\n', CODE)[0].severity, 'error');
});

test('does not catch quoted values, allowed characters, expansions or continuation lines', () => {
  const ok = ['A="b@c",B=\'x y\'', 'PATH=/usr/bin:/bin,X=a+b-(c).d', 'A="%(program_name)s",B=%(ENV_HOME)s', 'A=1,', 'A="1",\n    B="2"', 'A=😀'];
  for (const env of ok) assert.deepEqual(findings(`[program:w]\ncommand=ls\nenvironment=${env}\n`, CODE), [], env);
  assert.deepEqual(findings('[supervisord]\nenvironment=LANG="en_US.UTF-8"\n', CODE), []);
});

test('does not catch a server-side variable that stands for whole pairs (its value is not known here)', () => {
  for (const env of ['%(ENV_EXTRA)s', '%(ENV_EXTRA)s,B="1"', 'A="1",%(ENV_EXTRA)s', 'A="1", %(ENV_EXTRA)s']) {
    assert.deepEqual(findings(`[program:w]\ncommand=ls\nenvironment=${env}\n`, CODE), [], env);
  }
  // [supervisord]'s environment is expanded twice: the first pass's stand-in is still unknown in the second.
  assert.deepEqual(findings('[supervisord]\nenvironment=%(ENV_EXTRA)s\n', CODE), []);
});

test('still catches what is wrong around a server-side value, and pairs named by a known expansion', () => {
  assert.equal(findings('[program:w]\ncommand=ls\nenvironment=A=%(ENV_X)s y\n', CODE)[0]?.severity, 'warning');
  assert.equal(findings('[program:w]\ncommand=ls\nenvironment=A=%(ENV_X)s,B=a@b\n', CODE)[0]?.severity, 'error');
  assert.equal(findings('[program:w]\ncommand=ls\nenvironment=%(program_name)s\n', CODE)[0]?.severity, 'error');
});

test('a non-BMP character is one character, as in Python', () => {
  const text = '[program:w]\ncommand=ls\nenvironment=A=x😀\n';
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '😀');
});

test('the quoting fix is safe and resolves the finding', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls\nenvironment=BROKER=redis://u:p@h/0,A=1\n', CODE), '[program:w]\ncommand=ls\nenvironment=BROKER="redis://u:p@h/0",A=1\n');
  assert.equal(applyFix('[program:w]\ncommand=ls\nenvironment=A=1 B=2\n', CODE), '[program:w]\ncommand=ls\nenvironment=A=1,B=2\n');
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls\r\nenvironment=A=x y ; env\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls\r\nenvironment=P=a#b,\r\n    B=c@d\r\n', undefined, [CODE]), 1);
});

test('no quoting fix for a value that starts or ends with a quote: supervisor strips quotes from both ends, so none can hold it (found by fix fuzzing)', () => {
  for (const env of ['JAVA_OPTS=-Dfoo="bar baz",LANG=C.UTF-8', 'A=say "hi"', 'A="x" y']) {
    const [f] = findings(`[program:w]\ncommand=ls\nenvironment=${env}\n`, CODE);
    assert.ok(f, env);
    assert.deepEqual(f.fixes, [], env);
  }
});

test('the quoting fix of an environment continued over 25,000 lines quotes each value on its own line', () => {
  const n = 25_000;
  const lines = Array.from({ length: n }, (_, i) => `  ,K${i}=v ${i}`);
  const text = `[program:w]\ncommand=ls\nenvironment=A="1"\n${lines.join('\n')}\n`;
  const [f] = findings(text, CODE);
  assert.deepEqual(f.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 6 } });
  const edits = f.fixes[0].edits;
  assert.equal(edits.length, 2 * n);
  lines.forEach((line, i) => {
    const open = line.indexOf('=') + 1;
    assert.deepEqual(edits[2 * i], { range: { start: { line: i + 3, character: open }, end: { line: i + 3, character: open } }, newText: '"' });
    assert.deepEqual(edits[2 * i + 1], { range: { start: { line: i + 3, character: line.length }, end: { line: i + 3, character: line.length } }, newText: '"' });
  });
});
