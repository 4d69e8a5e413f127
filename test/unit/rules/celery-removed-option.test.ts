import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-removed-option';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;

test('catches the Celery 4 aliases, anchored on the option name', () => {
  const text = conf('/venv/bin/celery -A proj worker --maxtasksperchild=100');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '--maxtasksperchild');
  assert.match(f.message, /No such option: --maxtasksperchild/);
  assert.match(f.message, /--max-tasks-per-child/);
  assert.equal(findings(conf('celery -A proj worker --maxmemperchild 200000'), CODE).length, 1);
});

test('catches --autoreload, --no-execv, --force-execv', () => {
  for (const o of ['--autoreload', '--no-execv', '--force-execv']) {
    const [f] = findings(conf(`celery -A proj worker ${o} -l info`), CODE);
    assert.ok(f, o);
    assert.match(f.message, /Remove it/);
  }
});

test('catches the celeryd, celerybeat and celeryd-multi executables', () => {
  const text = conf('/venv/bin/celeryd -A proj -l info');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '/venv/bin/celeryd');
  assert.match(f.message, /celery worker/);
  assert.equal(findings(conf('celerybeat -A proj'), CODE).length, 1);
  const [m] = findings(conf('celeryd-multi start w1 -A proj'), CODE);
  assert.match(m.message, /background/);
  assert.deepEqual(m.fixes, []);
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    --maxtasksperchild 10 ; recycle\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "exec celery -A proj worker --maxtasksperchild=10"`), CODE).length, 1);
});

test('does not catch the Celery 5 spellings, beat, flower or older configured versions', () => {
  assert.deepEqual(findings(conf('celery -A proj worker --max-tasks-per-child=100 --max-memory-per-child 262144'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -l info'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower --maxtasksperchild=1'), CODE), [], 'flower options are not checked');
  assert.deepEqual(findings(conf('celery -A proj worker ; --maxtasksperchild=1'), CODE), [], 'in a comment');
  assert.deepEqual(findings(conf('celery -A proj worker --maxtasksperchild=100 --no-execv'), CODE, settingsWith({ celeryVersion: '4.4' })), [], 'Celery 4.4 accepts both');
  const [four] = findings(conf('celery -A proj worker --autoreload'), CODE, settingsWith({ celeryVersion: '4.4' }));
  assert.ok(four, '--autoreload went in 4.0');
  assert.match(four.message, /stops with an error about the unrecognized argument/, "Celery 4 has no click, so no click message");
  assert.match(findings(conf('celery -A proj worker --autoreload'), CODE)[0].message, /stops with "Error: No such option: --autoreload"/);
  assert.deepEqual(findings(conf('celeryd -A proj'), CODE, settingsWith({ celeryVersion: '3.1' })), []);
  assert.deepEqual(findings(conf('/usr/bin/celeryd-wrapper.sh'), CODE), []);
});

test('the fix renames an alias (preferred) and keeps the value', () => {
  assert.equal(applyFix(conf('celery -A proj worker --maxtasksperchild=100 -l info'), CODE), conf('celery -A proj worker --max-tasks-per-child=100 -l info'));
  assert.equal(applyFix(conf('celery -A proj worker --maxmemperchild 200000'), CODE), conf('celery -A proj worker --max-memory-per-child 200000'));
});

test('the fix removes options without a successor', () => {
  assert.equal(applyFix(conf('celery -A proj worker --autoreload -l info'), CODE), conf('celery -A proj worker -l info'));
  assert.equal(applyFix(conf('celery -A proj worker -l info --no-execv'), CODE), conf('celery -A proj worker -l info'));
});

test('the fix rewrites celeryd and celerybeat as celery ... worker / beat', () => {
  assert.equal(applyFix(conf('/venv/bin/celeryd -A proj -l info'), CODE), conf('/venv/bin/celery -A proj worker -l info'));
  assert.equal(applyFix(conf('celeryd -l info'), CODE), conf('celery worker -l info'));
  assert.equal(applyFix(conf('celerybeat --app=proj -s /tmp/s'), CODE), conf('celery --app=proj beat -s /tmp/s'));
  assert.equal(applyFix(conf('celeryd -l info -A proj -c 2'), CODE), conf('celery -A proj worker -l info -c 2'), '-A moves in front');
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; old worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    --maxtasksperchild=50 ; recycle\r\n    --autoreload\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 2);
  assert.equal(checker.checkAll('[program:w]\r\ncommand=/venv/bin/celeryd\r\n    -A proj ; app\r\n    -l info\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll(conf('celeryd -l info -A proj -c 2'), undefined, [CODE]), 1);
  assert.equal(checker.checkAll(conf('celery -A proj worker -l info --force-execv'), undefined, [CODE]), 1);
});
