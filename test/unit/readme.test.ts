import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { withTable } from '../../scripts/rulesTable';
import { packageWithRuleCodes, schemaWithRuleCodes } from '../../scripts/ruleSettings';
import { catalogue } from '../../server/src/cli/catalogue';

test("README's rules table matches the rule registry (regenerate: npm run docs:rules)", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, withTable(readme));
});

test('README opens with the two commands: the main job and the tests', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
  assert.match(firstBlock, /npm ci && npm run lint:example/);
  assert.match(firstBlock, /npm test/);
});

test("README's settings table lists every setting of package.json (trace.server is the LSP client's own)", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const settings = Object.keys(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).contributes.configuration.properties);
  const table = readme.slice(readme.indexOf('### Settings'), readme.indexOf('## Command line'));
  const missing = settings.filter((s) => s !== 'supervisor.trace.server' && !table.includes(`| \`${s}\` |`));
  assert.deepEqual(missing, []);
});

test('the supervisor.rules setting and the config file schema list every rule code, and only those (regenerate: npm run docs:rules)', () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
  const pkg = read('package.json');
  const schema = read('schemas/supervisor-lint.schema.json');
  assert.deepEqual(pkg, packageWithRuleCodes(pkg));
  assert.deepEqual(schema, schemaWithRuleCodes(schema));
  const codes = catalogue().map((r) => r.code).sort();
  const setting = pkg.contributes.configuration.properties['supervisor.rules'] as { properties: Record<string, { description: string }>; additionalProperties: unknown };
  assert.deepEqual(Object.keys(setting.properties).sort(), codes);
  assert.equal(setting.additionalProperties, false, 'settings.json marks an unknown code');
  assert.match(setting.properties['unused-suppression'].description, /Default: warning\.$/);
});
