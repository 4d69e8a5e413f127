/**
 * The real-world corpus: no crash, no error on a file supervisor accepts, and every quick fix offered
 * on every file passes the fix-safety checks (supervisor still accepts the result: one oracle run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { corpusFiles, readText } from '../support/paths';
import { oracleUnavailable, runOracle } from '../support/oracle';
import { FixChecker } from '../support/fixSafety';

const corpus = corpusFiles();
const noOracle = corpus.skip ?? oracleUnavailable();

test('no error findings on any real config supervisor accepts', { skip: noOracle }, () => {
  const results = runOracle(corpus.files);
  let accepted = 0;
  for (const file of corpus.files) {
    const r = results.get(file)!;
    if (r.parse !== 'ok' || !(r.semantic === 'ok' || r.env_dependent)) continue;
    accepted++;
    const errors = analyzeText(readText(file)).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`), [], path.basename(file));
  }
  console.log(`${accepted} accepted real configs without error findings`);
  assert.ok(accepted > 250);
});

test('every fix offered on every real config is safe', { skip: corpus.skip }, () => {
  const checker = new FixChecker();
  for (const file of corpus.files) checker.checkAll(readText(file), undefined, undefined, `${path.basename(file)}: `);
  const skipped = checker.verifyWithSupervisor();
  console.log(`${checker.fixesChecked} fixes checked on the corpus${skipped ? ` (supervisor check skipped: ${skipped})` : ''}`);
  assert.ok(checker.fixesChecked > 100);
});

/** The file with every line but the section headers indented by two spaces (supervisor reads it the same), in CRLF, ending in a line of blanks. */
function indentedVariant(text: string): string {
  const lines = text.split(/\r\n|\r|\n/).map((l) => (l.trim() === '' || l.trimStart().startsWith('[') ? l : `  ${l}`));
  return `${lines.join('\r\n')}\r\n  `;
}

test('every fix offered on every real config with its keys indented, CRLF line endings and a last line of blanks is safe', { skip: corpus.skip }, () => {
  const checker = new FixChecker();
  for (const file of corpus.files) checker.checkAll(indentedVariant(readText(file)), undefined, undefined, `${path.basename(file)} (indented): `);
  const skipped = checker.verifyWithSupervisor();
  console.log(`${checker.fixesChecked} fixes checked on the indented corpus${skipped ? ` (supervisor check skipped: ${skipped})` : ''}`);
  assert.ok(checker.fixesChecked > 100);
});
