import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-4-syntax';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;

test('catches -A after the sub-command, anchored on the option', () => {
  const text = conf('/venv/bin/celery worker -A myauth -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '-A myauth');
  assert.match(f.message, /No such option: -A/);
  assert.match(f.message, /celery -A myauth worker/);
});

test('catches every global option and spelling, in worker and beat', () => {
  for (const g of ['-A proj', '-Aproj', '--app=proj', '--app proj', '-b redis://', '--broker=amqp://x', '--workdir /srv', '--config cfg', '--loader l', '--result-backend rpc://']) {
    assert.equal(findings(conf(`celery worker ${g} -l info`), CODE).length, 1, g);
    assert.equal(findings(conf(`celery beat ${g}`), CODE).length, 1, `beat ${g}`);
  }
  const [f] = findings(conf('celery worker -A proj --broker=redis://x -l info'), CODE);
  assert.match(f.message, /-A and --broker are global options/);
});

test('catches through python -m, bash -c and continuation lines', () => {
  assert.equal(findings(conf('python -m celery worker -A proj'), CODE).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv && exec celery worker -A proj"`), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery worker\n    -A proj ; the app\n    -l info\n', CODE).length, 1);
});

test('does not catch Celery 5 syntax, flower, multi, other commands or Celery 4 settings', () => {
  assert.deepEqual(findings(conf('celery -A proj worker -l info'), CODE), []);
  assert.deepEqual(findings(conf('celery --app=proj --broker=redis:// --workdir=/srv worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -s /tmp/schedule'), CODE), []);
  assert.deepEqual(findings(conf('celery flower -A proj --port=5555'), CODE), [], 'flower options are not checked');
  assert.deepEqual(findings(conf('celery multi start w1 -A proj'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker ; worker -A proj'), CODE), [], 'in a comment');
  assert.deepEqual(findings(conf('celery worker -A proj'), CODE, settingsWith({ celeryVersion: '4.4' })), [], 'Celery 4 accepts it');
  assert.deepEqual(findings(conf('celeryd -A proj'), CODE), [], 'the legacy executable is celery-removed-option');
});

test('the fix moves the global options before the sub-command in one edit set', () => {
  assert.equal(applyFix(conf('celery worker -A proj -l info'), CODE), conf('celery -A proj worker -l info'));
  assert.equal(applyFix(conf('/venv/bin/celery worker --app=proj -l info --broker redis://x'), CODE), conf('/venv/bin/celery --app=proj --broker redis://x worker -l info'));
  assert.equal(applyFix(conf('celery -q beat -Aproj -s /tmp/x'), CODE), conf('celery -q -Aproj beat -s /tmp/x'));
  assert.equal(applyFix(conf(`bash -c "exec celery worker -A proj -l info"`), CODE), conf(`bash -c "exec celery -A proj worker -l info"`));
});

test('the fix keeps continuation lines, comments and CRLF', () => {
  const text = '; the worker\r\n[program:worker]\r\ncommand=celery worker\r\n    -A proj ; the app\r\n    -l info\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  assert.equal(applyFix(text, CODE), '; the worker\r\n[program:worker]\r\ncommand=celery -A proj worker\r\n    ; the app\r\n    -l info\r\nuser=app\r\n', 'the inline comment stays');
  assert.equal(checker.checkAll(conf('celery worker -A proj --workdir=/srv -b redis://localhost'), undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:w]\ncommand=celery worker\n    --app=proj\n    -l info\n', undefined, [CODE]), 1);
  // Adjacent options go as one span: their removals must not overlap.
  assert.equal(applyFix('[program:w]\ncommand=celery worker\n  -A proj --app=proj\n', CODE), '[program:w]\ncommand=celery -A proj --app=proj worker\n');
  assert.equal(applyFix(conf('celery worker -A proj   -b redis://x -l info --workdir /srv'), CODE), conf('celery -A proj -b redis://x --workdir /srv worker -l info'));
});
