import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-daemonizes';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;

test('catches -D/--detach in a worker, anchored on the option', () => {
  const text = conf('/venv/bin/celery -A proj worker -D -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '-D');
  assert.match(f.message, /foreground/);
  assert.equal(findings(conf('celery -A proj worker --detach'), CODE).length, 1);
  assert.equal(findings(conf('celery -A proj worker -BD'), CODE).length, 1, 'in a cluster');
});

test('catches --detach in beat, and celery multi', () => {
  assert.equal(findings(conf('celery -A proj beat --detach -s /tmp/s'), CODE).length, 1);
  const text = conf('celery multi start w1 w2 -A proj -l info');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), 'multi');
  assert.deepEqual(f.fixes, [], 'nothing to fix automatically');
  assert.equal(findings(conf('/venv/bin/celeryd-multi start w1'), CODE).length, 1);
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    --detach ; oops\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv && celery -A proj worker -D"`), CODE).length, 1);
});

test('does not catch foreground workers, beat -D, flower or other programs', () => {
  assert.deepEqual(findings(conf('celery -A proj worker -l info'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -l info'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -D'), CODE), [], 'beat has no -D: celery-unknown-option');
  assert.deepEqual(findings(conf('celery -A proj flower --port=5555'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -l info ; -D'), CODE), [], 'in a comment');
  assert.deepEqual(findings(conf('/usr/sbin/nginx -g "daemon off;"'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker --detach=yes'), CODE), [], 'celery-invalid-option-value');
});

test('the fix removes the option and keeps the rest of a cluster', () => {
  assert.equal(applyFix(conf('celery -A proj worker -D -l info'), CODE), conf('celery -A proj worker -l info'));
  assert.equal(applyFix(conf('celery -A proj worker --detach'), CODE), conf('celery -A proj worker'));
  assert.equal(applyFix(conf('celery -A proj worker -DE'), CODE), conf('celery -A proj worker -E'));
  assert.equal(applyFix(conf('celery -A proj worker -ED'), CODE), conf('celery -A proj worker -E'));
  assert.equal(applyFix(conf('celery -A proj beat --detach -l info'), CODE), conf('celery -A proj beat -l info'));
});

test('the fix is safe: CRLF, comments, continuation lines', () => {
  const text = '; the worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -D ; daemon\r\n    -l info\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:w]\ncommand=celery -A proj worker\n    --detach\n    -l info\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll(conf('celery -A proj worker -BDE'), undefined, [CODE]), 1);
});
