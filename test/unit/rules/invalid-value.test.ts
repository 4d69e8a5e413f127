import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const CODE = 'invalid-value';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches each datatype with supervisor\'s message', () => {
  const cases: [string, RegExp][] = [
    ['autostart=maybe', /not a valid boolean value: 'maybe'/],
    ['numprocs=two', /invalid literal for int\(\) with base 10: 'two'/],
    ['stdout_logfile_maxbytes=50M', /invalid literal for int\(\) with base 10: '50m'/],
    ['umask=089', /089 can not be converted to an octal type/],
    ['stopsignal=TERMINATE', /value 'TERMINATE' is not a valid signal name/],
    ['stopsignal=33', /is not a valid signal number/],
    ['autorestart=always', /invalid 'autorestart' value 'always'/],
    ['exitcodes=0;2', /not a valid list of exit codes: '0;2'/],
    ['exitcodes=0,256', /not a valid list of exit codes/],
    ['process_name=my worker', /Invalid name/],
  ];
  for (const [line, re] of cases) {
    const [f] = findings(`[program:w]\ncommand=ls\n${line}\n`, CODE);
    assert.ok(f, line);
    assert.equal(f.severity, 'error', line);
    assert.match(f.message, re, line);
  }
  assert.match(findings('[inet_http_server]\nport=99999\n', CODE)[0].message, /not a valid port number/);
  assert.match(findings('[eventlistener:l]\ncommand=ls\nevents=TICK_30\n', CODE)[0].message, /Unknown event type TICK_30/);
  assert.match(findings('[fcgi-program:f]\ncommand=ls\nsocket=unix://rel.sock\n', CODE)[0].message, /not an absolute path/);
});

test('does not catch every spelling supervisor accepts', () => {
  const ok = ['autostart=On', 'autostart=1', 'numprocs= +1', 'startsecs=0_10', 'stdout_logfile_maxbytes=1gb', 'stdout_logfile_maxbytes=50 MB', 'umask=0o22', 'stopsignal=sigterm', 'stopsignal=9', 'stopsignal=RTMIN', 'autorestart=Unexpected', 'exitcodes=', 'exitcodes=0, 2', 'startretries=%(ENV_RETRIES)s'];
  for (const line of ok) assert.deepEqual(findings(`[program:w]\ncommand=ls\n${line}\n`, CODE), [], line);
  assert.deepEqual(findings('[eventlistener:l]\ncommand=ls\nevents=tick_60, process_state\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nnumprocs={{ workers }}\n', CODE), [], 'templated value');
});

const chown = (v: string) => `[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\nchown=${v}\n`;
const socketOwner = (v: string) => `[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix:///tmp/f.sock\nsocket_owner=${v}\n`;
const EMPTY_NAMES = ['nobody:', ':root', '', ':'];

test('catches an empty user or group in chown= and socket_owner=, which no machine has', () => {
  for (const v of EMPTY_NAMES) {
    const [a] = findings(chown(v), CODE);
    assert.equal(a?.severity, 'error', `chown=${v}`);
    assert.match(a.message, new RegExp(`Invalid sockchown value ${v}\\)`));
    const [b] = findings(socketOwner(v), CODE);
    assert.equal(b?.severity, 'error', `socket_owner=${v}`);
    assert.match(b.message, new RegExp(`Invalid socket_owner value ${v}\\)`));
  }
});

test('catches an empty user=, which no machine has (supervisor: "Invalid user name")', () => {
  for (const text of ['[program:w]\ncommand=ls\nuser=\n', '[program:w]\ncommand=ls\nuser=   ; nobody yet\n', '[supervisord]\nuser=\n', '[eventlistener:l]\ncommand=ls\nevents=TICK_60\nuser=\n']) {
    const [f] = findings(text, CODE);
    assert.equal(f?.severity, 'error', text);
    assert.match(f.message, /user=: supervisor refuses the file \(Invalid user name\)\. Write the account to run as/, text);
  }
  assert.deepEqual(findings('[program:w]\ncommand=ls\nuser=app\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nuser=%(ENV_RUN_AS)s\n', CODE), [], 'decided on the server');
});

test('does not catch a user or user:group, which only the machine can judge', () => {
  for (const v of ['root', 'root:root', '0:0', 'nosuchuser:nosuchgroup', 'www-data:www-data']) {
    assert.deepEqual(findings(chown(v), CODE), [], `chown=${v}`);
    assert.deepEqual(findings(socketOwner(v), CODE), [], `socket_owner=${v}`);
  }
});

/** %(here)s, the config file's folder, in values whose type no path can be. */
const HERE_REFUSED = [
  '[supervisord]\numask=%(here)s\n',
  '[supervisord]\n[program:x]\ncommand=ls\n[group:g]\nprograms=x\npriority=%(here)s\n',
  '[supervisord]\n[program:x]\ncommand=ls\nautostart=%(here)s\n',
  '[supervisord]\n[program:x]\ncommand=ls\nstopsignal=%(here)r\n',
  '[supervisord]\n[program:x]\ncommand=ls\npriority=%(here).1r\n',
  '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=TICK_60,%(here)s\n',
  '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix:///tmp/f.sock\nsocket_mode=%(here)s\n',
];
/** ... and where a path can be, or the folder is cut away. */
const HERE_ACCEPTED = [
  '[supervisord]\n[program:x]\ncommand=ls\nnumprocs_start=%(here).0s5\n',
  '[supervisord]\n[program:x]\ncommand=ls\ndirectory=%(here)s\nstdout_logfile=%(here)s/x.log\n',
  '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix://%(here)s/f.sock\n',
];

