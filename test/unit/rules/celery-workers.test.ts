/** workerFacts (rules/celery/workers.ts): what the worker rules read once per analysis. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { poolOf } from '../../../server/src/core/command/celery';
import { HAS_MAX_MEMORY, PROCESS_POOL, THREAD_POOL, workerFacts } from '../../../server/src/core/rules/celery/workers';

test('workerFacts keeps each worker\'s pool and --max-memory-per-child options, as the command reads them', () => {
  const doc = parse(
    [
      '[program:a]\ncommand=celery -A p worker',
      '[program:b]\ncommand=celery -A p worker -P gevent --pool threads',
      '[program:c]\ncommand=celery -A p worker --max-memory-per-child=1000',
      '[program:d]\ncommand=celery -A p beat',
    ].join('\n'),
  );
  const deployment = buildDeployment(doc);
  const facts = workerFacts(deployment);
  assert.deepEqual(facts.workers.map((w) => w.name), ['a', 'b', 'c']);
  assert.deepEqual(facts.pools, facts.workers.map((w) => poolOf(w.celery)));
  assert.deepEqual(facts.pools, ['prefork', 'threads', 'prefork']);
  assert.deepEqual(facts.poolOptions.map((o) => o?.value), [undefined, 'threads', undefined]);
  assert.equal(facts.poolOptions[1], facts.workers[1].celery.get('--pool'));
  assert.equal(facts.maxMemoryOptions[2], facts.workers[2].celery.get('--max-memory-per-child'));
  assert.deepEqual(facts.maxMemoryOptions.map((o) => o?.value), [undefined, undefined, '1000']);
  assert.deepEqual([...facts.flags].map((f) => [!!(f & PROCESS_POOL), !!(f & THREAD_POOL), !!(f & HAS_MAX_MEMORY)]), [
    [true, false, false],
    [false, true, false],
    [true, false, true],
  ]);
  assert.equal(workerFacts(deployment), facts);
});
