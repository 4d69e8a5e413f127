import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
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

test('does not catch paths written for another machine, found on PATH, relative, expanded or fine', () => {
  const ok = [
    '[program:w]\ncommand=/home/someone/venv/bin/celery -A proj worker\ndirectory=/srv/elsewhere/app\n', // nothing of them below the top level here
    '[program:w]\ncommand=python3 -m http.server\n', // on PATH: /usr/bin/python3
    '[program:w]\ncommand=venv/bin/celery -A proj worker\ndirectory=myauth\n',
    '[program:w]\ncommand=%(ENV_HOME)s/venv/bin/celery\ndirectory=%(here)s/app\n',
    '[program:w]\ncommand="/home/allianceserver/venv/auth/bin/cel"ry\n', // quoted: left alone
    '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celery -A myauth worker\ndirectory = /home/allianceserver/myauth \n',
    '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celry\nnumprocs=0\n', // runs nothing
    '[program:worker]\ncommand={{ venv }}/bin/celery -A {{ app }} worker\ndirectory={{ app_dir }}\n', // a template
    '[program:worker]\ncommand={{ celery_bin }} -A app worker\n',
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

const GUNICORN = '[program:web]\ncommand=/home/allianceserver/venv/auth/bin/gunicorn myauth.wsgi\n\n';
const SERVICE_DIRS = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

test('catches a command without a folder that is on none of the PATH folders, with the virtualenv of another program as the fix', () => {
  const machine = machineWith('/home/allianceserver/venv/auth/bin/celery*', '/home/allianceserver/venv/auth/bin/gunicorn*', '/usr/bin/python3*');
  const text = `${GUNICORN}[program:worker]\r\ncommand=celery -A myauth worker -l info ; the venv's\r\n`;
  const [f, ...rest] = found(text, machine);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, f), 'celery');
  assert.equal(
    f.message,
    `'worker' cannot start on this machine: supervisor says "can't find command 'celery'" and marks it FATAL after startretries. ` +
      `It looks only in the PATH systemd gives supervisord as a service (${SERVICE_DIRS}): write the program's full path. ` +
      'Did you mean /home/allianceserver/venv/auth/bin/celery?',
  );
  const [fix, ...others] = f.fixes;
  assert.deepEqual([fix.title, fix.isPreferred, fix.safeForFixAll, others.length], ['Use /home/allianceserver/venv/auth/bin/celery', true, false, 0]);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('=celery', '=/home/allianceserver/venv/auth/bin/celery'), 'the word only: CRLF and the comment stay');
  assert.deepEqual(found(fixed, machine), []);
});

test("a command without a folder: the usual virtualenvs of directory= as guesses, none preferred when there are several", () => {
  const machine = machineWith('/srv/app/.venv/bin/celery*', '/srv/app/venv/bin/celery*');
  const [f] = found('[program:worker]\ncommand=celery -A app worker\ndirectory=/srv/app\n', machine);
  assert.deepEqual(
    f.fixes.map((x) => [x.title, x.isPreferred]),
    [
      ['Use /srv/app/venv/bin/celery', false],
      ['Use /srv/app/.venv/bin/celery', false],
    ],
  );
  assert.match(f.message, /Did you mean \/srv\/app\/venv\/bin\/celery or \/srv\/app\/.venv\/bin\/celery\?/);
  // Nowhere to be seen: the finding without a fix.
  assert.deepEqual(found('[program:worker]\ncommand=pipenv run celery -A app worker\ndirectory=/srv/app\n', machine)[0].fixes, []);
});

