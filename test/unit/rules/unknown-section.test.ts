import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'unknown-section';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a wrong case, a typo and a named kind without its name', () => {
  const text = '[Program:worker]\ncommand=ls\n[groups:g]\nprograms=worker\n[program]\ncommand=ls\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 3);
  assert.match(fs[0].message, /case-sensitive/);
  assert.match(fs[1].message, /Did you mean \[group:g\]/);
  assert.match(fs[2].message, /needs a name/);
  assert.equal(fs[0].severity, 'warning');
  assert.equal(textAt(text, fs[0]), '[Program:worker]');
});

test('does not catch known kinds, [DEFAULT], server prefixes or templated headers', () => {
  const text = '[DEFAULT]\na=1\n[unix_http_server]\nfile=/tmp/s\n[inet_http_server:extra]\nport=9001\n[program:{{ name }}]\ncommand=ls\n';
  assert.deepEqual(findings(text, CODE), []);
});

test('the rename fix is offered only when supervisor would accept the renamed section', () => {
  assert.equal(applyFix('[Program:w]\ncommand=ls\n', CODE), '[program:w]\ncommand=ls\n');
  assert.equal(findings('[Program:w]\nnumprocs=x\n', CODE)[0].fixes.length, 0, 'no command and a bad numprocs');
  assert.equal(findings('[groups:g]\nprograms=missing\n', CODE)[0].fixes.length, 0, 'the group would name an unknown program');
  assert.equal(findings('[program:w]\ncommand=ls\n[Program:w]\ncommand=ls\n', CODE)[0].fixes.length, 0, 'the target exists');
});

test('the fix is safe: CRLF, comments, repeated headers', () => {
  const text = '; main\r\n[supervisord]\r\n[Program:w] ; worker\r\ncommand=ls\r\n[Program:w]\r\nautostart=true\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
});

test('the rename fix renames every header of a repeated section, in file order, and judges their entries together', () => {
  // The later [Program:w] brings the command; another section sits between the two headers.
  const text = '[Program:w]\nautostart=true\n[program:a]\ncommand=ls\n[Program:w]\ncommand=ls\n';
  const [f] = findings(text, CODE);
  assert.deepEqual(
    f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => [e.range.start.line, e.newText]) })),
    [{ title: 'Rename to [program:w]', edits: [[0, 'program:w'], [4, 'program:w']] }],
  );
  assert.equal(applyFix(text, CODE), '[program:w]\nautostart=true\n[program:a]\ncommand=ls\n[program:w]\ncommand=ls\n');
  // Together the headers ask for two processes under one name: supervisor would refuse the renamed section.
  assert.equal(findings('[Program:w]\ncommand=ls\n[program:a]\ncommand=ls\n[Program:w]\nnumprocs=2\n', CODE)[0].fixes.length, 0);
});

test('the rename fix looks at the whole file: a target or a group member written later counts', () => {
  assert.equal(findings('[Program:w]\ncommand=ls\n[program:w]\ncommand=ls\n', CODE)[0].fixes.length, 0, 'the target comes later');
  assert.equal(applyFix('[grop:g]\nprograms=a\n[program:a]\ncommand=ls\n', CODE), '[group:g]\nprograms=a\n[program:a]\ncommand=ls\n');
  assert.equal(findings('[grop:g]\nprograms=a,b\n[program:a]\ncommand=ls\n', CODE)[0].fixes.length, 0, 'b is no program');
});

test('catches thousands of misspelled sections with a rename each, and groups naming programs', () => {
  const n = 3000;
  const items = Array.from({ length: n }, (_, i) => `[progrm:w${i}]\ncommand=x\n[wat${i}]\nx=1\n[grop:g${i}]\nprograms=a\n`);
  const text = `[supervisord]\n[program:a]\ncommand=ls\n${items.join('')}`;
  const fs = findings(text, CODE);
  assert.equal(fs.length, 3 * n);
  for (let i = 0; i < n; i++) {
    const [program, wat, group] = fs.slice(3 * i, 3 * i + 3);
    const line = 3 + 6 * i;
    assert.equal(program.range.start.line, line);
    assert.deepEqual(program.fixes.map((x) => x.edits.map((e) => [e.range.start.line, e.newText])), [[[line, `program:w${i}`]]]);
    assert.equal(wat.range.start.line, line + 2);
    assert.deepEqual(wat.fixes, []);
    assert.deepEqual(group.fixes.map((x) => x.edits.map((e) => [e.range.start.line, e.newText])), [[[line + 4, `group:g${i}`]]]);
  }
});
