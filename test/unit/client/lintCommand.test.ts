import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintArguments } from '../../../client/src/lintCommand';

test('a task without paths checks the workspace folder', () => {
  assert.deepEqual(lintArguments({}), { args: [], paths: ['.'], named: false });
  assert.deepEqual(lintArguments({ paths: [], args: [] }), { args: [], paths: ['.'], named: false });
});

test('paths and args as tasks.json lists them', () => {
  assert.deepEqual(lintArguments({ paths: ['deploy', 'etc/supervisor'], args: ['--fail-on', 'warning'] }), {
    args: ['--fail-on', 'warning'],
    paths: ['deploy', 'etc/supervisor'],
    named: true,
  });
});

test('a single string, which the schema marks but VS Code runs, is one path or one option, not one per character', () => {
  assert.deepEqual(lintArguments({ paths: 'deploy', args: '--check-machine' }), { args: ['--check-machine'], paths: ['deploy'], named: true });
});

test('values that are not strings are left out', () => {
  assert.deepEqual(lintArguments({ paths: ['deploy', 4, null], args: 7 }), { args: [], paths: ['deploy'], named: true });
  assert.deepEqual(lintArguments({ paths: { dir: 'deploy' } }), { args: [], paths: ['.'], named: false });
});