test('a command without a folder is looked for as supervisor does: environment= PATH, then [supervisord] environment= PATH, then supervisord\'s own', () => {
  const machine = machineWith('/home/allianceserver/venv/auth/bin/celery*', '/opt/tools/bin/celery', '/usr/bin/python3*');
  const worker = (env: string) => `[program:worker]\ncommand=celery -A myauth worker\n${env}`;
  assert.deepEqual(found(worker('environment=PATH="/home/allianceserver/venv/auth/bin:/usr/bin",DJANGO_SETTINGS_MODULE=myauth.settings\n'), machine), []);
  assert.match(found(worker('environment=PATH=/usr/bin\n'), machine)[0].message, /It looks only in the PATH its environment= sets \(\/usr\/bin\)/);
  // The first folder with that name wins, even when the file there cannot run.
  assert.match(found(worker('environment=PATH="/opt/tools/bin:/home/allianceserver/venv/auth/bin"\n'), machine)[0].message, /command at '\/opt\/tools\/bin\/celery' is not executable/);

  // [supervisord] environment= of the main file, for a program in a fragment; the program's own PATH overrides it.
  const main = (env: string) => ({ path: '/etc/supervisor/supervisord.conf', text: `[supervisord]\n${env}\n[include]\nfiles=conf.d/*.conf\n` });
  const fragment = (env = '') => ({ path: '/etc/supervisor/conf.d/myauth.conf', text: worker(env) });
  const fragmentFindings = (files: { path: string; text: string }[]) =>
    analyzeDeployment(files, undefined, true, undefined, machine)[1].findings.filter((x) => x.code === CODE).map((x) => x.message);
  assert.deepEqual(fragmentFindings([main('environment=PATH="/home/allianceserver/venv/auth/bin:/usr/bin"'), fragment()]), []);
  assert.match(fragmentFindings([main('environment=PATH="/usr/bin"'), fragment()])[0], /the PATH \[supervisord\] environment= sets \(\/usr\/bin\)/);
  assert.deepEqual(fragmentFindings([main('environment=PATH="/usr/bin"'), fragment('environment=PATH="/home/allianceserver/venv/auth/bin"\n')]), []);

  // supervisord's own PATH, when it can be read from the one running here.
  const running = (dirs: string[]): MachineView => ({ ...machine, supervisordPath: () => ({ dirs, from: 'running' }) });
  assert.deepEqual(found(worker(''), running(['/home/allianceserver/venv/auth/bin', '/usr/bin'])), []);
  assert.match(found(worker(''), running(['/usr/bin', '/bin']))[0].message, /It looks only in the PATH of the supervisord running here \(\/usr\/bin:\/bin\)/);
});

test('does not judge a command without a folder where the PATH is not known here', () => {
  const machine = machineWith('/usr/bin/python3*');
  const ok = [
    '[program:w]\ncommand=celery -A proj worker\nenvironment=PATH="/srv/venv/bin:%(ENV_PATH)s"\n', // expanded by supervisor from its own environment
    '[program:w]\ncommand=celery -A proj worker\nenvironment=PATH="bin:/usr/bin"\n', // relative to supervisord's working directory
    '[program:w]\ncommand=celery -A proj worker\nenvironment=PATH=""\n',
    '[program:w]\ncommand="celery" -A proj worker\n', // quoted: left alone
    '[program:w]\ncommand=%(ENV_CELERY)s -A proj worker\n',
  ];
  for (const text of ok) assert.deepEqual(found(text, machine).map((f) => f.message), [], text);
  const partly = found('[program:w]\ncommand=celery -A proj worker\nenvironment=PATH="/usr/bin:$PATH"\n', machine);
  assert.deepEqual(partly, [], '$PATH is not expanded by supervisor: a relative folder named $PATH, not searched by us');
});

test("expansions filled in as supervisor does (%(here)s is the file's folder): found, but not fixed in the text", () => {
  const text = '[program:myauth]\ncommand=%(here)s/../venv/auth/bin/celry -A %(program_name)s worker\ndirectory=/home/allianceserver/%(program_name)ss\n';
  const findings = analyzeText(text, undefined, undefined, SERVER, '/home/allianceserver/myauth/supervisor.conf').findings.filter((f) => f.code === CODE);
  assert.deepEqual(
    findings.map((f) => [textAt(text, f), f.message.replace(/ and marks it FATAL after startretries/, ''), f.fixes.length]),
    [
      ['%(here)s/../venv/auth/bin/celry', `'myauth' cannot start on this machine: supervisor says "can't find command '/home/allianceserver/venv/auth/bin/celry'". Did you mean /home/allianceserver/venv/auth/bin/celery?`, 0],
      ['/home/allianceserver/%(program_name)ss', `'myauth' cannot start on this machine: supervisor says "couldn't chdir to /home/allianceserver/myauths: ENOENT". Did you mean /home/allianceserver/myauth?`, 0],
    ],
  );
  assert.deepEqual(
    found(text).map((f) => textAt(text, f)),
    ['/home/allianceserver/%(program_name)ss'],
    'without the file: %(here)s is not known, the program name is',
  );
});
