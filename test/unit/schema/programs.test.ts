/** programs.ts: the program sections the schema rules walk, and the numprocs two of them read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { schemaContext } from '../../../server/src/core/rules/schema/context';
import { programNumprocs, programReadings } from '../../../server/src/core/rules/schema/programs';

test('programNumprocs: numprocs of each program reading as supervisor reads it (default 1, undefined when unknown), once per context', () => {
  const doc = parse('[program:a]\ncommand=x\n[program:b]\ncommand=x\nnumprocs=3\n[program:c]\ncommand=x\nnumprocs=%(ENV_N)s\n[program:d]\ncommand=x\nnumprocs=0\n[program:b]\nnumprocs=4\n');
  const ctx = schemaContext({ doc, settings: DEFAULT_SETTINGS, deployment: buildDeployment(doc) });
  assert.deepEqual(programReadings(ctx).map((r) => r.program!.name), ['a', 'b', 'c', 'd']);
  assert.deepEqual(programNumprocs(ctx), [1, 4, undefined, 0]);
  assert.equal(programNumprocs(ctx), programNumprocs(ctx));
});
