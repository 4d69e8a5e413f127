import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { partitionPoint } from '../../../server/src/core/partitionPoint';

test('partitionPoint: the first index where the prefix condition fails, as a linear scan finds it', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 })).map((xs) => xs.sort((a, b) => a - b)), fc.integer({ min: -6, max: 6 }), (sorted, x) => {
      const linear = sorted.findIndex((v) => !(v < x));
      assert.equal(partitionPoint(sorted.length, (i) => sorted[i] < x), linear === -1 ? sorted.length : linear);
    }),
  );
  assert.equal(partitionPoint(0, () => true), 0);
});
