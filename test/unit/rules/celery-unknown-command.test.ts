import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-unknown-command';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string, code: string, title?: string | RegExp) => applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);
const conf = (command: string) => `[program:w]\ndirectory=/srv\ncommand=${command}\n`;

test('a misspelt sub-command: click says "No such command", and the fix writes the one meant', () => {
  for (const [word, meant] of [['workers', 'worker'], ['Worker', 'worker'], ['wroker', 'worker'], ['bet', 'beat'], ['BEAT', 'beat']]) {
    const text = conf(`/srv/venv/bin/celery -A proj ${word} -l info`);
    const [f, ...rest] = findings(text, CODE);
    assert.ok(f, word);
    assert.deepEqual(rest, []);
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), word);
    assert.ok(f.message.includes(`stops with "No such command '${word}'."`), f.message);
    assert.ok(f.message.includes(`did you mean '${meant}'?`), f.message);
    assert.equal(applyFix(text, CODE), conf(`/srv/venv/bin/celery -A proj ${meant} -l info`));
  }
  const [guess] = findings(conf('celery -A proj wroker'), CODE);
  assert.equal(guess.fixes[0].safeForFixAll, false, 'another word is a guess');
  assert.equal(findings(conf('celery -A proj Worker'), CODE)[0].fixes[0].safeForFixAll, undefined, 'a change of case is certain');
});

test('not reported: real sub-commands, plugins, words far from any, dynamic words, Celery 4', () => {
  for (const command of ['celery -A proj worker', 'celery -A proj beat', 'celery -A proj flower', 'celery -A proj inspect ping', 'celery multi start w1', 'python -m celery -A proj worker']) {
    assert.deepEqual(findings(conf(command), CODE), [], command);
  }
  assert.deepEqual(findings(conf('celery -A proj exporter --port 9808'), CODE), [], 'maybe a plugin');
  assert.deepEqual(findings(conf('celery -A proj %(ENV_CELERY_COMMAND)s'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj workers'), CODE, settingsWith({ celeryVersion: '4.4' })), []);
  assert.deepEqual(findings(conf('python manage.py celery workers'), CODE), [], "django-celery's command");
  assert.equal(findings(conf('python -m celery -A proj workers'), CODE).length, 1);
});

test("a backslash right after the sub-command joins the next line's first word to it: the fix removes it", () => {
  const text = '[program:w]\r\ndirectory=/srv\r\ncommand=celery -A proj worker\\\r\n    -l info\r\n';
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.match(f.message, /continuation lines need none/);
  assert.ok(f.message.includes("No such command 'worker\n-l'."), f.message);
  assert.equal(applyFix(text, CODE), '[program:w]\r\ndirectory=/srv\r\ncommand=celery -A proj worker\r\n    -l info\r\n');
  assert.deepEqual(findings('[program:w]\ncommand=bash -c "celery -A proj worker \\\n    -l info"\n', CODE), [], 'inside quotes the backslash stays, and bash continues the line');
});
