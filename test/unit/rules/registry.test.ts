/** Every rule is a documented unit: a unique stable code, a docs page, a summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/core/rules';
import { REPO_ROOT } from '../../support/paths';

const DOCS = path.join(REPO_ROOT, 'docs', 'rules');

test('rule codes are unique lowercase slugs', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length, 'duplicate codes');
  for (const code of codes) assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/, code);
});

test('every rule has a docs page that names it and its default severity', () => {
  for (const rule of RULES) {
    const page = path.join(DOCS, `${rule.code}.md`);
    assert.ok(fs.existsSync(page), `docs/rules/${rule.code}.md is missing`);
    const text = fs.readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${rule.code}\\b`), `${rule.code}: the page should start with its code`);
    assert.match(text, new RegExp(`Default severity:\\*\\*\\s*${rule.defaultSeverity}`, 'i'), `${rule.code}: default severity`);
    assert.ok(rule.summary.length > 20, `${rule.code}: summary`);
  }
});

test('every docs page belongs to a rule', () => {
  const codes = new Set([...RULES.map((r) => r.code), 'unused-suppression']);
  for (const file of fs.readdirSync(DOCS)) {
    assert.ok(codes.has(file.replace(/\.md$/, '')), `docs/rules/${file} documents no rule`);
  }
});
