import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processPicks, updateCommand } from '../../../client/src/processText';

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
});

test("supervisorctl update for the program's group, with the main config, quoted for the shell where needed", () => {
  assert.equal(updateCommand('/etc/supervisor/supervisord.conf', 'myauth'), 'supervisorctl -c /etc/supervisor/supervisord.conf update myauth');
  assert.equal(updateCommand("/srv/my app/it's.conf", 'w'), `supervisorctl -c '/srv/my app/it'\\''s.conf' update w`);
});
