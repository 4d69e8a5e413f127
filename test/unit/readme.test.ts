import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { withTable } from '../../scripts/rulesTable';

test("README's rules table matches the rule registry (regenerate: npm run docs:rules)", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, withTable(readme));
});

test('README opens with the two commands: the main job and the tests', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
  assert.match(firstBlock, /npm ci && npm run lint:example/);
  assert.match(firstBlock, /npm test/);
});
