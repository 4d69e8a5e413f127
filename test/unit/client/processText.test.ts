import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlPicks, groupPicks, processPicks, updateCommand } from '../../../client/src/processText';

const base = { group: 'worker', statename: 'RUNNING', description: 'pid 7, uptime 0:01:02', stderr_logfile: '' };

test('a pick per log file of each process: stdout, and stderr when it has its own', () => {
  assert.deepEqual(
    processPicks([
      { ...base, name: 'worker_00', stdout_logfile: '/var/log/w0.log' },
      { ...base, name: 'worker_01', statename: 'FATAL', description: 'Exited too quickly', stdout_logfile: '/var/log/w1.log', stderr_logfile: '/var/log/w1.err' },
    ]),
    [
      { label: 'worker_00', description: 'RUNNING · pid 7, uptime 0:01:02', detail: 'Open /var/log/w0.log', log: '/var/log/w0.log' },
      { label: 'worker_01 (stdout)', description: 'FATAL · Exited too quickly', detail: 'Open /var/log/w1.log', log: '/var/log/w1.log' },
      { label: 'worker_01 (stderr)', description: 'FATAL · Exited too quickly', detail: 'Open /var/log/w1.err', log: '/var/log/w1.err' },
    ],
  );
  const [quiet] = processPicks([{ ...base, name: 'w', description: '', stdout_logfile: 'none' }]);
  assert.deepEqual([quiet.description, quiet.log], ['RUNNING', '']);
  assert.match(quiet.detail, /No log file/);
  // A container's supervisord: the output goes to its own stdout, which is no file to open.
  const [container] = processPicks([{ ...base, name: 'w', stdout_logfile: '/dev/stdout', stderr_logfile: '/dev/stderr' }]);
  assert.deepEqual([container.log, container.detail], ['', 'Its output goes to /dev/stdout and /dev/stderr: no file to open']);
});

test('with the main config, each log can be followed with supervisorctl tail -f: the process by group:name, stderr named', () => {
  const main = '/etc/supervisor/supervisord.conf';
  const picks = processPicks(
    [
      { ...base, group: 'myauth', name: 'worker', stdout_logfile: '/var/log/w.log', stderr_logfile: '/var/log/w.err' },
      { ...base, name: 'beat', group: 'beat', stdout_logfile: '/dev/stdout' },
      { ...base, name: 'my worker', stdout_logfile: '/var/log/x.log' },
    ],
    main,
  );
  assert.deepEqual(
    picks.map((p) => p.follow),
    [
      `supervisorctl -c ${main} tail -f myauth:worker`,
      `supervisorctl -c ${main} tail -f myauth:worker stderr`,
      // Nothing to follow where the output is no file.
      undefined,
      `supervisorctl -c ${main} tail -f 'worker:my worker'`,
    ],
  );
  // Without a main config (nothing to name in -c), no follow command.
  assert.ok(processPicks([{ ...base, name: 'w', stdout_logfile: '/var/log/w.log' }]).every((p) => p.follow === undefined));
});

test("supervisorctl update for the program's group, with the main config, quoted for the shell where needed", () => {
  assert.equal(updateCommand('/etc/supervisor/supervisord.conf', 'myauth'), 'supervisorctl -c /etc/supervisor/supervisord.conf update myauth');
  assert.equal(updateCommand("/srv/my app/it's.conf", 'w'), `supervisorctl -c '/srv/my app/it'\\''s.conf' update w`);
});

test('supervisorctl restart, stop and start for the program: stop only where a process runs, start only where one does not', () => {
  const main = '/etc/supervisor/supervisord.conf';
  const commands = (states: string[], namespecs = ['worker:']) =>
    controlPicks(main, { program: 'worker', namespecs, processes: states.map((statename, i) => ({ ...base, name: `worker_0${i}`, statename, stdout_logfile: '' })) }).map((p) => p.command);
  assert.deepEqual(commands(['RUNNING', 'RUNNING']), [`supervisorctl -c ${main} restart worker:`, `supervisorctl -c ${main} stop worker:`]);
  assert.deepEqual(commands(['FATAL', 'RUNNING']), [`supervisorctl -c ${main} restart worker:`, `supervisorctl -c ${main} stop worker:`, `supervisorctl -c ${main} start worker:`]);
  assert.deepEqual(commands(['STOPPED']), [`supervisorctl -c ${main} restart worker:`, `supervisorctl -c ${main} start worker:`]);
  assert.deepEqual(commands(['STOPPING']), [`supervisorctl -c ${main} restart worker:`], 'on its way down: neither');
  assert.deepEqual(commands(['BACKOFF'], ['myauth:worker_00', "it's"]), [`supervisorctl -c ${main} restart myauth:worker_00 'it'\\''s'`, `supervisorctl -c ${main} stop myauth:worker_00 'it'\\''s'`]);
  const [restart] = controlPicks(main, { program: 'worker', namespecs: ['worker:'], processes: [] });
  assert.deepEqual([restart.label, restart.detail], ['$(debug-restart) Restart worker', restart.command]);
});

test('a program in a [group:x] with others: its own processes by name, and a restart of the whole group', () => {
  const main = '/etc/supervisor/supervisord.conf';
  const processes = [{ ...base, group: 'myauth', name: 'worker', stdout_logfile: '' }];
  const picks = controlPicks(main, { program: 'worker', namespecs: ['myauth:worker'], processes, sharedGroup: 'myauth' });
  assert.deepEqual(
    picks.map((p) => [p.label, p.command]),
    [
      ['$(debug-restart) Restart worker', `supervisorctl -c ${main} restart myauth:worker`],
      ['$(debug-stop) Stop worker', `supervisorctl -c ${main} stop myauth:worker`],
      ['$(debug-restart) Restart group myauth', `supervisorctl -c ${main} restart myauth:`],
    ],
  );
});

test('the groups supervisord runs, for the command palette: each with its processes by state', () => {
  const p = (group: string, name: string, statename = 'RUNNING') => ({ ...base, group, name, statename, stdout_logfile: '' });
  const picks = groupPicks([p('myauth', 'gunicorn'), p('myauth', 'worker', 'FATAL'), p('memmon', 'memmon'), p('myauth', 'beat')]);
  assert.deepEqual(
    picks.map(({ label, description, detail, processes }) => [label, description, detail, processes.length]),
    [
      ['myauth', '1 FATAL, 2 RUNNING', 'gunicorn, worker, beat', 3],
      ['memmon', '1 RUNNING', 'memmon', 1],
    ],
  );
  const many = groupPicks(Array.from({ length: 8 }, (_, i) => p('w', `w_0${i}`)));
  assert.equal(many[0].detail, 'w_00, w_01, w_02, w_03, w_04, w_05, ...');
});
