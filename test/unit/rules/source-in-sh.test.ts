import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'source-in-sh';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string) => applyCheckedFix(text, CODE, undefined, DEFAULT_SETTINGS, checker);
const program = (command: string) => `[program:worker]\ncommand=${command}\ndirectory=/srv/myauth\n`;

test('catches `source` in an sh -c script (dash on Debian and Ubuntu stops with "source: not found"); the fix writes `.`', () => {
  const text = program('sh -c "source /srv/venv/bin/activate && exec celery -A myauth worker -l info"');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'source');
  assert.match(f.message, /dash, which has no `source`.*exit status 127/);
  assert.equal(applyFix(text), program('sh -c ". /srv/venv/bin/activate && exec celery -A myauth worker -l info"'));
});

test('catches it by path, with options before -c, after ; and &&, and after an assignment; a file without a slash gets ./ (dash looks for it on the PATH only)', () => {
  const text = program("/bin/sh -ec 'cd /srv/myauth; X=1 source .env && source venv/bin/activate; exec celery -A myauth worker'");
  assert.deepEqual(findings(text, CODE).map((f) => textAt(text, f)), ['source', 'source']);
  assert.equal(applyFix(applyFix(text)), program("/bin/sh -ec 'cd /srv/myauth; X=1 . ./.env && . venv/bin/activate; exec celery -A myauth worker'"));
  assert.equal(findings(program('dash -c "if source env.sh; then exec celery -A p worker; fi"'), CODE).length, 1);
  assert.deepEqual(findings(program('sh -c "source $ENV_FILE && exec celery -A p worker"'), CODE)[0].fixes, [], 'a name from a variable: no fix');
});

test('does not catch bash/zsh scripts, `source` as an argument or a word of another word, `.`, commands without a shell, or templates', () => {
  for (const command of [
    'bash -c "source /srv/venv/bin/activate && exec celery -A myauth worker"',
    '/bin/zsh -c "source ~/.zshrc && exec celery -A myauth worker"',
    'sh -c ". /srv/venv/bin/activate && exec celery -A myauth worker"',
    'sh -c "echo source && exec celery -A myauth worker"',
    'sh -c "exec celery -A myauth worker -Q source"',
    'sh /srv/bin/source',
    'sh -c "resource_check && exec celery -A myauth worker"',
    'celery -A myauth worker -n source@%%h',
  ]) {
    assert.deepEqual(findings(program(command), CODE), [], command);
  }
  assert.deepEqual(findings('[program:w]\ncommand=sh -c "source {{ venv }}/bin/activate && exec celery -A p worker"\n{% if beat %}\n[program:beat]\ncommand=x\n{% endif %}\n', CODE), []);
});
