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

const messages = (text: string) => findings(text, CODE).map((f) => `${f.message.match(/\[eventlistener:\w+\] and \[eventlistener:\w+\]|\[eventlistener:\w+\] matches/)![0]} @ ${textAt(text, f)} : ${f.message.match(/'[^']+'/)![0]}`);

test('catches two listeners on the first process they share, and names the first earlier listener', () => {
  const text = WORKERS + listener('m0', 'memmon -p worker_01=1GB') + listener('m1', 'memmon -p worker_00=1GB') + listener('m2', 'memmon -a 1GB');
  assert.deepEqual(messages(text), ['[eventlistener:m0] and [eventlistener:m2] @ -a 1GB : \'worker_01\'']);
  const withProgram = WORKERS + listener('m0', 'memmon -p worker_01=1GB') + listener('m1', 'memmon -p worker_00=1GB') + listener('m2', 'memmon -a 1GB -p worker_01=2GB');
  assert.deepEqual(messages(withProgram), [
    '[eventlistener:m1] and [eventlistener:m2] @ -a 1GB : \'worker_00\'',
    '[eventlistener:m2] matches @ -a 1GB : \'worker_01\'',
    '[eventlistener:m0] and [eventlistener:m2] @ -p worker_01=2GB : \'worker_01\'',
  ]);
  const anyFirst = WORKERS + listener('m0', 'memmon -a 1GB') + listener('m1', 'memmon -a 2GB') + listener('m2', 'memmon -g worker=1GB');
  assert.deepEqual(messages(anyFirst), ['[eventlistener:m0] and [eventlistener:m1] @ -a 2GB : \'worker_00\'', '[eventlistener:m0] and [eventlistener:m2] @ -g worker=1GB : \'worker_00\'']);
});

test('catches a process matched by name and by group:name on the -p memmon checks first', () => {
  const text = WORKERS + listener('m0', 'memmon -g worker=1GB') + listener('m1', 'memmon -p worker:worker_00=1GB -p worker_00=2GB');
  assert.deepEqual(messages(text), ['[eventlistener:m0] and [eventlistener:m1] @ -p worker:worker_00=1GB : \'worker_00\'']);
  const reversed = WORKERS + listener('m0', 'memmon -g worker=1GB') + listener('m1', 'memmon -p worker_00=2GB -p worker:worker_00=1GB');
  assert.deepEqual(messages(reversed), ['[eventlistener:m0] and [eventlistener:m1] @ -p worker_00=2GB : \'worker_00\'']);
});

test('catches listeners sharing a -p or -g name when the file defines no such program', () => {
  const text = listener('m0', 'memmon -p web=1GB -g api=1GB') + listener('m1', 'memmon -g api=2GB') + listener('m2', 'memmon -g other=1GB -p web=2GB');
  assert.deepEqual(messages(text), ['[eventlistener:m0] and [eventlistener:m1] @ -g api=2GB : \'api\'', '[eventlistener:m0] and [eventlistener:m2] @ -p web=2GB : \'web\'']);
});

test('does not catch one memmon per team on 1,000 programs, and catches the one listener that overlaps them', () => {
  // listeners² × processes × -p: this shape took over a second with 1,000 programs, a minute with 2,500.
  const programs = Array.from({ length: 1000 }, (_, i) => `[program:w${i}]\ncommand=celery -A p worker -n w${i}@%%h\n\n`).join('');
  const team = (t: number) => listener(`team${t}`, `memmon ${Array.from({ length: 20 }, (_, j) => `-p w${t * 20 + j}=300MB`).join(' ')}`);
  const teams = Array.from({ length: 50 }, (_, t) => team(t)).join('');
  assert.deepEqual(findings(programs + teams, CODE), []);
  const text = programs + teams + listener('all', 'memmon -p w999=1GB -a 2GB');
  assert.deepEqual(messages(text), [
    '[eventlistener:team0] and [eventlistener:all] @ -a 2GB : \'w0\'',
    '[eventlistener:all] matches @ -a 2GB : \'w999\'',
  ]);
});
