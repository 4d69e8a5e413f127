import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment } from '../../../server/src/core/analyze';

const CODE = 'duplicate-program-name';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches one name under two process kinds, and a group named like an ungrouped program', () => {
  assert.equal(findings('[program:x]\ncommand=ls\n[eventlistener:x]\ncommand=ls\nevents=TICK_5\n', CODE)[0].severity, 'warning');
  assert.equal(findings('[program:x]\ncommand=ls\n[fcgi-program:x]\ncommand=ls\nsocket=tcp://h:1\n', CODE).length, 1);
  assert.equal(findings('[program:x]\ncommand=ls\n[program:y]\ncommand=ls\n[group:x]\nprograms=y\n', CODE).length, 1);
});

test('catches [program:w] next to [program: w]: supervisor strips the name, so both make the group w', () => {
  const [f] = findings('[program:w]\ncommand=x\n\n[program: w]\ncommand=y\n', CODE);
  assert.ok(f);
  assert.match(f.message, /\[program: w\] has the same name as \[program:w\] \(line 1\)/);
  assert.deepEqual(findings('[program:w]\ncommand=x\n\n[program: v]\ncommand=y\n', CODE), []);
});

test('does not catch a group named like one of its own members, or repeated headers', () => {
  assert.deepEqual(findings('[program:x]\ncommand=ls\n[group:x]\nprograms=x\n', CODE), []);
  assert.deepEqual(findings('[program:x]\ncommand=ls\n[program:x]\nautostart=true\n', CODE), []);
});

const MAIN = '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n';
/** This rule's findings in each file of a deployment: the main file, then the fragments in order. */
const inDeployment = (fragments: string[]) =>
  analyzeDeployment([{ path: '/d/supervisord.conf', text: MAIN }, ...fragments.map((text, i) => ({ path: `/d/conf.d/${i}.conf`, text }))]).map((a) =>
    a.findings.filter((f) => f.code === CODE),
  );

test('catches a name an earlier file of the deployment uses under another kind, in the later file', () => {
  const [main, first, second] = inDeployment(['[program:x]\ncommand=ls\n', '; here\n[fcgi-program:x]\ncommand=ls\nsocket=tcp://h:1\n']);
  assert.deepEqual([...main, ...first], [], 'the earlier file is not told');
  assert.equal(second.length, 1);
  assert.deepEqual(second[0].range, { start: { line: 1, character: 1 }, end: { line: 1, character: 15 } });
  assert.match(second[0].message, /^\[fcgi-program:x\] has the same name as \[program:x\] in \/d\/conf\.d\/0\.conf \(line 1\): supervisor accepts/);
  // A [group:] named like an ungrouped program of an earlier file.
  assert.equal(inDeployment(['[program:x]\ncommand=ls\n', '[program:y]\ncommand=ls\n[group:x]\nprograms=y\n'])[2].length, 1);
});

test('does not catch the same header in two files (merged), or a program another file groups', () => {
  assert.deepEqual(inDeployment(['[program:x]\ncommand=ls\n', '[program:x]\nautostart=true\n']).flat(), []);
  // x is a member of [group:x] in the later file, so it makes no process group of its own.
  assert.deepEqual(inDeployment(['[program:x]\ncommand=ls\n', '[group:x]\nprograms=x\n']).flat(), []);
  assert.deepEqual(inDeployment(['[group:x]\nprograms=x\n', '[program:x]\ncommand=ls\n']).flat(), []);
});
