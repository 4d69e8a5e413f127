import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'memmon-overlap';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const WORKERS = '[program:worker]\ncommand=celery -A p worker\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n\n';
const listener = (name: string, command: string, extra = '') => `[eventlistener:${name}]\ncommand=${command}\nevents=TICK_60\n${extra}\n`;

test('catches a memmon listener with numprocs > 1, anchored on the value', () => {
  const text = WORKERS + listener('memmon', 'memmon -c -g worker=256MB', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)s\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '2');
  assert.equal(applyFix(text, CODE), WORKERS + listener('memmon', 'memmon -c -g worker=256MB', 'numprocs=1\nprocess_name=%(program_name)s_%(process_num)s\n'));
});

test('catches two listeners watching the same process, anchored on the second selector', () => {
  const text = WORKERS + listener('memmon', 'memmon -p worker_00=256MB') + listener('memmon2', 'memmon -c -g worker=512MB');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '-g worker=512MB');
  assert.match(f.message, /worker_00/);
});

test('catches two listeners with -a, or the same -p name, even for programs defined elsewhere', () => {
  assert.equal(findings(listener('a', 'memmon -a 1GB') + listener('b', 'memmon -a 2GB'), CODE).length, 1);
  assert.equal(findings(listener('a', 'memmon -p web=1GB') + listener('b', 'memmon -p web=2GB'), CODE).length, 1);
});

test('catches one memmon whose -p and -g or -a match the same process', () => {
  const text = WORKERS + listener('memmon', 'memmon -p worker_00=256MB -g worker=512MB');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '-g worker=512MB');
  assert.equal(findings(WORKERS + listener('memmon', 'memmon -p worker_01=256MB -a 1GB'), CODE).length, 1);
  assert.equal(findings(listener('memmon', 'memmon -p celery:w1=256MB -g celery=1GB'), CODE).length, 1, 'group from the group:name form');
});

test('does not catch distinct selectors, -g with -a, or a single listener', () => {
  assert.deepEqual(findings(WORKERS + listener('memmon', 'memmon -c -g worker=256MB'), CODE), []);
  assert.deepEqual(findings(WORKERS + listener('memmon', 'memmon -c -g worker=256MB -a 1GB'), CODE), [], 'memmon skips -a after a -g restart');
  assert.deepEqual(findings(WORKERS + '[program:web]\ncommand=gunicorn app\n\n' + listener('a', 'memmon -p worker_00=256MB') + listener('b', 'memmon -p web=1GB'), CODE), []);
  assert.deepEqual(findings(WORKERS + listener('memmon', 'memmon -p worker_00=256MB -p worker_01=256MB', 'numprocs=1\n'), CODE), []);
  assert.deepEqual(findings(WORKERS + '[program:web]\ncommand=gunicorn app\n\n' + listener('memmon', 'memmon -p worker_00=256MB -g web=1GB'), CODE), []);
});

test('the fix is safe: CRLF and comments', () => {
  const text = (WORKERS + listener('memmon', 'memmon -c -g worker=256MB ; all of them', '; two copies\nnumprocs = 3 ; why\nprocess_name=m%(process_num)d\n')).replace(/\n/g, '\r\n');
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
});
