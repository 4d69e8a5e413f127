import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, textAt } from '../../support/rules';

/** The tag and covered text of each finding of `code`. */
function tagged(text: string, code: string): [string | undefined, string][] {
  return findings(text, code).map((f) => [f.tag, textAt(text, f)]);
}

test('text supervisor ignores is tagged unnecessary (faded): unknown and misplaced keys, unknown sections', () => {
  assert.deepEqual(tagged('[program:w]\ncommand=ls\nstartsects=5\n', 'unknown-key'), [['unnecessary', 'startsects']]);
  assert.deepEqual(tagged('[program:w]\ncommand=ls\nloglevel=info\n', 'misplaced-key'), [['unnecessary', 'loglevel']]);
  assert.deepEqual(tagged('[Program:w]\ncommand=ls\n', 'unknown-section'), [['unnecessary', '[Program:w]']]);
});

test('does not fade a key that breaks something: settings passed to make_main_rpcinterface', () => {
  const text = '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nretries=3\n';
  assert.deepEqual(tagged(text, 'unknown-key'), [[undefined, 'retries']]);
});

test('options a pool ignores are tagged unnecessary', () => {
  assert.deepEqual(tagged('[program:w]\ncommand=celery -A proj worker -P gevent -c 50 --max-memory-per-child 262144 -l info\n', 'celery-memory-limit-ignored'), [
    ['unnecessary', '--max-memory-per-child 262144'],
  ]);
  assert.deepEqual(tagged('[program:w]\ncommand=celery -A proj worker -P threads -c 8 --time-limit 60 -l info\n', 'celery-option-ignored-by-pool'), [
    ['unnecessary', '--time-limit 60'],
  ]);
});

test('removed Celery options and executables are tagged deprecated (struck through)', () => {
  assert.deepEqual(tagged('[program:w]\ncommand=celery -A proj worker --maxtasksperchild=100 -l info\n', 'celery-removed-option'), [['deprecated', '--maxtasksperchild']]);
  assert.deepEqual(tagged('[program:w]\ncommand=celeryd -l info\n', 'celery-removed-option'), [['deprecated', 'celeryd']]);
});

test('parse warnings: syslog deprecated, an ignored stderr_logfile unnecessary, an AUTO log without rotation neither', () => {
  assert.deepEqual(tagged('[program:w]\ncommand=ls\nstdout_logfile=syslog\n', 'parse-warning'), [['deprecated', 'syslog']]);
  assert.deepEqual(tagged('[program:w]\ncommand=ls\nredirect_stderr=true\nstderr_logfile=/var/log/w.err\n', 'parse-warning'), [['unnecessary', '/var/log/w.err']]);
  assert.deepEqual(tagged('[program:w]\ncommand=ls\nstdout_logfile_maxbytes=0\n', 'parse-warning'), [[undefined, '0']]);
});

test('a suppression comment that hides nothing is tagged unnecessary', () => {
  assert.deepEqual(tagged('[program:w]\ncommand=ls ; supervisor-lint: disable=duplicate-key\n', 'unused-suppression'), [['unnecessary', '; supervisor-lint: disable=duplicate-key']]);
});

test('other findings carry no tag', () => {
  const text = '[program:w]\ncommand=celery -A proj worker\nuser=a\nuser=b\n';
  const all = findings(text);
  assert.ok(all.some((f) => f.code === 'duplicate-key') && all.some((f) => f.code === 'celery-loglevel-missing'));
  assert.deepEqual(all.filter((f) => f.tag !== undefined).map((f) => f.code), []);
});
