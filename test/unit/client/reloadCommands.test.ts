import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APPLY_COMMAND, groupNamesIn, reloadCommands, reloadMessage, remindsOnSave } from '../../../client/src/reloadCommands';

test('the apply command is reread then update, on one line', () => {
  assert.equal(APPLY_COMMAND, 'sudo supervisorctl reread && sudo supervisorctl update');
  assert.ok(!APPLY_COMMAND.includes('\n'));
});

test('without groups the full restart stops all', () => {
  assert.equal(
    reloadCommands([]),
    'sudo supervisorctl reread && sudo supervisorctl update\n' +
      '# full restart: sudo supervisorctl stop all && sudo systemctl restart supervisor',
  );
});

test('with groups the full restart stops each group first', () => {
  assert.equal(
    reloadCommands(['myauth', 'celery']),
    'sudo supervisorctl reread && sudo supervisorctl update\n' +
      '# full restart: sudo supervisorctl stop myauth: && sudo supervisorctl stop celery: && sudo systemctl restart supervisor',
  );
});

test('duplicate and blank group names are dropped', () => {
  const text = reloadCommands(['myauth', ' myauth ', '']);
  assert.equal((text.match(/stop myauth:/g) ?? []).length, 1);
  assert.ok(!text.includes('stop all'));
});

test('the first line is the apply command and the second a comment', () => {
  const lines = reloadCommands(['myauth']).split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], APPLY_COMMAND);
  assert.match(lines[1], /^# full restart: /);
  assert.match(lines[1], /sudo systemctl restart supervisor$/);
});

test('group names with shell metacharacters are quoted', () => {
  assert.match(reloadCommands(['a b']), /stop 'a b:'/);
  assert.match(reloadCommands(["it's"]), /stop 'it'\\''s:'/);
});

test('groupNamesIn finds [group:NAME] headers in order', () => {
  const conf = [
    '[program:myauth-worker]',
    'command=celery -A myauth worker',
    '',
    '[group:myauth]',
    'programs=myauth-worker,myauth-beat',
    '',
    '  [group: other ] ; indented, spaced',
    '[group:myauth]',
    '; [group:commented]',
    'key=[group:notaheader]',
  ].join('\r\n');
  assert.deepEqual(groupNamesIn(conf), ['myauth', 'other']);
});

test('groupNamesIn returns nothing without group sections', () => {
  assert.deepEqual(groupNamesIn('[program:x]\ncommand=true\n'), []);
  assert.deepEqual(groupNamesIn(''), []);
  assert.deepEqual(groupNamesIn('[group:]\n'), []);
});

test('groupNamesIn feeds reloadCommands', () => {
  const text = reloadCommands(groupNamesIn('[group:myauth]\nprograms=a\n'));
  assert.ok(text.includes('# full restart: sudo supervisorctl stop myauth: && sudo systemctl restart supervisor'));
});

test('saving reminds of the commands, except for a template (supervisord never reads it) or when the setting is false', () => {
  assert.equal(remindsOnSave('/etc/supervisor/conf.d/celery.conf', undefined), true);
  assert.equal(remindsOnSave('/etc/supervisor/supervisord.conf', true), true);
  assert.equal(remindsOnSave('/etc/supervisor/conf.d/celery.conf', false), false);
  for (const template of ['roles/celery/templates/celery.conf.j2', 'deploy/supervisord.conf.jinja2', 'config/supervisor.conf.erb', 'supervisor.ini.tmpl']) {
    assert.equal(remindsOnSave(template, undefined), false, template);
  }
});

test('under files.autoSave afterDelay the reminder waits for a save that is not mid-typing: Ctrl+S, or leaving the editor', () => {
  assert.equal(remindsOnSave('/etc/supervisor/conf.d/celery.conf', true, 'afterDelay'), false);
  assert.equal(remindsOnSave('/etc/supervisor/conf.d/celery.conf', true, 'focusOut'), true);
  assert.equal(remindsOnSave('/etc/supervisor/conf.d/celery.conf', true, 'manual'), true);
});

test('the reminder is plain text, speaks of a file only when there is one, and only the one on save offers Don\'t Show Again', () => {
  const saved = reloadMessage('saved');
  const active = reloadMessage('active');
  const none = reloadMessage('none');
  // A notification shows backticks as typed.
  for (const { message } of [saved, active, none]) {
    assert.ok(!message.includes('`'), message);
    assert.match(message, /supervisorctl reread, then supervisorctl update/);
  }
  assert.match(saved.message, /this file/);
  assert.match(active.message, /this file/);
  assert.ok(!none.message.includes('this file'), 'the command run with no supervisor file open');
  assert.deepEqual([saved.dontShowAgain, active.dontShowAgain, none.dontShowAgain], [true, false, false]);
});
