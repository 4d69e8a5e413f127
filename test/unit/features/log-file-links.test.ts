/** Which log files a config names, as links: after supervisor's expansions, one path per process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import { logFileLinks } from '../../../server/src/core/features/logFileLinks';

function links(text: string, file: string | null = '/etc/supervisor/conf.d/app.conf'): [string, string[]][] {
  const { doc, deployment } = analyzeText(text);
  const lines = text.split('\n');
  return logFileLinks(doc, deployment, file ?? undefined).map((l) => [lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.paths]);
}

test('links stdout_logfile, stderr_logfile and [supervisord] logfile on their values', () => {
  assert.deepEqual(
    links('[supervisord]\nlogfile=/var/log/supervisor/supervisord.log ; rotated\n\n[program:worker]\ncommand=celery -A proj worker\nstdout_logfile=/srv/log/worker.log\nstderr_logfile = /srv/log/worker.err\n'),
    [
      ['/srv/log/worker.log', ['/srv/log/worker.log']],
      ['/srv/log/worker.err', ['/srv/log/worker.err']],
      ['/var/log/supervisor/supervisord.log', ['/var/log/supervisor/supervisord.log']],
    ],
  );
});

test('expands the names supervisor knows: program, group, process number with its format, here', () => {
  const text =
    '[group:celery]\nprograms=worker\n\n[program:worker]\ncommand=celery -A proj worker\nnumprocs=3\nnumprocs_start=1\nprocess_name=%(program_name)s_%(process_num)02d\n' +
    'stdout_logfile=%(here)s/../log/%(group_name)s-%(program_name)s_%(process_num)02d.log\n';
  assert.deepEqual(links(text), [
    [
      '%(here)s/../log/%(group_name)s-%(program_name)s_%(process_num)02d.log',
      ['/etc/supervisor/log/celery-worker_01.log', '/etc/supervisor/log/celery-worker_02.log', '/etc/supervisor/log/celery-worker_03.log'],
    ],
  ]);
});

test('one path for the processes of a value without %(process_num), and at most 20 tried', () => {
  const many = '[program:w]\ncommand=x\nnumprocs=500\nprocess_name=%(process_num)s\nstdout_logfile=/l/w_%(process_num)s.log\nstderr_logfile=/l/w.err\n';
  const [out, err] = links(many);
  assert.equal(out[1].length, 20);
  assert.deepEqual(err[1], ['/l/w.err']);
});

test('one link on a [DEFAULT] value that several programs take, with the file of each', () => {
  assert.deepEqual(links('[DEFAULT]\nstdout_logfile=/var/log/%(program_name)s.log\n[program:a]\ncommand=x\n[program:b]\ncommand=y\n[program:c]\ncommand=z\nstdout_logfile=/var/log/c.out\n'), [
    ['/var/log/%(program_name)s.log', ['/var/log/a.log', '/var/log/b.log']],
    ['/var/log/c.out', ['/var/log/c.out']],
  ]);
});

test('does not link what names no file here: special targets, devices, relative, ~ and environment paths, an unknown here', () => {
  for (const value of ['AUTO', 'none', 'Syslog', 'OFF', '/dev/stdout', 'log/w.log', '~/w.log', '/l/%(ENV_HOME)s.log', '/l/%(host_node_name)s.log']) {
    assert.deepEqual(links(`[program:w]\ncommand=x\nstdout_logfile=${value}\n`), [], value);
  }
  assert.deepEqual(links('[program:w]\ncommand=x\nstdout_logfile=%(here)s/w.log\n', null), [], 'an unsaved file has no folder');
  assert.deepEqual(links('[program:w]\ncommand=x\nnumprocs=0\nstdout_logfile=/l/w.log\n'), [], 'no process, no log');
});
