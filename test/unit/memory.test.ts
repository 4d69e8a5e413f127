/**
 * Typing in a big file must not keep its earlier versions alive: caches that outlive an analysis
 * (command readings, accepted values) must not hold strings that are views into a document's text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { analyzeText } from '../../server/src/core/analyze';
import { generateConfig } from '../../bench/generate';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('edits to a big file do not keep the earlier versions of its text in memory', () => {
  const text = generateConfig(1000); // about 420 KB
  const commandAt = text.lastIndexOf('\ncommand=') + 1 + 'command='.length;
  const typeIn = (from: number, edits: number) => {
    for (let i = from; i < from + edits; i++) {
      // Typing in the last worker's command: each version has a command line no earlier version had.
      analyzeText(`${text.slice(0, commandAt)}/srv/venv${i}/bin/celery -A proj${i} worker ${text.slice(commandAt)}`);
      analyzeText(`${text.slice(0, commandAt)}${'x'.repeat(i % 7)} --queues=q${i} ${text.slice(commandAt)}`);
    }
    gc();
    return process.memoryUsage().heapUsed;
  };
  // A first round fills what is allocated once (caches reaching their size, compiled code's data);
  // the later ones must not grow with the number of versions. Of two later rounds the smaller growth
  // counts: optimized code compiled late (on a busy machine) lands in one round, a leak grows both.
  analyzeText(text);
  const edits = 40;
  const first = typeIn(0, edits);
  const second = typeIn(edits, edits);
  const third = typeIn(2 * edits, edits);
  const grown = Math.min(second - first, third - second);
  // Keeping each version would cost 2 x edits x the text's size (about 34 MB here). What may grow is
  // bounded: the remembered readings of each new command line (a few KB each, up to COMMAND_CACHE_LIMIT).
  assert.ok(grown < 5 * text.length, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MB after ${2 * edits} more edits of a ${(text.length / 1024).toFixed(0)} KB file`);
});
