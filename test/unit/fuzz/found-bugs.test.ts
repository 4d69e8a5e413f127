/**
 * Minimal inputs for the bugs the fuzzing found in other modules. Open ones are todo tests: they report
 * without failing the run until fixed, then pass (drop the todo and the KNOWN_BUGS entry in
 * invariants.ts then). Fixed ones stay as regression tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText, hasLoneSurrogate, KNOWN_BUGS, lintAll, overlappingEdits } from './invariants';

test('celery-unknown-option: a short-option cluster with a non-BMP character is not cut inside the surrogate pair', () => {
  const text = '[program:w]\ncommand=celery -A proj worker -😀x\n';
  const f = lintAll(text).findings.find((x) => x.code === 'celery-unknown-option');
  assert.ok(f);
  // Celery (click, Python strings) would name the whole character: "No such option: -😀".
  assert.ok(!hasLoneSurrogate(f.message), `message holds half a surrogate pair: ${JSON.stringify(f.message)}`);
  checkText(text);
});

test('invalid-environment: a non-BMP character in an unquoted value is reported whole', () => {
  // supervisor accepts A=😀 (one word character for shlex); after a word it ends the value and is reported.
  assert.equal(lintAll('[program:w]\ncommand=/bin/cat\nenvironment=A=😀\n').findings.filter((x) => x.code === 'invalid-environment').length, 0);
  const text = '[program:w]\ncommand=/bin/cat\nenvironment=A=x😀\n';
  const f = lintAll(text).findings.find((x) => x.code === 'invalid-environment');
  assert.ok(f);
  assert.ok(!hasLoneSurrogate(f.message), `message holds half a surrogate pair: ${JSON.stringify(f.message)}`);
  checkText(text);
});

for (const [code, text] of [
  ['stray-percent', '[program:w]\ncommand=% 😀\n'],
  ['percent-expanded-twice', '[eventlistener:m]\ncommand=memmon -p w=1GB\nevents=TICK_60\nstderr_logfile=%% 😀\n'],
] as const) {
  test(`${code}: a range after '%' does not end inside the surrogate pair of a non-BMP character`, () => {
    assert.ok(lintAll(text).findings.some((x) => x.code === code), `no ${code} finding`);
    KNOWN_BUGS.surrogateSplit.delete(code);
    try {
      checkText(text);
    } finally {
      KNOWN_BUGS.surrogateSplit.add(code);
    }
  });
}

test('celery-4-syntax: moving -A and --app given twice on a continuation line makes no overlapping edits', () => {
  const text = '[program:w]\ncommand=celery worker\n  -A proj --app=proj\n';
  const f = lintAll(text).findings.find((x) => x.code === 'celery-4-syntax');
  assert.ok(f);
  for (const fix of f.fixes) assert.equal(overlappingEdits(fix.edits), undefined, fix.title);
});
