/** Completion of keys: what accepting an item leaves on the line, in each way an editor accepts it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/core/features/completion';
import { parse } from '../../../server/src/core/model/parse';
import { withCursor } from '../../support/cursor';
import { lineAfterAccepting, textAfterAccepting, type Accepting } from '../../support/completion';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const PROGRAM = '[program:w]\ncommand=/bin/cat\n';
const PLAIN: Accepting = {};
const SNIPPET: Accepting = { snippet: true };

/** Texts with a key completed, for supervisor to read once all tests ran (skipped where it is not installed). */
const completedKeys: string[] = [];

after(() => {
  if (oracleUnavailable() || !completedKeys.length) return;
  verdictsOf(completedKeys).forEach((verdict, i) => assert.equal(verdict, 'ok', completedKeys[i]));
});

/** The key line after accepting `label` at the cursor of `line` in a program, the whole text kept for supervisor. */
function keyLineAfterAccepting(line: string, label: string, how: Accepting): string {
  const { text, line: at } = textAfterAccepting(`${PROGRAM}${line}\n`, label, undefined, how);
  completedKeys.push(text);
  return text.split('\n')[at];
}

test('catches: a key completed before the = or : it has already replaces the whole key and brings no separator or value of its own', () => {
  for (const how of [PLAIN, SNIPPET]) {
    const mode = how.snippet ? 'snippet' : 'plain text';
    assert.equal(keyLineAfterAccepting('autostart|=true', 'autostart', how), 'autostart=true', mode);
    assert.equal(keyLineAfterAccepting('auto|start=true', 'autostart', how), 'autostart=true', `inside the key, ${mode}`);
    assert.equal(keyLineAfterAccepting('autost|art = true', 'autostart', how), 'autostart = true', `blanks before the =, ${mode}`);
    assert.equal(keyLineAfterAccepting('autostart|: true', 'autostart', how), 'autostart: true', `configparser's other separator, ${mode}`);
    assert.equal(keyLineAfterAccepting('stop|sgnal=TERM', 'stopsignal', how), 'stopsignal=TERM', `a misspelt key, ${mode}`);
  }
  assert.equal(lineAfterAccepting(`${PROGRAM}autostart|=true\n`.replace(/\n/g, '\r\n'), 'autostart', undefined, SNIPPET), 'autostart=true', 'CRLF');
  // An editor set to insert rather than replace replaces only what is left of the cursor.
  assert.equal(lineAfterAccepting(`${PROGRAM}autostart|=true\n`, 'autostart', undefined, { insert: true, snippet: true }), 'autostart=true');
  const { text, position } = withCursor(`${PROGRAM}auto|start=true\n`);
  const item = completion(parse(text), position).items.find((i) => i.label === 'autostart')!;
  assert.deepEqual(item.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
  assert.deepEqual(item.insertRange, { start: item.range.start, end: position });
  assert.equal(item.snippet, undefined, 'no value to fill in: the value is there');
});

test('does not change: a key with no separator after it brings its = and a value to fill in', () => {
  assert.equal(lineAfterAccepting(`${PROGRAM}autos|\n`, 'autostart'), 'autostart=', 'the value to type');
  assert.equal(keyLineAfterAccepting('autos|', 'autostart', SNIPPET), 'autostart=true');
  assert.equal(keyLineAfterAccepting('|', 'stopsignal', SNIPPET), 'stopsignal=TERM');
  assert.equal(keyLineAfterAccepting('stopw|', 'stopwaitsecs', SNIPPET), 'stopwaitsecs=10');
});
