import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { isValidProgramName, renameEdits } from '../../../server/src/core/features/programNames';
import { applyEdits } from '../../../server/src/core/applyEdits';

function rename(text: string, name: string, kind: 'program' | 'group', newName: string): string {
  const doc = parse(text);
  const changes = renameEdits([{ uri: 'a', doc, deployment: buildDeployment(doc) }], { name, kind }, newName);
  return applyEdits(text, changes.a ?? []);
}

test('renames the header, group items and memmon -p/-g that spell the name', () => {
  const text = '[program:worker]\ncommand=celery -A p worker\n\n[group:app]\nprograms=web, worker\n\n[eventlistener:memmon]\ncommand=memmon -c -p worker=512MB\nevents=TICK_60\n';
  assert.equal(
    rename(text, 'worker', 'program', 'tasks'),
    '[program:tasks]\ncommand=celery -A p worker\n\n[group:app]\nprograms=web, tasks\n\n[eventlistener:memmon]\ncommand=memmon -c -p tasks=512MB\nevents=TICK_60\n',
  );
});

test('a program that is its own group takes memmon -g along; derived process names stay', () => {
  const text = '[program:worker]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n\n[eventlistener:memmon]\ncommand=memmon -c -g worker=1GB -p worker_00=512MB\nevents=TICK_60\n';
  const renamed = rename(text, 'worker', 'program', 'tasks');
  assert.match(renamed, /^\[program:tasks\]/);
  assert.match(renamed, /-g tasks=1GB -p worker_00=512MB/);
});

test('valid names exclude what supervisor or memmon would split', () => {
  for (const ok of ['worker', 'celery-default', 'w_1']) assert.ok(isValidProgramName(ok), ok);
  for (const bad of ['', 'two words', 'a:b', 'a,b', 'a]', '100%', 'a=b']) assert.ok(!isValidProgramName(bad), bad);
});
