/**
 * entriesHolding: the entries a rule about a rare character reads, found by scanning the text. It must
 * return every entry whose value holds the character (a rule would miss a finding otherwise), in file
 * order, each once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '../../../server/src/core/model/parse';
import { entriesHolding } from '../../../server/src/core/model/document';
import { configText, pieceText } from '../fuzz/generators';
import { fuzzParams } from '../fuzz/invariants';

const keys = (text: string, char: string) => entriesHolding(parse(text), char).map((e) => `${e.key}=${e.value}`);

test('catches the character in one-line values, continuation lines and CRLF files, each entry once', () => {
  const text = '[program:a]\r\ncommand=run $HOME $USER\r\ndirectory=/srv\r\nenvironment=A="1",\r\n  B="$PATH"\r\n[program:b]\r\nuser=x\r\n';
  assert.deepEqual(keys(text, '$'), ['command=run $HOME $USER', 'environment=A="1",\nB="$PATH"']);
});

test('does not catch the character in headers, comment lines or lines before the first section', () => {
  const text = '$x=1\n[program:$a]\n; $HOME here\n# and ~ there\ncommand=run\n';
  assert.deepEqual(keys(text, '$'), []);
  assert.deepEqual(keys(text, '~'), []);
});

test('returns nothing for a file without the character', () => {
  assert.deepEqual(keys('[program:a]\ncommand=run\n', '~'), []);
});

test('finds every entry whose value holds the character, in file order, on any text', () => {
  fc.assert(
    fc.property(fc.oneof(configText, pieceText), fc.constantFrom('$', '~', '%', ';'), (text, char) => {
      const doc = parse(text);
      const found = entriesHolding(doc, char);
      const all = doc.sections.flatMap((s) => s.entries);
      const order = found.map((e) => all.indexOf(e));
      assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), 'in file order, each once');
      for (const e of all) if (e.value.includes(char)) assert.ok(found.includes(e), `missed ${e.key}=${JSON.stringify(e.value)}`);
    }),
    fuzzParams(300),
  );
});
