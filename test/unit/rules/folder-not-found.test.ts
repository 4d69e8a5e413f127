import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import type { MachineView } from '../../../server/src/core/machine';
import { machineWith } from '../../support/machine';
import { textAt } from '../../support/rules';

const CODE = 'folder-not-found';

const SERVER = machineWith('/var/log/supervisor/', '/var/log/celery/', '/var/run/', '/srv/app/', '/srv/app/manage.py', '/home/allianceserver/myauth/log/');

function found(text: string, machine: MachineView = SERVER) {
  return analyzeText(text, undefined, undefined, machine).findings.filter((f) => f.code === CODE);
}

test('catches a log file whose folder is not there, as an error: supervisor refuses the whole file', () => {
  const text = '[program:worker]\ncommand=/bin/true\nstdout_logfile = /var/log/myauth/worker.log ; made by hand\n';
  const [f, ...rest] = found(text);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '/var/log/myauth/worker.log');
  assert.equal(
    f.message,
    'supervisor refuses the file: "The directory named as part of the path /var/log/myauth/worker.log does not exist", so supervisorctl reread fails and supervisord does not start. Create it (mkdir -p /var/log/myauth).',
  );
  assert.deepEqual(f.fixes, []);
  assert.equal(found(text.replace('stdout_logfile', 'stderr_logfile')).length, 1, 'stderr_logfile too');
});

test('a near folder as the fix, changing only that part of the path', () => {
  const text = '[program:worker]\r\ncommand=/bin/true\r\nstdout_logfile=/var/log/celry/worker.log\r\n';
  const [f] = found(text);
  assert.match(f.message, /Did you mean \/var\/log\/celery\?/);
  const fix = f.fixes[0];
  assert.deepEqual([fix.title, fix.isPreferred, fix.safeForFixAll], ['Change celry to celery', true, false]);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('celry', 'celery'));
  assert.deepEqual(found(fixed), []);
});

test("each process's file, expanded as supervisor does; %(here)s from the file's folder", () => {
  const numbered = '[program:worker]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\nstdout_logfile=/srv/app/logs/%(program_name)s_%(process_num)02d.log\n';
  assert.match(found(numbered)[0].message, /the path \/srv\/app\/logs\/worker_00\.log does not exist/);
  const files = [{ path: '/home/allianceserver/myauth/supervisor.conf', text: '[program:beat]\ncommand=/bin/true\nstdout_logfile=%(here)s/logs/beat.log\n' }];
  const [analysis] = analyzeDeployment(files, undefined, true, undefined, SERVER);
  const [f] = analysis.findings.filter((x) => x.code === CODE);
  assert.match(f.message, /\/home\/allianceserver\/myauth\/logs\/beat\.log does not exist.*Did you mean \/home\/allianceserver\/myauth\/log\?/);
  assert.deepEqual(f.fixes, [], 'no fix inside an expansion');
  // A file checked alone whose path is known (the CLI, an editor file outside a deployment).
  const alone = analyzeText(files[0].text, undefined, undefined, SERVER, files[0].path).findings.filter((x) => x.code === CODE);
  assert.equal(alone.length, 1);
});

test("catches [supervisord]'s logfile and pidfile folders, and childlogdir= and directory= that are not folders", () => {
  const text = '[supervisord]\nlogfile=/var/log/supervisord/supervisord.log\npidfile=/var/run/supervisor/supervisord.pid\nchildlogdir=/var/log/supervisor/children\ndirectory=/srv/app/manage.py\n';
  const messages = found(text).map((f) => f.message);
  assert.equal(messages.length, 4);
  assert.match(messages[0], /the path \/var\/log\/supervisord\/supervisord\.log does not exist.*Did you mean \/var\/log\/supervisor\?/);
  assert.match(messages[1], /the path \/var\/run\/supervisor\/supervisord\.pid does not exist/);
  assert.match(messages[2], /"\/var\/log\/supervisor\/children is not an existing directory"/);
  assert.match(messages[3], /"\/srv\/app\/manage\.py is not an existing directory"/);
  // Repeated [supervisord] sections merge: only the last logfile= is read.
  assert.equal(found('[supervisord]\nlogfile=/var/log/nowhere/s.log\n\n[supervisord]\nlogfile=/var/log/supervisor/s.log\n').length, 0);
});

test("does not catch folders that exist, special values, relative or ~ paths, another machine's paths, names only supervisord knows", () => {
  const ok = [
    '[program:w]\ncommand=/bin/true\nstdout_logfile=/var/log/celery/w.log\nstderr_logfile=/var/log/celery/w.err\n',
    '[program:w]\ncommand=/bin/true\nstdout_logfile=AUTO\nstderr_logfile=NONE\n',
    '[program:w]\ncommand=/bin/true\nstdout_logfile=syslog\n',
    '[program:w]\ncommand=/bin/true\nstdout_logfile=logs/w.log\nstderr_logfile=~/logs/w.err\n',
    '[program:w]\ncommand=/bin/true\nstdout_logfile=/home/someone/app/logs/w.log\n', // nothing of it below the top level here
    '[program:w]\ncommand=/bin/true\nstdout_logfile=%(ENV_LOGS)s/w.log\n',
    '[program:w]\ncommand=/bin/true\nstdout_logfile=%(here)s/logs/w.log\n', // the file\'s folder is not known
    '[program:w]\ncommand=/bin/true\nstdout_logfile=/dev/stdout\n',
    '[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\npidfile=/var/run/supervisord.pid\nchildlogdir=/var/log/supervisor\n',
    '[program:w]\ncommand=/bin/true\nnumprocs=0\nstdout_logfile=/var/log/nowhere/w.log\n',
    '[program:{{ name }}]\ncommand=/bin/true\nstdout_logfile=/var/log/{{ name }}/w.log\n', // a template: placeholders until rendered
  ];
  for (const text of ok) assert.deepEqual(found(text).map((f) => f.message), [], text);
  const unreadable: MachineView = { ...SERVER, kind: (p) => (p === '/var/log/private' ? 'other' : SERVER.kind(p)) };
  assert.deepEqual(found('[program:w]\ncommand=/bin/true\nstdout_logfile=/var/log/private/w.log\n', unreadable), [], 'a folder this user may not look into');
  assert.deepEqual(analyzeText('[program:w]\ncommand=/bin/true\nstdout_logfile=/var/log/myauth/w.log\n').findings.filter((f) => f.code === CODE), [], 'without a view of the machine');
});
