import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { documentSymbols, MAX_OUTLINE_ITEMS } from '../../../server/src/core/features/symbols';

const programs = (n: number) => Array.from({ length: n }, (_, i) => `[program:w${i}]\ncommand=/srv/venv/bin/celery -A proj worker -n w${i}@%%h\nautostart=true\n`).join('\n');

test('one symbol per section, its keys as children with their values as detail', () => {
  const [worker] = documentSymbols(parse('[program:worker]\ncommand=celery -A proj worker\n  -l info\nautostart=true\n'));
  assert.deepEqual([worker.name, worker.detail, worker.kind], ['program:worker', 'program', 'section']);
  assert.deepEqual(
    worker.children.map((c) => [c.name, c.detail, c.range.start.line, c.range.end.line]),
    [
      ['command', 'celery -A proj worker -l info', 1, 2],
      ['autostart', 'true', 3, 3],
    ],
  );
});

test(`a file of more than ${MAX_OUTLINE_ITEMS} sections and keys gets its sections alone: the outline is asked for after every edit`, () => {
  // 1,666 programs of two keys: 4,998 items, keys kept; one more program passes the limit.
  const under = documentSymbols(parse(programs(1666)));
  assert.equal(under.length, 1666);
  assert.ok(under.every((s) => s.children.length === 2));
  const over = documentSymbols(parse(programs(1667)));
  assert.equal(over.length, 1667);
  assert.ok(over.every((s) => s.children.length === 0));
  assert.equal(over[1666].name, 'program:w1666');
  assert.equal(documentSymbols(parse(programs(3)), 8).every((s) => s.children.length === 0), true, 'the limit is a parameter');
});

test('a program or group is named as supervisor names it, its name stripped; other sections as written', () => {
  // supervisor strips a program's and a group's name (process_or_group_name): [program: w ] runs the program w.
  const doc = parse('[program: w ]\ncommand=x\n[group:\tweb ]\nprograms=w\n[eventlistener: memmon]\ncommand=memmon\n[fcgi-program:f ]\ncommand=x\n[rpcinterface: supervisor ]\nx=y\n[program:plain]\n');
  assert.deepEqual(
    documentSymbols(doc).map((s) => [s.name, s.detail]),
    [
      ['program:w', 'program'],
      ['group:web', 'group'],
      ['eventlistener:memmon', 'eventlistener'],
      ['fcgi-program:f', 'fcgi-program'],
      // Not a program or group: supervisor takes the rpcinterface's name as written.
      ['rpcinterface: supervisor ', 'rpcinterface'],
      ['program:plain', 'program'],
    ],
  );
});
