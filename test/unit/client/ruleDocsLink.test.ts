import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleDocsCommandUri, rulePickItems } from '../../../client/src/ruleDocsLink';
import * as fs from 'node:fs';
import * as path from 'node:path';

test("a code's link to its shipped page becomes the command that shows the page rendered; other links stay", () => {
  const page = { scheme: 'file', path: '/home/u/.vscode/extensions/supervisor-celery-0.1.0/docs/rules/duplicate-key.md' };
  const uri = ruleDocsCommandUri('supervisor.openRuleDocs', 'duplicate-key', page)!;
  assert.equal(uri, `command:supervisor.openRuleDocs?${encodeURIComponent('["duplicate-key"]')}`);
  assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1))), ['duplicate-key']);
  // Another rule's page, another scheme: not ours to change.
  assert.equal(ruleDocsCommandUri('supervisor.openRuleDocs', 'unknown-key', page), undefined);
  assert.equal(ruleDocsCommandUri('supervisor.openRuleDocs', 'duplicate-key', { scheme: 'https', path: page.path }), undefined);
});

test("the palette's list of rules: every shipped page, sorted, with what the rule finds from the supervisor.rules setting", () => {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const codes = fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  const items = rulePickItems(codes, pkg);
  assert.deepEqual(items.map((i) => i.label), [...codes].sort());
  const item = items.find((i) => i.label === 'celery-memory-limit-missing')!;
  assert.match(item.detail!, /memory/i);
  assert.match(item.detail!, /Default: warning\./);
  assert.ok(items.every((i) => i.detail), 'every page has its rule in the setting');
  // A page without a rule in the setting (or a package.json without it) is still listed, by its code.
  assert.deepEqual(rulePickItems(['zz-page', 'duplicate-key'], {}), [{ label: 'duplicate-key' }, { label: 'zz-page' }]);
});

test('Open Rule Documentation is in the command palette', () => {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const hidden = (pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).find((m) => m.command === 'supervisor.openRuleDocs');
  assert.ok(!hidden || hidden.when !== 'false', JSON.stringify(hidden));
});
