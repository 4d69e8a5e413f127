import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { suppressionHover } from '../../../server/src/core/features/suppressionHover';
import { ruleFor } from '../../../server/src/core/rules';

const summary = (code: string) => ruleFor(code)?.summary;
const docs = (code: string) => `file:///docs/rules/${code}.md`;

/** Hover at the `|` in `marked`. */
function hoverAt(marked: string, withDocs = true) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  return suppressionHover(parse(text), position, summary, withDocs ? docs : undefined);
}

test('a code in a suppression: the rule summary and a link to its page', () => {
  const h = hoverAt('[program:w]\ncommand=/bin/cat ; supervisor-lint: disable=celery-logs-auto,dupl|icate-key -- legacy\n');
  assert.ok(h);
  assert.equal(h.markdown, `**duplicate-key**: ${ruleFor('duplicate-key')!.summary}\n\n[Documentation for duplicate-key](file:///docs/rules/duplicate-key.md)`);
  assert.deepEqual(h.range, { start: { line: 1, character: 61 }, end: { line: 1, character: 74 } });
  const fileWide = hoverAt('# supervisor-lint: disable-file=|duplicate-section\n[program:w]\n', false);
  assert.equal(fileWide?.markdown, `**duplicate-section**: ${ruleFor('duplicate-section')!.summary}`);
});

test('unused-suppression has a summary even though it is not in the rule list', () => {
  const h = hoverAt('; supervisor-lint: disable-file=unused-supp|ression\n[program:w]\n');
  assert.match(h!.markdown, /^\*\*unused-suppression\*\*: .*suppresses nothing/);
});

test('an unknown code says so; the directive keyword explains the syntax', () => {
  assert.match(hoverAt('[program:w] ; supervisor-lint: disable=no-such-|rule\n')!.markdown, /not a rule code/);
  assert.match(hoverAt('[program:w] ; supervisor-lint: dis|able=duplicate-key\n')!.markdown, /^\*\*supervisor-lint: disable=\*\*/);
  assert.match(hoverAt('; supervisor-lint: disable-fi|le=duplicate-key\n[program:w]\n')!.markdown, /before the first section header/);
});

test('nothing outside suppression codes', () => {
  assert.equal(hoverAt('[program:w] ; just a |comment\n'), undefined);
  assert.equal(hoverAt('[program:w]\ncommand=/bin/c|at ; supervisor-lint: disable=duplicate-key\n'), undefined);
  assert.equal(hoverAt('[program:w] ; supervisor-lint: disable=duplicate-key -- a re|ason\n'), undefined);
  assert.equal(hoverAt('[program:w] ; supervisor-lint: disabel=dupl|icate-key\n'), undefined);
  // Not a comment (no whitespace before ';'): part of the value.
  assert.equal(hoverAt('[program:w]\nuser=x;supervisor-lint: disable=dupl|icate-key\n'), undefined);
});
