import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'shared-log-file';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const many = (extra: string) => `[program:worker]\ncommand=celery -A proj worker\nnumprocs=3\nprocess_name=%(program_name)s_%(process_num)02d\n${extra}`;

test('catches numprocs > 1 without %(process_num) in the path, anchored on the path', () => {
  const text = many('redirect_stderr=true\nstdout_logfile=/var/log/worker.log\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '/var/log/worker.log');
  assert.match(f.message, /numprocs=3/);
});

test('names the rotation size the program sets, or the default', () => {
  const [set] = findings(many('redirect_stderr=true\nstdout_logfile=/var/log/worker.log\nstdout_logfile_maxbytes=1GB\n'), CODE);
  assert.match(set.message, /rotates it at stdout_logfile_maxbytes=1GB separately/);
  const [unset] = findings(many('redirect_stderr=true\nstdout_logfile=/var/log/worker.log\n'), CODE);
  assert.match(unset.message, /rotates it at stdout_logfile_maxbytes \(default 50MB\) separately/);
});

test('catches two programs writing one file, on each side', () => {
  const text = '[program:a]\ncommand=celery -A p worker\nstdout_logfile=/var/log/app.log\n\n[program:b]\ncommand=celery -A p beat\nstdout_logfile = /var/log//app.log ; same\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 2);
  assert.ok(fs.every((f) => f.severity === 'warning'));
  assert.match(fs[0].message, /'b'/);
  assert.match(fs[1].message, /'a'/);
});

test('catches any program, not only Celery, and paths that expand to the same file', () => {
  assert.equal(findings('[program:web]\ncommand=gunicorn app\nnumprocs=2\nprocess_name=web%(process_num)d\nstderr_logfile=/var/log/%(program_name)s.err\n', CODE).length, 1);
  assert.equal(findings('[program:a]\ncommand=x\nstdout_logfile=/l/%(group_name)s.log\n[program:b]\ncommand=y\nstdout_logfile=/l/g.log\n[group:g]\nprograms=a,b\n', CODE).length, 2);
});

test('catches stdout and stderr of one process in one file as information (the Alliance Auth template)', () => {
  const text = '[program:worker]\ncommand=celery -A p worker\nstdout_logfile = /srv/log/%(program_name)s.log\nstderr_logfile = /srv/log/%(program_name)s.log\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '/srv/log/%(program_name)s.log');
  assert.equal(applyFix(text, CODE), '[program:worker]\ncommand=celery -A p worker\nstdout_logfile = /srv/log/%(program_name)s.log\nredirect_stderr = true\n');
});

test('offers stdout_logfile=NONE for an event listener, which cannot use redirect_stderr', () => {
  const text = '[eventlistener:memmon]\ncommand=memmon -p worker=256MB\nevents=TICK_60\nstdout_logfile=/srv/log/memmon.log\nstderr_logfile=/srv/log/memmon.log\n';
  assert.equal(applyFix(text, CODE), '[eventlistener:memmon]\ncommand=memmon -p worker=256MB\nevents=TICK_60\nstdout_logfile=NONE\nstderr_logfile=/srv/log/memmon.log\n');
});

test('does not catch per-process paths, rotation turned off, AUTO/NONE/syslog or /dev/stdout', () => {
  assert.deepEqual(findings(many('stdout_logfile=/var/log/w_%(process_num)02d.log\nstderr_logfile=/var/log/w_%(process_num)02d.err\n'), CODE), []);
  assert.deepEqual(findings(many('redirect_stderr=true\nstdout_logfile=/var/log/w.log\nstdout_logfile_maxbytes=0\n'), CODE), []);
  assert.deepEqual(findings(many('stdout_logfile=AUTO\nstderr_logfile=NONE\n'), CODE), []);
  assert.deepEqual(findings(many('stdout_logfile=syslog\n'), CODE), []);
  assert.deepEqual(findings(many('stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n'), CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=x\nstdout_logfile=/l/w.log\nstderr_logfile=/l/w.log\nstdout_logfile_maxbytes=0\nstderr_logfile_maxbytes=0\n', CODE), []);
});

test('does not catch a stderr_logfile that redirect_stderr=true ignores, or paths that may differ', () => {
  assert.deepEqual(findings('[program:w]\ncommand=x\nredirect_stderr=true\nstdout_logfile=/l/w.log\nstderr_logfile=/l/w.log\n', CODE), []);
  assert.deepEqual(findings('[program:a]\ncommand=x\nenvironment=LOGS="/a"\nstdout_logfile=%(ENV_LOGS)s/x.log\n[program:b]\ncommand=x\nenvironment=LOGS="/b"\nstdout_logfile=%(ENV_LOGS)s/x.log\n', CODE), []);
});

test('the fix puts _%(process_num)02d before the extension, or at the end', () => {
  assert.equal(applyFix(many('redirect_stderr=true\nstdout_logfile=/var/log/worker.log\n'), CODE), many('redirect_stderr=true\nstdout_logfile=/var/log/worker_%(process_num)02d.log\n'));
  assert.equal(applyFix(many('redirect_stderr=true\nstdout_logfile=/var/log.d/worker\n'), CODE), many('redirect_stderr=true\nstdout_logfile=/var/log.d/worker_%(process_num)02d\n'));
});

test('the fixes are safe: CRLF, comments, both streams', () => {
  assert.equal(checker.checkAll(many('stdout_logfile=/tmp/w.log ; out\r\nstderr_logfile=/tmp/w.err\r\n').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'), undefined, [CODE]), 2);
  assert.equal(checker.checkAll('[program:worker]\ncommand=celery -A p worker\n; logs\nstdout_logfile=/tmp/w.log\nredirect_stderr=false\nstderr_logfile=/tmp/w.log\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll('[eventlistener:memmon]\ncommand=memmon -a 1GB\nevents=TICK_60\nstdout_logfile=/tmp/m.log\nstderr_logfile=/tmp/m.log\n', undefined, [CODE]), 1);
});

test('catches other programs by their first three labels, each program once, "writes" for one and "write" for more', () => {
  const text =
    '[program:a]\ncommand=x\nstdout_logfile=/l/s.log\n\n' +
    '[program:b]\ncommand=x\nnumprocs=2\nprocess_name=b%(process_num)d\nstdout_logfile=/l/s.log\nstderr_logfile=/l/s.log\n\n' +
    '[program:c]\ncommand=x\nstdout_logfile=/l/s.log\n\n' +
    '[program:d]\ncommand=x\nstdout_logfile=/l/other.log\n\n[program:e]\ncommand=x\nstdout_logfile=/l/other.log\n';
  const messages = findings(text, CODE).map((f) => f.message.slice(0, f.message.indexOf('. supervisor')));
  assert.deepEqual(messages, [
    "stdout_logfile /l/s.log is shared: 'b' (stdout_logfile), 'b' (stderr_logfile), 'c' (stdout_logfile) write it too",
    "stdout_logfile /l/s.log is shared: all 2 processes of 'b' (numprocs=2) write it, because the path does not contain %(process_num); 'a' (stdout_logfile), 'c' (stdout_logfile) write it too",
    "stderr_logfile /l/s.log is shared: all 2 processes of 'b' (numprocs=2) write it, because the path does not contain %(process_num); 'a' (stdout_logfile), 'c' (stdout_logfile) write it too",
    "stdout_logfile /l/s.log is shared: 'a' (stdout_logfile), 'b' (stdout_logfile), 'b' (stderr_logfile) write it too",
    "stdout_logfile /l/other.log is shared: 'e' (stdout_logfile) writes it too",
    "stdout_logfile /l/other.log is shared: 'd' (stdout_logfile) writes it too",
  ]);
});

test('does not catch a path whose program name brings %(process_num) in at the second expansion', () => {
  // The template names no process_num, its first expansion does: each process still gets its own file.
  assert.deepEqual(findings('[program:w%(process_num)d]\ncommand=x\nnumprocs=2\nprocess_name=p%(process_num)d\nstdout_logfile=/l/%(program_name)s.log\n', CODE), []);
  assert.equal(findings('[program:w]\ncommand=x\nnumprocs=2\nprocess_name=p%(process_num)d\nstdout_logfile=/l/%(program_name)s_%(numprocs)d.log\n', CODE).length, 1);
});

test('catches every one of 2,000 programs writing stdout and stderr to one file (the large shape)', () => {
  // Each writer used to be compared with all the others: this took seconds.
  const n = 2000;
  const text = Array.from({ length: n }, (_, i) => `[program:w${i}]\ncommand=x\nstdout_logfile=/var/log/all.log\nstderr_logfile=/var/log/all.log\n`).join('\n');
  const fs = findings(text, CODE);
  assert.equal(fs.length, 2 * n);
  assert.ok(fs.every((f) => f.severity === 'warning' && f.fixes.length === 0 && / write it too\. /.test(f.message)));
  const others = (f: (typeof fs)[number]) => f.message.slice(f.message.indexOf(': ') + 2, f.message.indexOf(' write it too'));
  assert.equal(others(fs[0]), "'w1' (stdout_logfile), 'w1' (stderr_logfile), 'w2' (stdout_logfile), ...");
  assert.equal(others(fs[3]), "'w0' (stdout_logfile), 'w0' (stderr_logfile), 'w2' (stdout_logfile), ...");
  assert.equal(others(fs[2 * n - 1]), "'w0' (stdout_logfile), 'w0' (stderr_logfile), 'w1' (stdout_logfile), ...");
});

test('catches every one of 1,000 programs of 20 processes writing one file, with the per-process fix', () => {
  const n = 1000;
  const text = Array.from({ length: n }, (_, i) => `[program:w${i}]\ncommand=x\nnumprocs=20\nprocess_name=%(program_name)s_%(process_num)s\nstdout_logfile=/var/log/all.log\n`).join('\n');
  const fs = findings(text, CODE);
  assert.equal(fs.length, n);
  assert.ok(fs.every((f) => /all 20 processes of 'w\d+' \(numprocs=20\)/.test(f.message) && f.fixes[0]?.isPreferred));
  assert.match(fs[n - 1].message, /; 'w0' \(stdout_logfile\), 'w1' \(stdout_logfile\), 'w2' \(stdout_logfile\), \.\.\. write it too\./);
});