test('catches %(here)s in a value whose type no folder path can be (integer, octal, boolean, signal ...)', () => {
  for (const text of HERE_REFUSED) {
    const [f, ...rest] = findings(text, CODE);
    assert.equal(rest.length, 0, text);
    assert.equal(f?.severity, 'error', text);
    assert.match(f.message, /%\(here\)s is the folder of the config file, a path/, text);
  }
});

test('does not catch %(here)s where a path fits or the folder is cut away, nor a value with another server-side name', () => {
  for (const text of HERE_ACCEPTED) assert.deepEqual(findings(text, CODE), [], text);
  assert.deepEqual(findings('[supervisord]\nminfds=%(ENV_X)s%(here).0s\n', CODE), [], 'ENV_X may be a number');
});

test('supervisor agrees on %(here)s in typed values', { skip: oracleUnavailable() }, () => {
  const verdicts = verdictsOf([...HERE_REFUSED, ...HERE_ACCEPTED]);
  HERE_REFUSED.forEach((t, i) => assert.notEqual(verdicts[i], 'ok', t));
  HERE_ACCEPTED.forEach((t, i) => assert.equal(verdicts[HERE_REFUSED.length + i], 'ok', t));
});

test('supervisor agrees: it refuses an empty user or group in chown= and socket_owner=, on any machine', { skip: oracleUnavailable() }, () => {
  const refused = [...EMPTY_NAMES.map(chown), ...EMPTY_NAMES.map(socketOwner)];
  const accepted = [chown('root:root'), chown('0'), socketOwner('root:root'), socketOwner('0:0')];
  const verdicts = verdictsOf([...refused, ...accepted]);
  refused.forEach((t, i) => assert.match(verdicts[i], /Invalid (sockchown|socket_owner) value/, t));
  accepted.forEach((t, i) => assert.equal(verdicts[refused.length + i], 'ok', t));
});

test('overridden duplicates and numprocs=0 programs', () => {
  assert.deepEqual(findings('[program:w]\ncommand=ls\nautostart=maybe\nautostart=true\n', CODE), []);
  assert.equal(findings('[program:w]\nnumprocs=0\nstdout_logfile_maxbytes=50M\n', CODE)[0].severity, 'warning');
});

test('catches a process_name character supervisor refuses even with numprocs=0: it checks the template before the per-process loop', () => {
  for (const numprocs of ['0', '-3']) {
    const [f] = findings(`[program:x]\ncommand=ls\nnumprocs=${numprocs}\nprocess_name=%(program_name)s x\n`, CODE);
    assert.equal(f.severity, 'error', numprocs);
    assert.match(f.message, /Invalid name/);
  }
});

test('does not catch the socket keys of an fcgi-program a group lists: supervisor never reads them', () => {
  for (const keys of ['socket=tcp://:1', 'socket=unix://relative.sock', 'socket=unix:///tmp/f.sock\nsocket_mode=999', 'socket=unix:///tmp/f.sock\nsocket_backlog=0', 'socket=tcp://localhost:9000\nsocket_owner=nobody']) {
    const alone = `[supervisord]\n[fcgi-program:f]\ncommand=ls\n${keys}\n`;
    assert.equal(findings(alone, CODE).length, 1, keys);
    assert.deepEqual(findings(`${alone}[group:g]\nprograms=f\n`, CODE), [], keys);
  }
  assert.equal(findings('[supervisord]\n[fcgi-program:f]\ncommand=ls\nautostart=maybe\n[group:g]\nprograms=f\n', CODE).length, 1, 'its program keys are read');
});

test('the did-you-mean fixes are safe, CRLF and continuation lines included', () => {
  assert.equal(applyFix('[program:w]\ncommand=ls\nstdout_logfile_maxbytes=50M\n', CODE), '[program:w]\ncommand=ls\nstdout_logfile_maxbytes=50MB\n');
  assert.equal(applyFix('[program:w]\ncommand=ls\nautorestart=always\n', CODE), '[program:w]\ncommand=ls\nautorestart=true\n');
  const text = '[program:w]\r\ncommand=ls ; x\r\nexitcodes=0;2\r\nstartsecs=10s\r\nstopsignal=TREM\r\nautostart=ture\r\n';
  assert.ok(checker.checkAll(text, undefined, [CODE]) >= 4);
  assert.equal(checker.checkAll('[rpcinterface:supervisor]\r\nsupervisor.rpcinterface_factory = supervisor.rpcinterface.make_main_rpcinterface\r\n', undefined, [CODE]), 1);
});

test('does not catch numbers written as Python int() reads them: any Unicode decimal digits, underscores, a 0o prefix for octal', () => {
  for (const line of ['numprocs=٣', 'numprocs=1_0', 'priority= ٩٩٩ ', 'stdout_logfile_maxbytes=٥٠MB', 'umask=0o٧٧']) {
    assert.deepEqual(findings(`[program:w]\ncommand=/bin/true\n${line}\n`, CODE), [], line);
  }
});

test('catches whitespace that str.strip() removes but int() refuses (the 0x1c-0x1f separators) before a size suffix', () => {
  // configparser strips the value's ends; int() then sees '5\x1c' from '5\x1cMB' and refuses it.
  const [f] = findings('[program:w]\ncommand=/bin/true\nstdout_logfile_maxbytes=5\x1cMB\n', CODE);
  assert.match(f?.message ?? '', /invalid literal for int\(\) with base 10/);
});
