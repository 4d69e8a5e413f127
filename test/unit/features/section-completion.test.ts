/** Completion of section headers: whole sections on a header being typed, the kind alone in a header written already. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/core/features/completion';
import { parse } from '../../../server/src/core/model/parse';
import { withCursor } from '../../support/cursor';
import { lineAfterAccepting, textAfterAccepting, type Accepting } from '../../support/completion';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const ABOVE = '[program:a]\ncommand=/bin/true\n';
const BELOW = '\ncommand=/bin/true\n';
const PLAIN: Accepting = {};
const SNIPPET: Accepting = { snippet: true };

function itemsAt(fixture: string) {
  const { text, position } = withCursor(fixture);
  return { position, items: completion(parse(text), position).items };
}

/** Texts with a header completed, for supervisor to read once all tests ran (skipped where it is not installed). */
const completedHeaders: string[] = [];

after(() => {
  if (oracleUnavailable() || !completedHeaders.length) return;
  verdictsOf(completedHeaders).forEach((verdict, i) => assert.equal(verdict, 'ok', completedHeaders[i]));
});

/** The whole text after accepting `label` at the cursor of `header`, between a program above and a command= below. */
function textAfterCompletingHeader(header: string, label: string, how: Accepting): string {
  const { text } = textAfterAccepting(`${ABOVE}${header}${BELOW}`, label, undefined, how);
  completedHeaders.push(text);
  return text;
}

test('catches: in a header written already only its kind is completed: the name, the ] and the keys below stay', () => {
  for (const how of [PLAIN, SNIPPET]) {
    const mode = how.snippet ? 'snippet' : 'plain text';
    assert.equal(textAfterCompletingHeader('[prog|ram:worker]', '[program:name]', how), `${ABOVE}[program:worker]${BELOW}`, mode);
    assert.equal(textAfterCompletingHeader('[prog|am:worker]', '[program:name]', how), `${ABOVE}[program:worker]${BELOW}`, `a misspelt kind, ${mode}`);
    assert.equal(textAfterCompletingHeader('[|prgram:worker] ; the tasks', '[program:name]', how), `${ABOVE}[program:worker] ; the tasks${BELOW}`, `at the [, a comment after, ${mode}`);
  }
  assert.equal(lineAfterAccepting(`${ABOVE}  [prog|ram:worker]\r\n`, '[program:name]', undefined, SNIPPET), '  [program:worker]', 'indented, CRLF');
  // Before a name only the kinds that take one fit; no whole section with its name and keys.
  const labels = itemsAt(`${ABOVE}[prog|ram:worker]${BELOW}`).items.map((i) => i.label);
  assert.deepEqual(labels, ['[program:name]', '[fcgi-program:name]', '[eventlistener:name]', '[group:name]', '[rpcinterface:name]', '[ctlplugin:name]']);
  // An editor set to insert rather than replace replaces only what is left of the cursor.
  const { position, items } = itemsAt(`${ABOVE}[prog|ram:worker]${BELOW}`);
  assert.deepEqual(items[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } });
  assert.deepEqual(items[0].insertRange, { start: items[0].range.start, end: position });
  assert.equal(lineAfterAccepting(`${ABOVE}[program|:worker]${BELOW}`, '[program:name]', undefined, { insert: true, snippet: true }), '[program:worker]');
});

test('catches: in a header without a name, a kind that takes one brings the : and a name to fill in, no keys', () => {
  assert.equal(lineAfterAccepting('[super|visord]\nlogfile=/tmp/s.log\n', '[supervisord]', undefined, SNIPPET), '[supervisord]');
  assert.equal(lineAfterAccepting('[super|visord]\nlogfile=/tmp/s.log\n', '[program:name]'), '[program:]');
  assert.equal(textAfterAccepting('[prog|ram]\ncommand=/bin/true\n', '[program:name]', undefined, SNIPPET).text, '[program:name]\ncommand=/bin/true\n');
});

test('catches: nothing replaces a header from its name or after its ]', () => {
  for (const header of ['[program:wor|ker]', '[program:|worker]', '[program:worker]|', '[program:worker] |; tasks']) {
    assert.deepEqual(itemsAt(`${ABOVE}${header}${BELOW}`).items, [], header);
  }
});

test('does not change: a header being typed (nothing after the cursor but the ] the editor closed) gets whole sections', () => {
  for (const header of ['[|', '[|]', '[prog|]', '[program:|]', '[program:cel|']) {
    const { items } = itemsAt(`${ABOVE}${header}\n`);
    assert.ok(items.some((i) => i.label === '[program:celery-worker]') && items.some((i) => i.label === '[supervisord]'), header);
  }
  assert.equal(textAfterAccepting(`${ABOVE}[|]\n`, '[program:name]').text, `${ABOVE}[program:\n`);
  const program = textAfterAccepting(`${ABOVE}[|]\n`, '[program:name]', undefined, SNIPPET).text;
  assert.ok(program.startsWith(`${ABOVE}[program:name]\ncommand=`), program);
  assert.equal(lineAfterAccepting(`${ABOVE}  [|\n`, '[include]', undefined, SNIPPET), '  [include]');
});
