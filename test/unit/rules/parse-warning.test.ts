import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'parse-warning';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches AUTO logs without rotation, an ignored stderr_logfile and syslog log files', () => {
  const fs = findings('[program:w]\ncommand=ls\nstdout_logfile_maxbytes=0\n', CODE);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].severity, 'information');
  assert.equal(findings('[program:w]\ncommand=ls\nredirect_stderr=true\nstderr_logfile=/var/log/w.err\n', CODE).length, 1);
  assert.match(findings('[program:w]\ncommand=ls\nstdout_logfile=syslog\n', CODE)[0].message, /deprecated/);
});

test('does not catch files with rotation, NONE, or redirect without a path', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstdout_logfile=/l/w.log\nstdout_logfile_maxbytes=0\nredirect_stderr=true\nstderr_logfile=NONE\n', CODE), []);
});

test('does not catch a log file named by a server-side variable (expanded twice, it is still unknown here)', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nredirect_stderr=true\nstderr_logfile=%(ENV_ERRLOG)s\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nstdout_logfile=%(ENV_LOG)s\nstdout_logfile_maxbytes=0\n', CODE), []);
});

test('catches an ignored stderr_logfile under %(here)s: whatever the folder, it is a path', () => {
  assert.equal(findings('[program:w]\ncommand=ls\nredirect_stderr=true\nstderr_logfile=%(here)s/logs/w.err\n', CODE).length, 1);
});

test('the fixes are safe', () => {
  assert.equal(checker.checkAll('[program:w]\r\ncommand=ls\r\nstdout_logfile=syslog ; s\r\nredirect_stderr=true\r\nstderr_logfile=/var/log/x.err\r\n', undefined, [CODE]), 2);
});

test('stdout_syslog=true goes in at the indentation of the keys around it, so it swallows none of them', () => {
  const text = '[program:w]\n  command=sleep 10\n  stdout_logfile=syslog\n  autostart=false\n';
  assert.equal(applyFix(text, CODE), text.replace('stdout_logfile=syslog\n', 'stdout_logfile=NONE\n  stdout_syslog=true\n'));
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
});
