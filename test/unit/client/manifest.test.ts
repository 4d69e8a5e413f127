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

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string }[]; configuration: { properties: Record<string, object> }; walkthroughs: { id: string; steps: WalkthroughStep[] }[] };
};
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
const settings = Object.keys(manifest.contributes.configuration.properties);
const ownCommands = new Map(manifest.contributes.commands.map((c) => [c.command, c.title]));
/** A command of the extension, or one of VS Code's own that the walkthrough uses. */
const knownCommand = (id: string) => ownCommands.has(id) || ['workbench.action.openSettings', 'workbench.action.tasks.runTask'].includes(id);

test('the walkthrough: each step has its own Markdown page, packaged', () => {
  assert.ok(steps.length >= 4);
  for (const s of steps) {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, s.media.markdown)), s.media.markdown);
    assert.match(s.media.markdown, /^walkthrough\/[^/]+\.md$/);
    assert.ok(kept.includes('walkthrough/*.md'), '.vscodeignore keeps walkthrough/*.md');
  }
  assert.equal(new Set(steps.map((s) => s.media.markdown)).size, steps.length);
});

test('the walkthrough names only commands and settings the extension has', () => {
  for (const s of steps) {
    for (const [, id, args] of s.description.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
      assert.ok(knownCommand(id), `${s.id}: command:${id}`);
      // Settings links open the Settings UI at a setting, or at the settings under a prefix.
      if (id === 'workbench.action.openSettings') {
        const [query] = JSON.parse(decodeURIComponent(args)) as string[];
        assert.ok(settings.some((k) => k === query || k.startsWith(`${query}.`)), `${s.id}: settings ${query}`);
      }
    }
    for (const e of s.completionEvents) {
      const [kind, what] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
      if (kind === 'onCommand') assert.ok(knownCommand(what), `${s.id}: ${e}`);
      else if (kind === 'onSettingChanged') assert.ok(settings.includes(what), `${s.id}: ${e}`);
      else assert.ok(['onContext', 'onView'].includes(kind), `${s.id}: ${e}`);
    }
    const page = fs.readFileSync(path.join(REPO_ROOT, s.media.markdown), 'utf8');
    for (const [name] of page.matchAll(/\bsupervisor\.[a-zA-Z]+(?:\.[a-zA-Z]+)*/g)) {
      // Names of files and folders look the same: supervisor.conf, supervisor.d.
      if (name === 'supervisor.conf' || name === 'supervisor.d') continue;
      assert.ok(settings.includes(name), `${s.media.markdown} names ${name}, which is no setting`);
    }
    // Commands are named by their palette titles: "Supervisor: Show Processes".
    const titles = [...ownCommands.values()];
    for (const [, title] of page.matchAll(/\*\*(Supervisor:\s[^*]+?)\*\*/g)) {
      assert.ok(titles.some((t) => t.replace(/\s+/g, ' ') === title.replace(/\s+/g, ' ')), `${s.media.markdown} names the command ${title}`);
    }
  }
});
