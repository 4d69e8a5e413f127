/**
 * Offset ↔ position mapping inside values with continuation lines: the parser's entries search their
 * parts by binary search; a hand-built Entry (a plain object) still walks them, which is the reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '../../../server/src/core/model/parse';
import { positionToValueOffset, valueOffsetToPosition, valueSpanToRange, type Entry } from '../../../server/src/core/model/document';
import { fuzzParams } from '../fuzz/invariants';

function entriesOf(text: string): Entry[] {
  return parse(text).sections.flatMap((s) => s.entries);
}

/** The same entry as a plain object: `valueOffsetToPosition` and `positionToValueOffset` walk its parts. */
function plain(e: Entry): Entry {
  return { key: e.key, rawKey: e.rawKey, keyRange: e.keyRange, separator: e.separator, separatorRange: e.separatorRange, value: e.value, parts: e.parts, valueRange: e.valueRange, range: e.range, sectionIndex: e.sectionIndex };
}

const at = (line: number, character: number) => ({ line, character });

test('catches every boundary of a multi-line value: line ends, the joining newline, blank lines, both ends', () => {
  // value: 'ab\ncd\n\nef' (line 3 blank); the continuation lines start at column 4.
  const [e] = entriesOf('[program:a]\ncommand=ab\n    cd\n\n    ef ; note\n');
  assert.equal(e.value, 'ab\ncd\n\nef');
  assert.deepEqual(valueOffsetToPosition(e, -5), at(1, 8));
  assert.deepEqual(valueOffsetToPosition(e, 0), at(1, 8));
  assert.deepEqual(valueOffsetToPosition(e, 2), at(1, 10)); // the '\n' after 'ab' is the end of its line
  assert.deepEqual(valueOffsetToPosition(e, 3), at(2, 4));
  assert.deepEqual(valueOffsetToPosition(e, 5), at(2, 6));
  assert.deepEqual(valueOffsetToPosition(e, 6), at(3, 0)); // the blank line's empty part
  assert.deepEqual(valueOffsetToPosition(e, 7), at(4, 4));
  assert.deepEqual(valueOffsetToPosition(e, 9), at(4, 6));
  assert.deepEqual(valueOffsetToPosition(e, 50), at(4, 6));
  assert.deepEqual(valueOffsetToPosition(e, NaN), at(4, 6));
  assert.deepEqual(valueSpanToRange(e, 1, 4), { start: at(1, 9), end: at(2, 5) });
  assert.equal(positionToValueOffset(e, at(1, 10)), 2);
  assert.equal(positionToValueOffset(e, at(2, 4)), 3);
  assert.equal(positionToValueOffset(e, at(3, 0)), 6);
  assert.equal(positionToValueOffset(e, at(4, 6)), 9);
});

test('does not map positions outside the value: other lines, before or after a line\'s text', () => {
  const [e] = entriesOf('[program:a]\ncommand=ab\n    cd\n\n    ef ; note\nuser=x\n');
  assert.equal(positionToValueOffset(e, at(0, 0)), -1);
  assert.equal(positionToValueOffset(e, at(1, 7)), -1);
  assert.equal(positionToValueOffset(e, at(1, 11)), -1);
  assert.equal(positionToValueOffset(e, at(2, 3)), -1);
  assert.equal(positionToValueOffset(e, at(3, 1)), -1);
  assert.equal(positionToValueOffset(e, at(4, 7)), -1); // in the inline comment's gap
  assert.equal(positionToValueOffset(e, at(5, 0)), -1);
});

test('a value that starts on the line after its key: the key line keeps an empty first part', () => {
  const [e] = entriesOf('[program:a]\nenvironment=\n  A=1,\n  B=2\n');
  assert.equal(e.value, '\nA=1,\nB=2');
  assert.deepEqual(valueOffsetToPosition(e, 0), at(1, 12));
  assert.deepEqual(valueOffsetToPosition(e, 1), at(2, 2));
  assert.equal(positionToValueOffset(e, at(1, 12)), 0);
  assert.equal(positionToValueOffset(e, at(3, 2)), 6);
});

