import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'expansion-not-allowed';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches real names in keys that do not offer them', () => {
  for (const text of ['[program:w]\ncommand=ls\nnumprocs=%(process_num)s\n', '[program:w]\ncommand=ls\npriority=%(program_name)s\n', '[supervisord]\nlogfile=/var/log/%(program_name)s.log\n', '[supervisord]\nenvironment=H="%(host_node_name)s"\n']) {
    const [f] = findings(text, CODE);
    assert.ok(f, text);
    assert.equal(f.severity, 'error', text);
  }
});

test('does not catch names the key offers, or %(here)s in a fragment or with [include]', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls %(process_num)d\ndirectory=/srv/%(process_num)d\nstdout_logfile=/l/%(numprocs)d\n', CODE), []);
  assert.deepEqual(findings('[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:%(here)s\n', CODE), [], 'a fragment');
  assert.equal(findings('[supervisord]\n[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:%(here)s\n', CODE).length, 1, 'a main file without [include]');
  assert.deepEqual(findings('[supervisord]\n[include]\nfiles=a\n[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:%(here)s\n', CODE), []);
});

test('does not catch the socket keys of an fcgi-program a group lists (supervisor never reads them), nor its user= (read as a program\'s)', () => {
  for (const keys of ['socket=unix:///tmp/%(process_num)s.sock', 'socket=tcp://localhost:9000\nuser=%(program_name)s']) {
    const alone = `[supervisord]\n[fcgi-program:f]\ncommand=ls\n${keys}\n`;
    assert.equal(findings(alone, CODE)[0]?.severity, 'error', keys);
    assert.deepEqual(findings(`${alone}[group:g]\nprograms=f\n`, CODE), [], keys);
  }
});

test('the fix for [supervisord] environment escapes for the second expansion and is safe', () => {
  assert.equal(applyFix('[supervisord]\nenvironment=H="%(host_node_name)s"\n', CODE), '[supervisord]\nenvironment=H="%%(host_node_name)s"\n');
  assert.equal(checker.checkAll('[supervisord]\r\nenvironment=H="%(host_node_name)s"\r\n', undefined, [CODE]), 1);
});
