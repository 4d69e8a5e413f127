/** NearestNames answers as closest() does, whether it compares one by one or through its index. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closest } from '../../../server/src/core/rules/schema/util';
import { deletionVariants, NearestNames } from '../../../server/src/core/rules/schema/nearestNames';
import { findings } from '../../support/rules';

// Short names over a small alphabet collide often: ties, case differences and exact matches all happen.
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'B', '1', '-', 'İ'), maxLength: 7 });

test('the same answer as closest(), ties included, through the index and without it', () => {
  fc.assert(
    fc.property(fc.array(name, { maxLength: 40 }), fc.array(name, { minLength: 1, maxLength: 20 }), fc.constantFrom(0, 1, 2, 3), (names, words, k) => {
      const indexed = new NearestNames(names, k, 0); // index from the first question on (k <= 2)
      const plain = new NearestNames(names, k, Infinity);
      for (const w of words) {
        const expected = closest(w, names, k);
        assert.equal(indexed.closest(w), expected, `indexed: ${JSON.stringify({ names, w, k })}`);
        assert.equal(plain.closest(w), expected, `plain: ${JSON.stringify({ names, w, k })}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('names too long to index are still found', () => {
  const long = `worker-${'x'.repeat(60)}`;
  const nearest = new NearestNames(['beat', long, 'flower'], 2, 0);
  assert.equal(nearest.closest(`${long}y`), long);
  assert.equal(nearest.closest('bet'), 'beat');
  assert.equal(nearest.closest('zzzz'), undefined);
});

test('deletion variants: every text left by deleting up to k characters, with the fewest deletions', () => {
  assert.deepEqual([...deletionVariants('abc', 1)].sort(), [['ab', 1], ['abc', 0], ['ac', 1], ['bc', 1]]);
  assert.deepEqual([...deletionVariants('aab', 2)].sort(), [['a', 2], ['aa', 1], ['aab', 0], ['ab', 1], ['b', 2]]);
});

test('a group naming thousands of unknown programs gets each suggestion (past the index budget)', () => {
  const n = 1500;
  const programs = Array.from({ length: n }, (_, i) => `[program:worker${i}]\ncommand=ls\n`).join('');
  const text = `${programs}[group:g]\nprograms=${Array.from({ length: n }, (_, i) => `wrker${i}`).join(',')}\n`;
  const found = findings(text, 'group-unknown-program');
  assert.equal(found.length, n);
  // 'wrker7' is one deletion from 'worker7' and two from 'worker17' and others: the nearest, then the earliest.
  assert.match(found[7].message, /did you mean worker7\?/);
  assert.match(found[1499].message, /did you mean worker1499\?/);
  assert.equal(found[1499].fixes[0].title, 'Change to worker1499');
});
