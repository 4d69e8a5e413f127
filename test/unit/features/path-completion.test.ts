/** Completion of absolute paths from the disk, in the values that are paths. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/core/features/completion';
import { parse } from '../../../server/src/core/model/parse';
import { withCursor } from '../../support/cursor';
import { machineWith } from '../../support/machine';
import { lineAfterAccepting } from '../../support/completion';

const MACHINE = machineWith(
  '/home/allianceserver/venv/auth/bin/celery*',
  '/home/allianceserver/venv/auth/bin/celery-beat-helper',
  '/home/allianceserver/venv/auth/bin/python*',
  '/home/allianceserver/myauth/log/worker.log',
  '/home/allianceserver/myauth/.git/',
);

function labels(textWithCursor: string, machine = MACHINE, file?: string): string[] | undefined {
  const { text, position } = withCursor(textWithCursor);
  const { items } = completion(parse(text), position, { machine, file });
  const paths = items.filter((i) => i.kind === 'folder' || i.kind === 'file');
  return paths.length ? paths.map((i) => `${i.label} (${i.detail})`) : undefined;
}

test("a command's program: folders and programs, not other files", () => {
  assert.deepEqual(labels('[program:worker]\ncommand=/home/allianceserver/venv/auth/bin/c|'), ['celery (program)']);
  assert.deepEqual(labels('[program:worker]\ncommand=/home/allianceserver/venv/auth/bin/|'), ['celery (program)', 'python (program)']);
  assert.deepEqual(labels('[program:worker]\ncommand=/home/allianceserver/|'), ['myauth/ (folder)', 'venv/ (folder)']);
});

test('directory= offers folders only, hidden ones when asked for; log files offer files', () => {
  assert.deepEqual(labels('[program:worker]\ncommand=x\ndirectory=/home/allianceserver/myauth/|'), ['log/ (folder)']);
  assert.deepEqual(labels('[program:worker]\ncommand=x\ndirectory=/home/allianceserver/myauth/.|'), ['.git/ (folder)']);
  assert.deepEqual(labels('[program:worker]\ncommand=x\nstdout_logfile = /home/allianceserver/myauth/log/w|'), ['worker.log (file)']);
  assert.deepEqual(labels('[supervisord]\nlogfile=/home/allianceserver/myauth/log/|'), ['worker.log (file)']);
});

test('replaces only the name after the last slash', () => {
  const { text, position } = withCursor('[program:w]\ncommand=x\ndirectory=/home/allianceserver/my|\n');
  const [item] = completion(parse(text), position, { machine: MACHINE }).items;
  assert.deepEqual([item.insertText, item.range], ['myauth/', { start: { line: 2, character: 31 }, end: { line: 2, character: 33 } }]);
});

test('catches: a name the cursor is inside is replaced to the end of the path, the rest of the value stays', () => {
  const context = { machine: MACHINE };
  assert.equal(
    lineAfterAccepting('[program:w]\ncommand=/home/allianceserver/venv/auth/bin/cel|ry -A proj worker\n', 'celery', context),
    'command=/home/allianceserver/venv/auth/bin/celery -A proj worker',
  );
  assert.equal(
    lineAfterAccepting('[program:w]\ncommand=x\nstdout_logfile=/home/allianceserver/myauth/log/wo|rker.lg ; note\n', 'worker.log', context),
    'stdout_logfile=/home/allianceserver/myauth/log/worker.log ; note',
  );
  // Only the name the cursor is in: the rest of the path stays (a folder brings its own slash).
  assert.equal(
    lineAfterAccepting('[program:w]\ncommand=x\nstdout_logfile=/home/allianceserver/my|auth/log/worker.log\n', 'myauth/', context),
    'stdout_logfile=/home/allianceserver/myauth/log/worker.log',
  );
  // An editor set to insert rather than replace replaces only the name up to the cursor.
  const { text, position } = withCursor('[program:w]\ncommand=x\ndirectory=/home/allianceserver/my|auth\n');
  const [item] = completion(parse(text), position, context).items;
  assert.deepEqual([item.range, item.insertRange], [
    { start: { line: 2, character: 31 }, end: { line: 2, character: 37 } },
    { start: { line: 2, character: 31 }, end: { line: 2, character: 33 } },
  ]);
});

test('not in other values, relative paths, expansions, after the first word of a command, on continuation lines or without a disk', () => {
  for (const t of [
    '[program:w]\nuser=/home/|',
    '[program:w]\ndirectory=home/|',
    '[program:w]\ndirectory=%(here)s/|',
    '[program:w]\ncommand=/home/allianceserver/venv/auth/bin/celery -A /home/|',
    '[program:w]\ncommand=/bin/true\n  stdout_logfile=/home/|',
  ]) {
    assert.equal(labels(t), undefined, t);
  }
  const { text, position } = withCursor('[program:w]\ndirectory=/home/|');
  assert.ok(!completion(parse(text), position).items.some((i) => i.kind === 'folder'), 'no disk, no folders');
});

test('a folder with more entries than a list holds: the list says it is cut short, and typing narrows it', () => {
  const programs = Array.from({ length: 500 }, (_, i) => `/usr/bin/a${String(i).padStart(3, '0')}*`);
  const complete = (fixture: string, machine = machineWith(...programs, '/usr/bin/python3*')) => {
    const { text, position } = withCursor(fixture);
    return completion(parse(text), position, { machine });
  };
  const all = complete('[program:w]\ncommand=/usr/bin/|');
  assert.deepEqual([all.isIncomplete, all.items.length, all.items.some((i) => i.label === 'python3')], [true, 500, false]);
  const typed = complete('[program:w]\ncommand=/usr/bin/pyth|');
  assert.deepEqual([typed.isIncomplete, typed.items.map((i) => i.label)], [false, ['python3']]);
  const exactlyFull = complete('[program:w]\ncommand=/usr/bin/|', machineWith(...programs));
  assert.deepEqual([exactlyFull.isIncomplete, exactlyFull.items.length], [false, 500], 'every entry offered: complete');
  assert.equal(complete('[program:w]\nautostart=|').isIncomplete, false);
});

test('after %(here)s/, the folder of the config file: supervisor expands %(here)s to it', () => {
  const file = '/home/allianceserver/myauth/supervisor.conf';
  const here = machineWith(...['/home/allianceserver/myauth/log/worker.log', '/home/allianceserver/myauth/.git/', '/home/allianceserver/venv/auth/bin/celery*'], file);
  assert.deepEqual(labels('[program:w]\ncommand=x\ndirectory=%(here)s/|', here, file), ['log/ (folder)']);
  assert.deepEqual(labels('[program:w]\ncommand=x\nstdout_logfile=%(here)s/lo|', here, file), ['log/ (folder)']);
  assert.deepEqual(labels('[program:w]\ncommand=x\nstdout_logfile=%(here)s/log/|', here, file), ['worker.log (file)']);
  assert.deepEqual(labels('[program:w]\ncommand=%(here)s/../venv/auth/bin/|', here, file), ['celery (program)']);
  assert.deepEqual(labels('[program:w]\ncommand=x\ndirectory=%(here)s/.|', here, file), ['.git/ (folder)']);
  assert.deepEqual(labels('[supervisord]\nlogfile=%(here)s/log/w|', here, file), ['worker.log (file)']);
  // Only the name after the last slash is replaced: %(here)s stays.
  assert.equal(lineAfterAccepting('[program:w]\ncommand=x\nstdout_logfile=%(here)s/lo|\n', 'log/', { machine: here, file }), 'stdout_logfile=%(here)s/log/');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=x\nstdout_logfile = %(here)s/log/|\n', 'worker.log', { machine: here, file }), 'stdout_logfile = %(here)s/log/worker.log');
});

test('%(here)s/ offers nothing without a file (an unsaved document), nor where supervisor does not expand it', () => {
  const file = '/home/allianceserver/myauth/supervisor.conf';
  const here = machineWith('/home/allianceserver/myauth/log/worker.log', file);
  assert.equal(labels('[program:w]\ndirectory=%(here)s/|', here), undefined, 'no file');
  for (const t of [
    '[program:w]\ndirectory=%(here)s|', // no slash yet
    '[program:w]\ndirectory=%(here)s/%(program_name)s/|',
    '[program:w]\ndirectory=/srv/%(here)s/|',
    '[program:w]\nuser=%(here)s/|',
    '[program:w]\nstdout_logfile=%(here)s/missing/|',
  ]) {
    assert.equal(labels(t, here, file), undefined, t);
  }
});

test('[include] files=: each pattern completes from the disk, a relative one from the folder of the file', () => {
  const file = '/etc/supervisor/supervisord.conf';
  const etc = machineWith('/etc/supervisor/conf.d/myauth.conf', '/etc/supervisor/conf.d/old/', '/etc/supervisor/README', file);
  assert.deepEqual(labels('[include]\nfiles=conf.d/|', etc, file), ['myauth.conf (file)', 'old/ (folder)']);
  assert.deepEqual(labels('[include]\nfiles = /etc/supervisor/conf.d/m|', etc, file), ['myauth.conf (file)']);
  assert.deepEqual(labels('[include]\nfiles = /etc/supervisor/conf.d/m|', etc), ['myauth.conf (file)'], 'an absolute pattern needs no file');
  // The config itself is left out: supervisor would read it twice.
  assert.deepEqual(labels('[include]\nfiles=/srv/x.conf %(here)s/|', etc, file), ['README (file)', 'conf.d/ (folder)']);
  assert.equal(lineAfterAccepting('[include]\nfiles = /srv/*.conf conf.d/|\n', 'myauth.conf', { machine: etc, file }), 'files = /srv/*.conf conf.d/myauth.conf');
  for (const t of [
    '[include]\nfiles=co|', // no folder typed yet: the usual patterns instead
    '[include]\nfiles=conf.d/*|', // a glob is no folder to list
    '[include]\nfiles=conf.d/old/*/|',
  ]) {
    assert.equal(labels(t, etc, file), undefined, t);
  }
  assert.equal(labels('[include]\nfiles=conf.d/|', etc), undefined, 'a relative pattern without a file');
  // A line that continues the patterns: each of its words is one too.
  assert.deepEqual(labels('[include]\nfiles = /srv/*.conf\n    conf.d/|', etc, file), ['myauth.conf (file)', 'old/ (folder)']);
  assert.deepEqual(labels('[include]\nfiles =\n    /srv/*.conf /etc/supervisor/conf.d/o|\n', etc, file), ['old/ (folder)']);
  assert.equal(lineAfterAccepting('[include]\nfiles = /srv/*.conf\n  conf.d/m|\n', 'myauth.conf', { machine: etc, file }), '  conf.d/myauth.conf');
  assert.deepEqual(labels('[include]\nfiles = /srv/*.conf\n    %(here)s/|', etc, file), ['README (file)', 'conf.d/ (folder)']);
  // An expansion being typed there is no path: the expansions come, as on the first line.
  const { text, position } = withCursor('[include]\nfiles = /srv/*.conf\n    %(|');
  assert.deepEqual(completion(parse(text), position, { machine: etc, file }).items.map((i) => i.label), ['%(here)s', '%(host_node_name)s', '%(ENV_X)s']);
});
