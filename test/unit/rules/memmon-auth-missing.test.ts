import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'memmon-auth-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const RPC = '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n';
const main = (auth: string, listenerExtra = '') =>
  `[supervisord]\n\n[unix_http_server]\nfile=/var/run/supervisor.sock\n${auth}\n${RPC}[program:worker]\ncommand=celery -A p worker\n\n[eventlistener:memmon]\ncommand=memmon -p worker=256MB\nevents=TICK_60\n${listenerExtra}`;

test('catches a login on the server without credentials for memmon, anchored on the listener header', () => {
  const text = main('username=admin\npassword=s3cret\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[eventlistener:memmon]');
  assert.match(f.message, /SUPERVISOR_USERNAME or SUPERVISOR_PASSWORD/);
});

test('catches an environment= that lacks one of the two, anchored on it, without a fix', () => {
  const text = main('username=admin\npassword=s3cret\n', 'environment=SUPERVISOR_USERNAME="admin",HOME="/srv"\n');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), 'SUPERVISOR_USERNAME="admin",HOME="/srv"');
  assert.match(f.message, /SUPERVISOR_PASSWORD/);
  assert.equal(f.fixes.length, 0);
});

test('catches the inet server when there is no unix socket', () => {
  const text = `[supervisord]\n[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword=p\n${RPC}[eventlistener:memmon]\ncommand=memmon -a 1GB\nevents=TICK_60\n`;
  assert.equal(findings(text, CODE).length, 1);
});

test('does not catch servers without login, credentials given here or in [supervisord], or fragments', () => {
  assert.deepEqual(findings(main(''), CODE), []);
  assert.deepEqual(findings(main('username=admin\npassword=s3cret\n', 'environment=SUPERVISOR_USERNAME="admin",SUPERVISOR_PASSWORD="s3cret"\n'), CODE), []);
  assert.deepEqual(findings(main('username=admin\npassword=s3cret\n').replace('[supervisord]\n', '[supervisord]\nenvironment=SUPERVISOR_USERNAME="admin",SUPERVISOR_PASSWORD="s3cret"\n'), CODE), []);
  assert.deepEqual(findings('[eventlistener:memmon]\ncommand=memmon -a 1GB\nevents=TICK_60\n[unix_http_server]\nfile=/x.sock\nusername=u\npassword=p\n', CODE), [], 'fragment');
});

test('the fix passes the server login through environment=, as written there', () => {
  assert.equal(
    applyFix(main('username=admin\npassword=50%%off\n'), CODE),
    main('username=admin\npassword=50%%off\n', 'environment=SUPERVISOR_USERNAME="admin",SUPERVISOR_PASSWORD="50%%off"\n'),
  );
  assert.equal(
    applyFix(main('username=admin\npassword=say"hi"\n'), CODE),
    main('username=admin\npassword=say"hi"\n', `environment=SUPERVISOR_USERNAME="admin",SUPERVISOR_PASSWORD='say"hi"'\n`),
  );
});

test('no fix for a {SHA} password: the clear text is needed', () => {
  const [f] = findings(main('username=admin\npassword={SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d\n'), CODE);
  assert.equal(f.fixes.length, 0);
  assert.match(f.message, /clear-text/);
});

test('the fix is safe: CRLF and comments', () => {
  assert.equal(checker.checkAll(main('username=admin ; who\npassword=s3cret\n', '; memmon end\n').replace(/\n/g, '\r\n'), undefined, [CODE]), 1);
});
