import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleDocsCommandUri } from '../../../client/src/ruleDocsLink';

test("a code's link to its shipped page becomes the command that shows the page rendered; other links stay", () => {
  const page = { scheme: 'file', path: '/home/u/.vscode/extensions/supervisor-celery-0.1.0/docs/rules/duplicate-key.md' };
  const uri = ruleDocsCommandUri('supervisor.openRuleDocs', 'duplicate-key', page)!;
  assert.equal(uri, `command:supervisor.openRuleDocs?${encodeURIComponent('["duplicate-key"]')}`);
  assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1))), ['duplicate-key']);
  // Another rule's page, another scheme: not ours to change.
  assert.equal(ruleDocsCommandUri('supervisor.openRuleDocs', 'unknown-key', page), undefined);
  assert.equal(ruleDocsCommandUri('supervisor.openRuleDocs', 'duplicate-key', { scheme: 'https', path: page.path }), undefined);
});
