/**
 * readCeleryCommand reads options into objects reused from reading to reading (celeryOption.ts
 * readingOption/keptOption): a reading must never change after later readings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCeleryCommand, type CeleryOption } from '../../../server/src/core/command/celery';

function snapshot(options: readonly CeleryOption[]): unknown[] {
  return options.map((o) => ({
    name: o.name,
    spelling: o.spelling,
    form: o.form,
    value: o.value,
    start: o.start,
    end: o.end,
    nameEnd: o.nameEnd,
    valueStart: o.valueStart,
    known: o.known,
    misplaced: o.misplaced,
    combined: o.combined,
    combinedHead: o.combinedHead,
    missingValue: o.missingValue,
  }));
}

test('a reading keeps its options while other commands are read after it', () => {
  const commands = [
    'celery -A proj worker -l info --concurrency=4 -Q q1',
    `celery -A proj worker -n ${'w'.repeat(300)} -DB -c4 --maxtasksperchild 10`,
    'celery worker -A other -l debug --pool gevent',
    'celeryd -A legacy -l info',
    'flower --port=5555 -x',
    'bash -c "celery -A a worker -l info && celery -A b beat -l info"',
  ];
  const readings = commands.map((c) => readCeleryCommand(c)!);
  const before = readings.map((r) => [snapshot(r.globalOptions), snapshot(r.options), snapshot(r.misplacedGlobalOptions)]);
  for (let i = 0; i < 3; i++) for (const c of [...commands].reverse()) readCeleryCommand(c);
  const after = readings.map((r) => [snapshot(r.globalOptions), snapshot(r.options), snapshot(r.misplacedGlobalOptions)]);
  assert.deepEqual(after, before);
  // No option object is shared between two positions of one reading.
  for (const r of readings) {
    const all = [...r.globalOptions, ...r.options, ...r.misplacedGlobalOptions];
    assert.equal(new Set(all).size, all.length);
  }
});
