import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-pool-not-patched';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string, code: string, title?: string | RegExp) => applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);
const conf = (command: string) => `[program:w]\ndirectory=/srv\ncommand=${command}\n`;

test("gevent/eventlet written so that maybe_patch_concurrency misses it: no monkey-patching, fixed to '-P gevent'", () => {
  const cases: [string, string, string][] = [
    ['celery -A proj worker -l info -Pgevent -c 100', '-Pgevent', 'celery -A proj worker -l info -P gevent -c 100'],
    ['celery -A proj worker -l info -EPeventlet -c 100', '-EPeventlet', 'celery -A proj worker -l info -E -P eventlet -c 100'],
    ['celery -A proj worker -P solo -l info -P gevent -c 100', '-P gevent', 'celery -A proj worker -l info -P gevent -c 100'],
    ['celery -A proj worker --pool=prefork -l info -Pgevent', '-Pgevent', 'celery -A proj worker -l info -P gevent'],
    ['python -m celery -A proj worker -l info -Pgevent', '-Pgevent', 'python -m celery -A proj worker -l info -P gevent'],
  ];
  for (const [command, anchor, fixed] of cases) {
    const text = conf(command);
    const [f, ...rest] = findings(text, CODE);
    assert.ok(f, command);
    assert.deepEqual(rest, []);
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), anchor, command);
    assert.match(f.message, /without monkey-patching/);
    assert.equal(applyFix(text, CODE), conf(fixed), command);
  }
  assert.match(findings(conf('celery -A proj worker -P solo -P gevent'), CODE)[0].message, /takes the first pool option \(-P solo\) where click takes the last/);
});

test('not reported: the spellings maybe_patch_concurrency finds, other pools, multi, Celery 4', () => {
  for (const command of [
    'celery -A proj worker -P gevent -c 100',
    'celery -A proj worker --pool gevent',
    'celery -A proj worker --pool=eventlet',
    'celery -A proj worker -P gevent -Pgevent',
    'celery -A proj worker -Pthreads',
    'celery -A proj worker -Psolo',
    'celery -A proj worker -P=gevent',
    'bash -c "exec celery -A proj worker -P gevent"',
  ]) {
    assert.deepEqual(findings(conf(command), CODE), [], command);
  }
  assert.deepEqual(findings(conf('celery -A proj worker -Pgevent'), CODE, settingsWith({ celeryVersion: '4.4' })), []);
  assert.equal(findings(conf('bash -c "exec celery -A proj worker -Pgevent"'), CODE).length, 1);
});
