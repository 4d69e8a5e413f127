/** Hover over a program's log file: the file of each process and the disk it can take with rotation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/core/features/hover';
import { parse } from '../../../server/src/core/model/parse';
import { withCursor } from '../../support/cursor';

function hoverText(fixture: string): string | undefined {
  const { text, position } = withCursor(fixture);
  return hover(parse(text), position)?.markdown;
}

test('one file, rotated with the defaults: 50 MB and 10 backups, 550 MB at most', () => {
  const md = hoverText('[program:worker]\ncommand=celery -A proj worker\nstdout_logfile=/var/log/celery/wor|ker.log\n');
  assert.equal(
    md,
    '**stdout_logfile=/var/log/celery/worker.log**\n\nThe process writes `/var/log/celery/worker.log`.\n\n' +
      'Rotated at 50 MB (stdout_logfile_maxbytes, the default), keeping 10 backups (stdout_logfile_backups, the default): at most 550 MB per file.',
  );
});

test('a file per process after the expansions, and the rotation the program sets', () => {
  const md = hoverText(
    '[program:worker]\ncommand=celery -A proj worker\nnumprocs=6\nprocess_name=%(program_name)s_%(process_num)02d\n' +
      'stderr_logfile=/var/log/%(program_name)s_%(process_num)02d.e|rr\nstderr_logfile_maxbytes=10MB\nstderr_logfile_backups=2\n',
  )!;
  assert.match(md, /Each process writes its own file: `\/var\/log\/worker_00\.err`, `\/var\/log\/worker_01\.err`, `\/var\/log\/worker_02\.err`, `\/var\/log\/worker_03\.err`, \.\.\./);
  assert.match(md, /Rotated at 10 MB \(stderr_logfile_maxbytes\), keeping 2 backups \(stderr_logfile_backups\): at most 30 MB per file\./);
});

test('several processes in one file, no rotation, a name only the server knows', () => {
  assert.match(hoverText('[program:w]\ncommand=x\nnumprocs=2\nprocess_name=%(process_num)s\nstdout_logfile=/l/w.l|og\nstdout_logfile_maxbytes=0\n')!, /All 2 processes write `\/l\/w\.log`\.\n\nNot rotated \(stdout_logfile_maxbytes=0\): the file grows without limit\./);
  assert.match(hoverText('[program:w]\ncommand=x\nstdout_logfile=/l/%(ENV_HOME)s/w.l|og\n')!, /depends on a value known only on the server/);
});

test('AUTO, NONE and syslog keep their own explanation', () => {
  assert.match(hoverText('[program:w]\ncommand=x\nstdout_logfile=AU|TO\n')!, /AUTO: a file in childlogdir/);
  assert.match(hoverText('[program:w]\ncommand=x\nstdout_logfile=NO|NE\n')!, /discarded/);
});
