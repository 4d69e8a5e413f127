import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import type { MachineView } from '../../../server/src/core/machine';
import { machineWith } from '../../support/machine';
import { textAt } from '../../support/rules';

const CODE = 'path-not-found';

const SERVER = machineWith('/home/allianceserver/venv/auth/bin/celery*', '/home/allianceserver/venv/auth/bin/activate', '/home/allianceserver/myauth/', '/usr/bin/python3*');

function found(text: string, machine: MachineView = SERVER) {
  return analyzeText(text, undefined, undefined, machine).findings.filter((f) => f.code === CODE);
}

test('catches a command that is not there, with the near name in its folder as the fix', () => {
  const text = '[program:worker]\ncommand=/home/allianceserver/venv/auth/bin/celry -A myauth worker -l info\r\ndirectory=/home/allianceserver/myauth\n';
  const [f, ...rest] = found(text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, f), '/home/allianceserver/venv/auth/bin/celry');
  assert.match(f.message, /'worker' cannot start on this machine: supervisor says "can't find command '\/home\/allianceserver\/venv\/auth\/bin\/celry'".*Did you mean \/home\/allianceserver\/venv\/auth\/bin\/celery\?/);
  assert.equal(f.severity, 'warning');
  const fix = f.fixes[0];
  assert.deepEqual([fix.title, fix.isPreferred, fix.safeForFixAll], ['Change celry to celery', true, false]);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('bin/celry', 'bin/celery'), 'only the name changes; CRLF and LF stay');
  assert.deepEqual(found(fixed), []);
});

test('a typo in a folder on the way is found too: the first missing part, with a near folder whose path then exists', () => {
  const text = '[program:worker]\ncommand=/home/allianceserver/venv/authh/bin/celery -A myauth worker\n';
  const [f] = found(text);
  assert.match(f.message, /Did you mean \/home\/allianceserver\/venv\/auth\/bin\/celery\?/);
  assert.equal(f.fixes[0].title, 'Change authh to auth');
  assert.equal(applyEdits(text, f.fixes[0].edits), text.replace('authh', 'auth'));
  // A near folder in which the program is not there either: no guess.
  assert.deepEqual(found('[program:w]\ncommand=/home/allianceserver/venv/authh/bin/gunicorn\n')[0].fixes, []);
});

test('catches a missing directory, a command that is a folder or not executable', () => {
  assert.match(found('[program:w]\ncommand=/usr/bin/python3 -m http.server\ndirectory=/home/allianceserver/myauht\n')[0].message, /couldn't chdir to \/home\/allianceserver\/myauht: ENOENT.*Did you mean \/home\/allianceserver\/myauth\?/);
  assert.match(found('[program:w]\ncommand=/usr/bin/python3\ndirectory=/usr/bin/python3\n')[0].message, /couldn't chdir to \/usr\/bin\/python3: ENOTDIR/);
  assert.match(found('[program:w]\ncommand=/home/allianceserver/myauth run\n')[0].message, /command at '\/home\/allianceserver\/myauth' is a directory/);
  const notExecutable = found('[program:w]\ncommand=/home/allianceserver/venv/auth/bin/activate\n')[0];
  assert.match(notExecutable.message, /is not executable".*chmod \+x/);
  assert.deepEqual(notExecutable.fixes, []);
  assert.equal(found('[eventlistener:memmon]\ncommand=/home/allianceserver/venv/auth/bin/memmon -p w=1GB\nevents=TICK_60\n').length, 1, 'event listeners too');
});

test('does not catch paths written for another machine, on PATH, relative, expanded or fine', () => {
  const ok = [
    '[program:w]\ncommand=/home/someone/venv/bin/celery -A proj worker\ndirectory=/srv/elsewhere/app\n', // nothing of them below the top level here
    '[program:w]\ncommand=celery -A proj worker\n',
    '[program:w]\ncommand=venv/bin/celery -A proj worker\ndirectory=myauth\n',
    '[program:w]\ncommand=%(ENV_HOME)s/venv/bin/celery\ndirectory=%(here)s/app\n',
    '[program:w]\ncommand="/home/allianceserver/venv/auth/bin/cel"ry\n', // quoted: left alone
    '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celery -A myauth worker\ndirectory = /home/allianceserver/myauth \n',
    '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celry\nnumprocs=0\n', // runs nothing
  ];
  for (const text of ok) assert.deepEqual(found(text).map((f) => f.message), [], text);
});

test('silent without a view of the disk: the editor and CLI pass one only where supervisord runs', () => {
  const text = '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celry\n';
  assert.deepEqual(analyzeText(text).findings.filter((f) => f.code === CODE), []);
  const disk = machineWith('/home/allianceserver/venv/auth/bin/celery*');
  assert.equal(found(text, disk).length, 1);
  assert.ok(disk.asked.length < 10, `a few questions per program: ${disk.asked.join(' ')}`);
});
