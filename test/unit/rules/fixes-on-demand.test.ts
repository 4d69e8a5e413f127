import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixesOnDemand, type Fix } from '../../../server/src/core/rules/rule';
import { analyzeText } from '../../../server/src/core/analyze';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const base = { code: 'some-rule', severity: 'warning' as const, message: 'm', range };
const fix: Fix = { title: 't', edits: [] };

test('builds the fixes only when they are first read, and only once', () => {
  let built = 0;
  const finding = withFixesOnDemand(base, () => {
    built++;
    return [fix];
  });
  assert.equal(built, 0);
  assert.deepEqual(finding.fixes, [fix]);
  assert.equal(finding.fixes, finding.fixes);
  assert.equal(built, 1);
});

test('spreading and serializing the finding still carry the fixes, last as before', () => {
  const finding = withFixesOnDemand(base, () => [fix]);
  assert.deepEqual({ ...finding, severity: 'error' }.fixes, [fix]);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(finding))), ['code', 'severity', 'message', 'range', 'fixes']);
});

test('a fix that fails to build is left out instead of failing the code action', () => {
  const finding = withFixesOnDemand(base, () => {
    throw new Error('bug in a fix');
  });
  assert.deepEqual(finding.fixes, []);
});

test('catches: the memmon fixes of the Celery rules are built on demand and match what the rule offers', () => {
  const text = '[program:w]\ncommand=celery -A p worker -P gevent -c 10 --max-memory-per-child 1000\n[program:p]\ncommand=celery -A p worker\n';
  const { findings } = analyzeText(text);
  const codes = findings.map((f) => f.code);
  for (const code of ['celery-threads-without-leak-protection', 'celery-memory-limit-ignored', 'celery-memory-limit-missing']) {
    const f = findings.find((x) => x.code === code);
    assert.ok(f, `${code} in ${codes.join(', ')}`);
    const descriptor = Object.getOwnPropertyDescriptor(f, 'fixes')!;
    assert.equal(typeof descriptor.get, 'function', `${code} builds its fixes on demand`);
    assert.ok(f.fixes.some((x) => /memmon/.test(x.title)), `${code} offers a memmon listener`);
  }
});
