/**
 * The CLI's fix previews compare only the lines a fix touches (a file with thousands of findings took
 * minutes when each preview diffed the whole file): they must read exactly as a diff of the whole file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { structuredPatch } from 'diff';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { fixPreview } from '../../../server/src/cli/output';
import { REPO_ROOT, corpusFiles, readText } from '../../support/paths';

/** The preview as a diff of the whole file before and after the fix. */
function wholeFilePreview(text: string, after: string): string[] {
  const eol = (s: string) => s.replace(/\r\n?/g, '\n');
  const out: string[] = [];
  for (const hunk of structuredPatch('', '', eol(text), eol(after), '', '', { context: 0 }).hunks) {
    out.push(`        @ line ${hunk.oldStart}`);
    for (const l of hunk.lines) if (!l.startsWith('\\')) out.push(`        ${l[0]} ${l.slice(1)}`);
  }
  return out;
}

function comparePreviews(texts: string[]): number {
  let compared = 0;
  for (const text of texts) {
    for (const f of analyzeText(text).findings) {
      for (const fix of f.fixes) {
        assert.deepEqual(fixPreview(text, fix.edits), wholeFilePreview(text, applyEdits(text, fix.edits)), `${f.code}: ${fix.title}`);
        compared++;
      }
    }
  }
  return compared;
}

test('the preview of every fix on the example, LF, CRLF and without a final line break, reads as a whole-file diff', () => {
  const text = readText(path.join(REPO_ROOT, 'examples', 'supervisor.conf'));
  const variants = [text, text.replace(/\n/g, '\r\n'), text.replace(/\n+$/, ''), `[supervisord]\n${text}`];
  assert.ok(comparePreviews(variants) > 40);
});

const corpus = corpusFiles();

test('the preview of every fix on the real-world corpus reads as a whole-file diff', { skip: corpus.skip }, () => {
  const compared = comparePreviews(corpus.files.map(readText));
  console.log(`${compared} fix previews compared with whole-file diffs`);
  assert.ok(compared > 500);
});
