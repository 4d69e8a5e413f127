import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { parse } from '../../../server/src/core/model/parse';
import type { Finding } from '../../../server/src/core/rules/rule';
import { applySuppressions, disableForLineFix } from '../../../server/src/core/suppression';
import { corpusFiles, readText } from '../../support/paths';
import { MUST_NOT_SKIP } from '../../support/paths';
import { lint, SuppressionFixChecker } from './lint';

const checker = new SuppressionFixChecker();
after(() => checker.verifyWithSupervisor());

/** The fix for the first finding of `code`, applied and checked; returns the fixed text. */
function disable(text: string, code: string): string {
  const f = lint(text).find((x) => x.code === code);
  if (!f) throw new Error(`no ${code} finding in\n${text}`);
  const fix = disableForLineFix(parse(text), f);
  assert.equal(fix.title, `Disable ${code} for this line`);
  return checker.check(text, f, fix);
}

test('a single-line finding: an end-of-line comment after a space', () => {
  const text = '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n';
  assert.equal(disable(text, 'duplicate-key'), '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b ; supervisor-lint: disable=duplicate-key\n');
  // Trailing whitespace already separates the comment.
  assert.equal(disable('[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\t\n', 'duplicate-key'), '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\t; supervisor-lint: disable=duplicate-key\n');
  // On a section header, on the last line without a line break.
  assert.equal(disable('[program:w]\ncommand=/bin/cat\n[program:w]', 'duplicate-section'), '[program:w]\ncommand=/bin/cat\n[program:w] ; supervisor-lint: disable=duplicate-section');
});

test('a line that already has a comment: the suppression goes on its own line above, indented alike', () => {
  const text = '  [program:w]\n  command=/bin/cat\n  user=a\n  user=b  ; the service account\n';
  assert.equal(disable(text, 'duplicate-key'), '  [program:w]\n  command=/bin/cat\n  user=a\n  ; supervisor-lint: disable=duplicate-key\n  user=b  ; the service account\n');
});

test('a line with a suppression already (on it or stacked above): the code is added to it', () => {
  const own = '[program:w]\ncommand=/bin/cat\n[program:w] ; supervisor-lint: disable=celery-logs-auto -- why\n';
  assert.equal(disable(own, 'duplicate-section'), '[program:w]\ncommand=/bin/cat\n[program:w] ; supervisor-lint: disable=celery-logs-auto,duplicate-section -- why\n');
  const above = '[program:w]\ncommand=/bin/cat\n; supervisor-lint: disable=celery-logs-auto\n; note\n[program:w]\n';
  assert.equal(disable(above, 'duplicate-section'), '[program:w]\ncommand=/bin/cat\n; supervisor-lint: disable=celery-logs-auto,duplicate-section\n; note\n[program:w]\n');
});

test('continued commands: end of the finding\'s own line, or a full-line comment inside the value', () => {
  const text = '[program:w]\ncommand=celery -A proj worker -l info\n    --max-memory-per-child 262144\n    --no-such-option\nuser=app\n';
  assert.equal(
    disable(text, 'celery-unknown-option'),
    '[program:w]\ncommand=celery -A proj worker -l info\n    --max-memory-per-child 262144\n    --no-such-option ; supervisor-lint: disable=celery-unknown-option\nuser=app\n',
  );
  const commented = '[program:w]\ncommand=celery -A proj worker -l info\n    --max-memory-per-child 262144\n    --no-such-option  ; typo?\nuser=app\n';
  assert.equal(
    disable(commented, 'celery-unknown-option'),
    '[program:w]\ncommand=celery -A proj worker -l info\n    --max-memory-per-child 262144\n    ; supervisor-lint: disable=celery-unknown-option\n    --no-such-option  ; typo?\nuser=app\n',
  );
});

