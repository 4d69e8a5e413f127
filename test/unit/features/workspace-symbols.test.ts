import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../../server/src/core/model/parse';
import { matchesQuery, workspaceSymbols } from '../../../server/src/core/features/symbols';
import { DeploymentFinder } from '../../../server/src/workspace';
import { writeUnder } from '../../support/cli';

test('a query matches when its characters appear in order, in any case', () => {
  assert.ok(matchesQuery('program:celery-worker', 'cw'));
  assert.ok(matchesQuery('program:celery-worker', 'WORKER'));
  assert.ok(matchesQuery('program:celery-worker', ''));
  assert.ok(!matchesQuery('program:celery-worker', 'wc'));
  assert.ok(!matchesQuery('group:web', 'worker'));
});

test('workspace symbols: every section header that matches, once per name in a file, across files', () => {
  const files = [
    { uri: 'file:///a.conf', doc: parse('[program:worker]\ncommand=x\n[program:worker]\nuser=a\n[group:app]\nprograms=worker\n') },
    { uri: 'file:///b.conf', doc: parse('; comment\n[eventlistener:memmon]\ncommand=memmon\n') },
  ];
  assert.deepEqual(
    workspaceSymbols(files, 'wor').map((s) => [s.uri, s.name, s.range.start.line]),
    [['file:///a.conf', 'program:worker', 0]],
  );
  assert.deepEqual(workspaceSymbols(files, 'mem').map((s) => [s.uri, s.range.start.line]), [['file:///b.conf', 1]]);
  assert.equal(workspaceSymbols(files, '').length, 3);
  assert.equal(workspaceSymbols(files, '', 2).length, 2, 'the limit');
});

test('workspace symbols name a program as supervisor does, its name stripped', () => {
  const files = [{ uri: 'file:///a.conf', doc: parse('[program: worker ]\ncommand=x\n') }];
  assert.deepEqual(workspaceSymbols(files, 'program:worker').map((s) => s.name), ['program:worker']);
});

let root = '';
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-configs-'));
  writeUnder(root, 'deploy/supervisord.conf', '[supervisord]\n[include]\nfiles = parts/*.txt\n');
  writeUnder(root, 'deploy/parts/worker.txt', '[program:worker]\ncommand=x\n'); // included, whatever its name
  writeUnder(root, 'other/celery.conf', '; not included anywhere\n[program:beat]\ncommand=x\n');
  writeUnder(root, 'other/app.ini', '[app]\nkey=value\n'); // not a supervisor config
  writeUnder(root, 'node_modules/pkg/x.conf', '[program:skip]\ncommand=x\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test("the workspace's configs: files that look like supervisor configs and the files main files include", () => {
  const finder = new DeploymentFinder([root], () => undefined);
  const found = finder.workspaceConfigs().map((f) => path.relative(root, f.path)).sort();
  assert.deepEqual(found, ['deploy/parts/worker.txt', 'deploy/supervisord.conf', 'other/celery.conf']);
  // Remembered until the server hears that files changed.
  writeUnder(root, 'other/late.conf', '[program:late]\ncommand=x\n');
  assert.equal(finder.workspaceConfigs().length, 3);
  finder.invalidate();
  assert.equal(finder.workspaceConfigs().length, 4);
  fs.rmSync(path.join(root, 'other/late.conf'));
  // An open document's text wins over the disk.
  const edited = new DeploymentFinder([root], (file) => (file.endsWith('celery.conf') ? '[program:edited]\ncommand=x\n' : undefined));
  assert.equal(edited.workspaceConfigs().find((f) => f.path.endsWith('celery.conf'))!.text, '[program:edited]\ncommand=x\n');
});

test('in a workspace folder named supervisor, its name claims none of its files; a supervisor folder in it claims its own', () => {
  const checkout = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ws-named-')), 'supervisor');
  try {
    writeUnder(checkout, 'tox.ini', '[tox]\nenvlist = py311\n');
    writeUnder(checkout, 'nginx/site.conf', 'server {\n}\n');
    writeUnder(checkout, 'deploy/supervisor/typo.conf', '[progam:w]\ncommand=x\n');
    const found = new DeploymentFinder([checkout], () => undefined).workspaceConfigs().map((f) => path.relative(checkout, f.path));
    assert.deepEqual(found, [path.join('deploy', 'supervisor', 'typo.conf')]);
  } finally {
    fs.rmSync(path.dirname(checkout), { recursive: true, force: true });
  }
});
