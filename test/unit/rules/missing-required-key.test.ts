import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment } from '../../../server/src/core/analyze';

const CODE = 'missing-required-key';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches a program without command, anchored on the header', () => {
  const text = '[program:w]\nnumprocs=1\n';
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '[program:w]');
  assert.match(f.message, /does not specify a command/);
});

test('catches fcgi socket, listener events, include files, server keys and the rpc factory', () => {
  assert.equal(findings('[fcgi-program:f]\ncommand=ls\n', CODE).length, 1);
  assert.equal(findings('[eventlistener:l]\ncommand=ls\nevents=\n', CODE).length, 1);
  assert.equal(findings('[supervisord]\n[include]\n', CODE).length, 1);
  assert.equal(findings('[unix_http_server]\nchmod=0700\n', CODE).length, 1);
  assert.equal(findings('[inet_http_server]\n', CODE).length, 1);
  assert.equal(findings('[rpcinterface:supervisor]\n', CODE).length, 1);
});

test('an empty [group:x] is only a warning', () => {
  assert.equal(findings('[group:g]\n', CODE)[0].severity, 'warning');
  assert.equal(findings('[group:g]\nprograms=\n', CODE)[0].severity, 'warning');
});

test('does not catch numprocs=0 programs, memmon listeners, [DEFAULT] keys or repeated headers', () => {
  assert.deepEqual(findings('[program:w]\nnumprocs=0\n', CODE), []);
  assert.deepEqual(findings('[eventlistener:memmon]\ncommand=memmon -p w=200MB\n', CODE), [], 'memmon-tick-missing reports it');
  assert.deepEqual(findings('[DEFAULT]\ncommand=ls\n[program:w]\nnumprocs=1\n', CODE), []);
  assert.deepEqual(findings('[program:w]\nnumprocs=1\n[program:w]\ncommand=ls\n', CODE), []);
});

test('does not catch socket= in an fcgi-program a group lists, here or in another file (supervisor runs it as a plain program)', () => {
  assert.deepEqual(findings('[supervisord]\n[fcgi-program:f]\ncommand=ls\n[group:g]\nprograms=f\n', CODE), []);
  assert.deepEqual(findings('[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=\n[group:g]\nprograms=f\n', CODE), []);
  const [, fragment] = analyzeDeployment([
    { path: '/etc/supervisord.conf', text: '[supervisord]\n[include]\nfiles=f.conf\n[group:g]\nprograms=f\n' },
    { path: '/etc/f.conf', text: '[fcgi-program:f]\ncommand=ls\n' },
  ]);
  assert.deepEqual(fragment.findings.filter((f) => f.code === CODE), []);
  assert.equal(findings('[supervisord]\n[fcgi-program:f]\n[group:g]\nprograms=f\n', CODE).length, 1, 'command= is still required');
  assert.equal(findings('[supervisord]\n[fcgi-program:f]\ncommand=ls\n[group:g]\nprograms=h\n', CODE).length, 1, 'a group that lists another program');
});

test('the fixes add the usual value and are safe', () => {
  assert.equal(applyFix('[rpcinterface:supervisor]\n', CODE), '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n');
  assert.equal(checker.checkAll('[supervisord]\r\n[unix_http_server] ; socket\r\nchmod=0700\r\n[rpcinterface:supervisor]\r\n[include]\r\n', undefined, [CODE]), 3);
  assert.equal(findings('[program:w]\nnumprocs=1\n', CODE)[0].fixes.length, 0, 'no guess at a command');
});

test('in a template, does not catch a section one of whose headers has a templated key (it may hold the key)', () => {
  const text = '[program:w]\n{{ command_key }}=celery worker\n[program:w]\nnumprocs=1\n[program:v]\nautostart={{ start }}\n';
  // [program:w]'s command may be the templated key; [program:v] names no templated key, so its missing command counts.
  assert.deepEqual(
    findings(text, CODE).map((f) => f.range.start.line),
    [4],
  );
});
