import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-memory-limit-too-low';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;

test('catches megabytes written as KiB, and offers x1024', () => {
  const text = conf('celery -A p worker --max-memory-per-child 256');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '--max-memory-per-child 256');
  assert.match(f.message, /KiB/);
  assert.equal(applyFix(text, CODE), conf('celery -A p worker --max-memory-per-child 262144'));
  assert.equal(applyFix(conf('celery -A p worker --max-memory-per-child=512'), CODE), conf('celery -A p worker --max-memory-per-child=524288'));
});

test('catches megabytes that would still be under 128 MB, and raises them to the limit instead of x1024', () => {
  // 64 means 64 KiB, and 64 MB (65536) would be below the guide's 128 MB floor too: the fix must not leave a new finding.
  const text = conf('celery -A p worker --max-memory-per-child 64');
  const [f] = findings(text, CODE);
  assert.match(f.message, /even 64 MB would be below the 128 MB/);
  assert.doesNotMatch(f.message, /write 65536/);
  assert.equal(applyFix(text, CODE), conf('celery -A p worker --max-memory-per-child 262144'));
  assert.deepEqual(findings(applyFix(text, CODE), CODE), []);
  assert.equal(applyFix(conf('celery -A p worker --max-memory-per-child 1'), CODE), conf('celery -A p worker --max-memory-per-child 262144'));
  // 128 MB written as 128 is the floor itself: x1024 is right.
  assert.equal(applyFix(conf('celery -A p worker --max-memory-per-child 128'), CODE), conf('celery -A p worker --max-memory-per-child 131072'));
});

test('catches limits under 128 MB and raises them', () => {
  const text = conf('celery -A p worker --max-memory-per-child 65536');
  assert.equal(findings(text, CODE).length, 1);
  assert.equal(applyFix(text, CODE), conf('celery -A p worker --max-memory-per-child 262144'));
});

test('does not catch 128 MB and above, other pools, or values that are not numbers', () => {
  assert.deepEqual(findings(conf('celery -A p worker --max-memory-per-child 131072'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker --max-memory-per-child 262144'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker -P gevent --max-memory-per-child 256'), CODE), []);
  assert.deepEqual(findings(conf('celery -A p worker --max-memory-per-child 256MB'), CODE), []);
});

test('every fix is safe', () => {
  checker.checkAll(conf('celery -A p worker\n  --max-memory-per-child 300 ; small').replace(/\n/g, '\r\n'), undefined, [CODE]);
  checker.checkAll(conf('celery -A p worker --max-memory-per-child=100000'), undefined, [CODE]);
  assert.equal(checker.fixesChecked, 2);
});
