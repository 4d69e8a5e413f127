/**
 * effectiveEntry (rules/schema/context.ts): the entry supervisor uses for a key of a section that is not a
 * program, read through the rules that ask for it (missing-required-key, group-unknown-program,
 * group-duplicate-member, server-auth-incomplete, unknown-key). supervisor merges repeated headers: the
 * last entry of a key wins, across the headers too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, textAt } from '../../support/rules';

const lines = (text: string, code: string) => findings(text, code).map((f) => f.range.start.line);

test('catches the members of the last programs= across repeated [group:x] headers, not the overridden ones', () => {
  const text = '[supervisord]\n[program:a]\ncommand=ls\n[group:g]\nprograms=x\n[group:g]\nprograms=y\n';
  const found = findings(text, 'group-unknown-program');
  assert.deepEqual(found.map((f) => textAt(text, f)), ['y']);
  assert.deepEqual(lines(text, 'group-unknown-program'), [6]);
});

test('catches the last programs= of one header when the key repeats inside it', () => {
  const text = '[supervisord]\n[program:a]\ncommand=ls\n[group:g]\nprograms=x\nprograms=a,a\n';
  assert.deepEqual(findings(text, 'group-unknown-program'), []);
  assert.deepEqual(lines(text, 'group-duplicate-member'), [5]);
});

test('does not catch a key that only an earlier header of the same name sets', () => {
  assert.deepEqual(findings('[program:a]\ncommand=ls\n[group:g]\nprograms=a\n[group:g]\npriority=1\n', 'missing-required-key'), []);
  assert.deepEqual(findings('[inet_http_server]\nport=9001\nusername=u\n[inet_http_server]\npassword=p\n', 'server-auth-incomplete'), []);
});

test('catches a missing key in a section even when another section of its kind sets it', () => {
  const text = '[rpcinterface:a]\nsupervisor.rpcinterface_factory=x.y:z\n[rpcinterface:b]\nretries=1\n[group:g]\n[group:h]\nprograms=w\n';
  assert.deepEqual(lines(text, 'missing-required-key'), [2, 4]);
});

test('catches the setting make_main_rpcinterface refuses only while the factory that wins is make_main_rpcinterface', () => {
  const main = 'supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface\n';
  const other = 'supervisor.rpcinterface_factory=x.y:z\n';
  assert.equal(findings(`[rpcinterface:r]\n${other}retries=1\n[rpcinterface:r]\n${main}`, 'unknown-key').length, 1);
  assert.deepEqual(findings(`[rpcinterface:r]\n${main}retries=1\n[rpcinterface:r]\n${other}`, 'unknown-key'), []);
});

test('a group per program, at 5,000 of each, reads every group right (it used to scan every section per group)', () => {
  const n = 5000;
  let text = '[supervisord]\n';
  for (let i = 0; i < n; i++) text += `[program:w${i}]\ncommand=/bin/sleep ${i}\n[group:g${i}]\nprograms=w${i}\n`;
  // Planted problems: a group whose second header names an unknown program, an rpcinterface with no factory.
  text += '[group:g7]\nprograms=w7,nope\n[rpcinterface:bare]\n';
  const last = text.split('\n').length - 2;
  const all = findings(text);
  const at = (code: string) => all.filter((f) => f.code === code).map((f) => f.range.start.line);
  assert.deepEqual(at('group-unknown-program'), [last - 1]);
  assert.deepEqual(at('missing-required-key'), [last]);
  assert.deepEqual(at('group-duplicate-member'), []);
});

test('5,000 rpcinterface sections, each with its factory, are all complete', () => {
  let text = '[supervisord]\n';
  for (let i = 0; i < 5000; i++) text += `[rpcinterface:r${i}]\nsupervisor.rpcinterface_factory=x.y:z\n`;
  text += '[rpcinterface:r4999]\nretries=1\n[rpcinterface:r5000]\nretries=1\n';
  assert.deepEqual(lines(text, 'missing-required-key'), [text.split('\n').length - 3]);
});

test('repeatedNames: the header names written more than once, which effectiveEntry merges', async () => {
  const { parse } = await import('../../../server/src/core/model/parse');
  const { buildDeployment } = await import('../../../server/src/core/deployment');
  const { DEFAULT_SETTINGS } = await import('../../../server/src/core/settings');
  const { effectiveEntry, repeatedNames, schemaContext } = await import('../../../server/src/core/rules/schema/context');
  const doc = parse('[inet_http_server]\nport=1\n[group:g]\nprograms=a\n[inet_http_server]\nusername=u\n[group:h]\nprograms=b\n[inet_http_server]\n');
  const ctx = schemaContext({ doc, settings: DEFAULT_SETTINGS, deployment: buildDeployment(doc) });
  assert.deepEqual([...repeatedNames(ctx)], ['inet_http_server']);
  // A repeated header reads the keys of all its copies; a header written once reads its own.
  assert.equal(effectiveEntry(ctx, ctx.sections[2], 'port')?.value, '1');
  assert.equal(effectiveEntry(ctx, ctx.sections[0], 'username')?.value, 'u');
  assert.equal(effectiveEntry(ctx, ctx.sections[1], 'programs')?.value, 'a');
  assert.equal(effectiveEntry(ctx, ctx.sections[3], 'programs')?.value, 'b');
});
