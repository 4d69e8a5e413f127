import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-logs-auto';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const program = (extra: string, command = 'celery -A proj worker -l info') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a worker with no log settings at all, anchored on the header', () => {
  const text = program('user=app\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '[program:worker]');
  assert.match(f.message, /AUTO/);
});

test('catches redirect_stderr=true without stdout_logfile, and stdout_logfile=AUTO', () => {
  assert.equal(findings(program('redirect_stderr=true\n'), CODE).length, 1);
  const text = program('redirect_stderr=yes\nstdout_logfile=auto\n');
  assert.equal(textAt(text, findings(text, CODE)[0]), 'auto');
});

test('catches stderr left in AUTO while stdout has a file', () => {
  const text = program('stdout_logfile=/var/log/worker.out\n');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '[program:worker]');
  assert.equal(applyFix(text, CODE), program('stdout_logfile=/var/log/worker.out\nredirect_stderr=true\n'));
});

test('catches beat and flower too', () => {
  assert.equal(findings(program('', 'celery -A proj beat'), CODE).length, 1);
  assert.equal(findings(program('', 'celery -A proj flower'), CODE).length, 1);
});

test('does not catch logs that go to a file, to syslog, or to celery --logfile', () => {
  assert.deepEqual(findings(program('redirect_stderr=true\nstdout_logfile=/var/log/w.log\n'), CODE), []);
  assert.deepEqual(findings(program('stderr_logfile=/var/log/w.err\n'), CODE), [], 'stdout holds only the banner');
  assert.deepEqual(findings(program('stderr_syslog=true\n'), CODE), []);
  assert.deepEqual(findings(program('', 'celery -A proj worker -f /var/log/celery/%%n.log'), CODE), []);
  assert.deepEqual(findings(program('', 'celery -A proj worker --logfile=/var/log/w.log'), CODE), []);
  assert.deepEqual(findings(program('redirect_stderr=true\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n'), CODE), []);
});

test('does not catch other programs', () => {
  assert.deepEqual(findings(program('', 'gunicorn app'), CODE), []);
  assert.deepEqual(findings(program('', 'celery -A proj multi start w1'), CODE), []);
});

test('explains without a fix when stdout is NONE', () => {
  const [f] = findings(program('stdout_logfile=NONE\n'), CODE);
  assert.equal(f.fixes.length, 0);
  assert.match(f.message, /stderr_logfile/);
});

test('the fix logs to the program directory, else /var/log, one file per process', () => {
  assert.equal(applyFix(program('directory=/srv/app/\n'), CODE), program('directory=/srv/app/\nredirect_stderr=true\nstdout_logfile=/srv/app/worker.log\n'));
  assert.equal(applyFix(program('user=app\n'), CODE), program('user=app\nredirect_stderr=true\nstdout_logfile=/var/log/worker.log\n'));
  assert.equal(applyFix(program('directory=%(here)s\n'), CODE), program('directory=%(here)s\nredirect_stderr=true\nstdout_logfile=/var/log/worker.log\n'));
  assert.equal(
    applyFix(program('numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n'), CODE),
    program('numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\nredirect_stderr=true\nstdout_logfile=/var/log/worker_%(process_num)02d.log\n'),
  );
  assert.equal(applyFix(program('redirect_stderr=false\nstdout_logfile=AUTO\n'), CODE), program('redirect_stderr=true\nstdout_logfile=/var/log/worker.log\n'));
});

test('the fixed file does not trip shared-log-file', () => {
  const fixed = applyFix(program('numprocs=3\nprocess_name=%(program_name)s_%(process_num)02d\n'), CODE);
  assert.deepEqual(findings(fixed, 'shared-log-file'), []);
});

test('the fix is safe: CRLF, comments, continuation lines', () => {
  assert.equal(checker.checkAll('[program:worker]\r\ncommand=celery -A proj\r\n  worker ; w\r\n; logs\r\n\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A proj worker\nstdout_logfile=/tmp/w.log\nstderr_logfile=AUTO\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A proj worker\nredirect_stderr=true\n', undefined, [CODE]), 1);
});
