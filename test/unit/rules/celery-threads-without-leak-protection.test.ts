import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-threads-without-leak-protection';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const conf = (command: string, rest = '') => `[program:worker]\ncommand=${command}\n${rest}`;

test('catches gevent, eventlet and threads workers no memmon watches, on the pool option', () => {
  for (const spelling of ['-P gevent', '-Pgevent', '--pool=gevent', '--pool eventlet', '-P threads']) {
    const text = conf(`celery -A p worker ${spelling} -c 10`);
    const [f] = findings(text, CODE);
    assert.equal(f?.severity, 'information', spelling);
    assert.equal(textAt(text, f), spelling);
  }
});

test('does not catch prefork or solo workers, or watched ones', () => {
  assert.deepEqual(findings(conf('celery -A p worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker -P solo'), CODE), []);
  const watched = (sel: string) => conf('celery -A p worker -P gevent', `\n[eventlistener:memmon]\ncommand=memmon ${sel}\nevents=TICK_60\n`);
  assert.deepEqual(findings(watched('-p worker=512MB'), CODE), []);
  assert.deepEqual(findings(watched('-g worker=512MB'), CODE), []);
  assert.deepEqual(findings(watched('-a 1GB'), CODE), []);
  assert.equal(findings(watched('-p other=512MB'), CODE).length, 1, 'a memmon that watches something else');
});

test('the fix adds a memmon listener without -c (one process)', () => {
  const fixed = applyFix(conf('celery -A p worker -P gevent -c 10'), CODE);
  assert.match(fixed, /\[eventlistener:memmon\]\ncommand=memmon -p worker=512MB\nevents=TICK_60\n$/);
});

test('every fix is safe', () => {
  checker.checkAll(conf('celery -A p worker -P threads').replace(/\n/g, '\r\n'), undefined, [CODE]);
  checker.checkAll(`[supervisord]\n[inet_http_server]\nport=127.0.0.1:9001\n\n${conf('celery -A p worker -P gevent')}`, undefined, [CODE]);
  assert.equal(checker.fixesChecked, 2);
});