test('a finding that spans lines: a comment line above its first line, which also hides it', () => {
  const text = '[program:w]\ncommand=celery -A proj\n    worker -l info\n    -c 4\n';
  const doc = parse(text);
  const spanning: Finding = { code: 'duplicate-key', severity: 'warning', message: 'm', range: { start: { line: 1, character: 8 }, end: { line: 3, character: 8 } }, fixes: [] };
  const after = applyEdits(text, disableForLineFix(doc, spanning).edits);
  assert.equal(after, '[program:w]\n; supervisor-lint: disable=duplicate-key\ncommand=celery -A proj\n    worker -l info\n    -c 4\n');
  const shifted = { ...spanning, range: { start: { line: 2, character: 8 }, end: { line: 4, character: 8 } } };
  assert.deepEqual(applySuppressions(parse(after), [shifted]), []);
  // Starting on a continuation line: the comment goes inside the value, where configparser allows it.
  const inside = { ...spanning, range: { start: { line: 2, character: 4 }, end: { line: 3, character: 8 } } };
  assert.equal(applyEdits(text, disableForLineFix(doc, inside).edits), '[program:w]\ncommand=celery -A proj\n    ; supervisor-lint: disable=duplicate-key\n    worker -l info\n    -c 4\n');
});

test('CRLF: the inserted line ends in CRLF; a BOM line gets an end-of-line comment', () => {
  const text = '[program:w]\r\ncommand=/bin/cat\r\nuser=a\r\nuser=b ; why\r\n';
  assert.equal(disable(text, 'duplicate-key'), '[program:w]\r\ncommand=/bin/cat\r\nuser=a\r\n; supervisor-lint: disable=duplicate-key\r\nuser=b ; why\r\n');
  assert.equal(disable('[program:w]\r\ncommand=/bin/cat\r\n[program:w]\r\n', 'duplicate-section'), '[program:w]\r\ncommand=/bin/cat\r\n[program:w] ; supervisor-lint: disable=duplicate-section\r\n');
  const bom = '\ufeff[program:w]\ncommand=/bin/cat\n';
  assert.equal(applyEdits(bom, disableForLineFix(parse(bom), lint(bom).find((f) => f.code === 'utf8-bom')!).edits), '\ufeff[program:w] ; supervisor-lint: disable=utf8-bom\ncommand=/bin/cat\n');
  assert.ok(!lint('\ufeff[program:w] ; supervisor-lint: disable=utf8-bom\ncommand=/bin/cat\n').some((f) => f.code === 'utf8-bom'));
  // Nothing to append to on the mark's line, and nothing may go above it: a file-wide suppression after the mark.
  for (const text of ['\ufeff\n[program:w]\ncommand=/bin/cat\n', '\ufeff; generated\r\n[program:w]\r\ncommand=/bin/cat\r\n']) {
    const f = lint(text).find((x) => x.code === 'utf8-bom')!;
    const fix = disableForLineFix(parse(text), f);
    assert.equal(fix.title, 'Disable utf8-bom in this file');
    const after = applyEdits(text, fix.edits);
    assert.ok(after.startsWith(`\ufeff; supervisor-lint: disable-file=utf8-bom${text.includes('\r\n') ? '\r\n' : '\n'}`), JSON.stringify(after));
    assert.ok(!lint(after).some((x) => x.code === 'utf8-bom'), JSON.stringify(after));
  }
});

test('on real configs, "Disable <code> for this line" hides exactly its finding and changes no value', (t) => {
  const { files, skip } = corpusFiles();
  if (skip) {
    if (MUST_NOT_SKIP) throw new Error(skip);
    t.skip(skip);
    return;
  }
  let fixes = 0;
  // Every 6th file keeps the run short while still covering a few hundred findings.
  for (const file of files.filter((_, i) => i % 6 === 0)) {
    const text = readText(file);
    const { doc } = analyzeText(text);
    const findings = lint(text);
    for (const f of findings) {
      if (f.code === 'internal-error') continue;
      checker.check(text, f, disableForLineFix(doc, f));
      fixes++;
    }
  }
  console.log(`checked the disable fix on ${fixes} finding(s) of the real corpus`);
  assert.ok(fixes > 50, `only ${fixes} findings`);
});
