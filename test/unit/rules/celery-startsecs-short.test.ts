import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-startsecs-short';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const program = (extra: string, command = 'celery -A proj worker') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a worker without startsecs, anchored on the header', () => {
  const text = program('');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '[program:worker]');
});

test('catches values below 10 on worker, beat and flower', () => {
  for (const v of ['0', '1', '5', '9']) {
    const text = program(`startsecs = ${v}\n`);
    assert.equal(textAt(text, findings(text, CODE)[0]), v, v);
  }
  assert.equal(findings(program('startsecs=2\n', 'celery -A proj beat'), CODE).length, 1);
  assert.equal(findings(program('', 'celery -A proj flower --port=5555'), CODE).length, 1);
});

test('does not catch 10 or more, unreadable values, one-shot commands or other programs', () => {
  assert.deepEqual(findings(program('startsecs=10\n'), CODE), []);
  assert.deepEqual(findings(program('startsecs=30\n'), CODE), []);
  assert.deepEqual(findings(program('startsecs=%(ENV_S)s\n'), CODE), []);
  assert.deepEqual(findings(program('', 'celery -A proj purge -f'), CODE), []);
  assert.deepEqual(findings(program('', 'gunicorn app'), CODE), []);
});

test('the fix sets startsecs=10', () => {
  assert.equal(applyFix(program('startsecs=1\n'), CODE), program('startsecs=10\n'));
  assert.equal(applyFix(program('user=app\n'), CODE), program('user=app\nstartsecs=10\n'));
});

test('the fix is safe: CRLF, comments, multi-line values', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj worker ; w\r\nstartsecs=\r\n    3\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:beat]\ncommand=celery -A proj beat\n; comment\n\n[program:x]\ncommand=true\n', undefined, [CODE]), 1);
});
