import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-autorestart-not-true';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const program = (extra: string, command = 'celery -A proj worker') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a worker without autorestart, anchored on the header', () => {
  const text = program('user=app\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '[program:worker]');
  assert.match(f.message, /unexpected/);
});

test('catches unexpected and false values, and beat', () => {
  for (const v of ['unexpected', 'Unexpected', 'false', 'no', '0']) {
    const text = program(`autorestart=${v}\n`);
    const [f] = findings(text, CODE);
    assert.equal(textAt(text, f), v, v);
  }
  assert.equal(findings(program('', 'celery -A proj beat -S django'), CODE).length, 1);
  assert.equal(findings(program('', 'python -m celery -A proj worker'), CODE).length, 1);
});

test('does not catch true in any spelling, flower, or other programs', () => {
  for (const v of ['true', 'TRUE', 'yes', 'on', '1']) assert.deepEqual(findings(program(`autorestart=${v}\n`), CODE), [], v);
  assert.deepEqual(findings(program('autorestart=%(ENV_RESTART)s\n'), CODE), []);
  assert.deepEqual(findings(program('', 'celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(program('', 'gunicorn app'), CODE), []);
});

test('the fix sets autorestart=true', () => {
  assert.equal(applyFix(program('user=app\n'), CODE), program('user=app\nautorestart=true\n'));
  assert.equal(applyFix(program('autorestart=unexpected ; default\n'), CODE), program('autorestart=true ; default\n'));
});

test('the fix is safe: CRLF, comments, continuation lines', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj\r\n  worker -l info\r\n; end\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:beat]\ncommand=celery -A proj beat\nautorestart=false\n', undefined, [CODE]), 1);
});
