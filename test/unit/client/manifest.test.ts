/** The extension's manifest points at files that exist and that .vscodeignore lets into the .vsix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { icon: string; main: string };
const kept = fs
  .readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('!'))
  .map((l) => l.slice(1));

test('the icon is a PNG of at least 128 x 128 pixels (the Marketplace refuses SVG), packaged', () => {
  const png = fs.readFileSync(path.join(REPO_ROOT, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR: width and height, big-endian, at bytes 16 and 20.
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128);
  assert.ok(kept.includes(pkg.icon), `.vscodeignore keeps ${pkg.icon}`);
});

test('settings.json marks a supervisor.mainConfig the server would ignore: only an absolute path (or nothing) is taken', async () => {
  const { default: Ajv } = await import('ajv');
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, object> } } };
  const { type, pattern } = manifest.contributes.configuration.properties['supervisor.mainConfig'] as Record<string, unknown>;
  const valid = new Ajv().compile({ type, pattern });
  for (const ok of ['', '/etc/supervisor/supervisord.conf']) assert.ok(valid(ok), JSON.stringify(ok));
  for (const bad of ['deploy/supervisord.conf', '~/supervisord.conf', 4]) assert.ok(!valid(bad), JSON.stringify(bad));
});

test('the Settings UI can edit supervisor.mainConfig, which "Set Main Config" in the language status opens', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { type: unknown; default: unknown }> } } };
  const setting = manifest.contributes.configuration.properties['supervisor.mainConfig'];
  // VS Code draws a text box for a string; for ["string", "null"] it offers only "Edit in settings.json".
  assert.equal(setting.type, 'string');
  assert.equal(setting.default, '', 'empty: unset, as the server reads it');
});