test('one-line values map as before', () => {
  const [e] = entriesOf('[program:a]\ncommand = ls -l\n');
  for (let offset = -2; offset <= e.value.length + 2; offset++) assert.deepEqual(valueOffsetToPosition(e, offset), valueOffsetToPosition(plain(e), offset));
  for (let c = 0; c < 20; c++) for (const line of [0, 1, 2]) assert.equal(positionToValueOffset(e, at(line, c)), positionToValueOffset(plain(e), at(line, c)));
});

// Random sections with continuation lines, blank and whitespace-only lines, comments, inline comments,
// surrogate pairs, CRLF and CR.
const word = fc.array(fc.constantFrom('a', 'Z', '%', '=', ',', ' ', ';', '#', 'é', '\u{1d11e}', '"'), { maxLength: 8 }).map((cs) => cs.join(''));
const continuation = fc.oneof(
  fc.tuple(fc.constantFrom(' ', '  ', '\t', '    '), word, fc.constantFrom('', ' ; c', '\t# c')).map(([indent, w, comment]) => indent + 'x' + w + comment),
  fc.constantFrom('', '   ', '\t', '; full-line comment', '  ; indented comment'),
);
const entryText = fc.tuple(fc.constantFrom('command', 'environment', 'Programs'), fc.constantFrom('=', ' = ', ':'), word, fc.array(continuation, { maxLength: 8 })).map(([key, sep, first, more]) => [key + sep + first, ...more].join('\n'));
const configText = fc.tuple(fc.array(entryText, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n', '\r')).map(([entries, eol]) => ['[program:a]', ...entries, ''].join('\n').replace(/\n/g, eol));

test('the binary search agrees with the walk over the parts on every offset and position', () => {
  let multiLine = 0;
  fc.assert(
    fc.property(configText, (text) => {
      for (const e of entriesOf(text)) {
        const ref = plain(e);
        if (e.parts.length > 1) multiLine++;
        const offsets = [-Infinity, -3, -1, 0.5, NaN, Infinity, e.value.length + 0.5];
        for (let o = -2; o <= e.value.length + 2; o++) offsets.push(o);
        for (const o of offsets) assert.deepEqual(valueOffsetToPosition(e, o), valueOffsetToPosition(ref, o), `offset ${o} in ${JSON.stringify(e.value)}`);
        const maxChar = Math.max(...e.parts.map((p) => p.startChar + p.text.length)) + 2;
        for (let line = e.range.start.line - 1; line <= e.range.end.line + 2; line++) {
          for (let c = -1; c <= maxChar; c++) assert.equal(positionToValueOffset(e, at(line, c)), positionToValueOffset(ref, at(line, c)), `${line}:${c} in ${JSON.stringify(e.value)}`);
        }
        // The parser's parts are in line order (the binary search by line relies on it).
        for (let i = 1; i < e.parts.length; i++) assert.ok(e.parts[i - 1].line < e.parts[i].line);
      }
    }),
    fuzzParams(400),
  );
  assert.ok(multiLine > 200, `only ${multiLine} multi-line values generated`);
});

test('a value of 25,000 continuation lines maps every line (fast enough to run here: the walk took seconds)', () => {
  const n = 25_000;
  const lines = Array.from({ length: n }, (_, i) => `  ,K${i}=v ${i}`);
  const [e] = entriesOf(`[program:a]\nenvironment=A="1"\n${lines.join('\n')}\n`);
  assert.equal(e.parts.length, n + 1);
  assert.equal(e.parts, e.parts); // the stored array, not a copy per access
  let offset = e.parts[0].text.length + 1;
  for (let i = 0; i < n; i++) {
    const text = `,K${i}=v ${i}`;
    assert.deepEqual(valueOffsetToPosition(e, offset), at(i + 2, 2));
    assert.deepEqual(valueSpanToRange(e, offset + 1, offset + text.length), { start: at(i + 2, 3), end: at(i + 2, 2 + text.length) });
    assert.equal(positionToValueOffset(e, at(i + 2, 2 + text.length)), offset + text.length);
    offset += text.length + 1;
  }
});
