import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'memmon-no-rpc';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const SERVER = '[unix_http_server]\nfile=/var/run/supervisor.sock\n\n';
const RPC = '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n';
const LISTENER = '[eventlistener:memmon]\ncommand=memmon -p worker=256MB\nevents=TICK_60\n';
const main = (sections: string) => `[supervisord]\nnodaemon=true\n\n${sections}[program:worker]\ncommand=celery -A p worker\n\n${LISTENER}`;

test('catches a main file with neither server nor rpcinterface, anchored on the listener header', () => {
  const text = main('');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[eventlistener:memmon]');
  assert.match(f.message, /KeyError/);
});

test('catches a missing rpcinterface, and a missing server', () => {
  assert.match(findings(main(SERVER), CODE)[0].message, /\[rpcinterface:supervisor\]/);
  assert.match(findings(main(RPC), CODE)[0].message, /unix_http_server/);
  assert.equal(findings(main('[inet_http_server]\nport=127.0.0.1:9001\n\n'), CODE).length, 1);
});

test('reports information without a fix when an [include] may hold the sections', () => {
  const [f] = findings(main('[include]\nfiles=conf.d/*.conf\n\n'), CODE);
  assert.equal(f.severity, 'information');
  assert.equal(f.fixes.length, 0);
});

test('does not catch a complete main file, fragments, explicit serverurl, or files without memmon', () => {
  assert.deepEqual(findings(main(SERVER + RPC), CODE), []);
  assert.deepEqual(findings(main('[inet_http_server]\nport=9001\n\n' + RPC), CODE), []);
  assert.deepEqual(findings(`[program:worker]\ncommand=celery -A p worker\n\n${LISTENER}`, CODE), [], 'fragment');
  assert.deepEqual(findings(main('').replace('events=TICK_60', 'events=TICK_60\nserverurl=http://other:9001'), CODE), []);
  assert.deepEqual(findings('[supervisord]\n[program:worker]\ncommand=celery -A p worker\n', CODE), []);
});

test('the fix appends exactly the missing sections', () => {
  assert.equal(applyFix(main(SERVER), CODE), `${main(SERVER)}\n${RPC.trimEnd()}\n`);
  assert.equal(
    applyFix(main(''), CODE),
    `${main('')}\n[unix_http_server]\nfile=/var/run/supervisor.sock\nchmod=0700\n\n${RPC.trimEnd()}\n`,
  );
});

test('the fix is safe: CRLF, trailing comments, no final newline', () => {
  assert.equal(checker.checkAll(main('').replace(/\n/g, '\r\n') + '; end\r\n', undefined, [CODE]), 1);
  assert.equal(checker.checkAll(main(RPC).trimEnd(), undefined, [CODE]), 1);
});
