import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CELERY_OPTION_DOCS, CELERY_POOL_DOCS, CELERY_SUBCOMMAND_DOCS, celeryOptionDoc, celeryPoolDoc } from '../../../server/src/core/catalog/celeryDocs';
import { MEMMON_OPTION_DOCS, memmonOptionDoc } from '../../../server/src/core/catalog/memmonDocs';
import { GLOBAL_TABLE, POOLS, POOL_CHOICES, WORKER_TABLE } from '../../../server/src/core/command/celeryOptions';
import { REPO_ROOT } from '../../support/paths';

test('the Celery catalog documents every option the hover promises, with the parser\'s names', () => {
  const wanted = ['--loglevel', '--max-memory-per-child', '--max-tasks-per-child', '--concurrency', '--pool', '--hostname', '--app', '--beat', '--detach', '-O', '--autoscale', '--time-limit', '--soft-time-limit', '--prefetch-multiplier', '--queues'];
  for (const name of wanted) assert.ok(celeryOptionDoc(name), name);
  for (const d of CELERY_OPTION_DOCS) {
    const spec = (d.scope === 'global' ? GLOBAL_TABLE : WORKER_TABLE).all.find((s) => s.name === d.name);
    assert.ok(spec, `${d.name} is not a ${d.scope} option`);
    assert.equal(d.short, spec.short === d.name ? undefined : spec.short, `${d.name} short spelling`);
    assert.equal(d.metavar === undefined, spec.isFlag, `${d.name}: a metavar exactly when it takes a value`);
    assert.ok(d.what && d.default, d.name);
  }
});

test('the pool catalog covers every pool and agrees with the pool table', () => {
  for (const name of [...POOL_CHOICES, 'custom']) {
    const d = celeryPoolDoc(name);
    assert.ok(d, name);
    assert.equal(d.perChildLimits, POOLS[name].childRecycling, name);
  }
  assert.equal(CELERY_POOL_DOCS.length, POOL_CHOICES.length + 1);
});

test('the sub-command catalog documents every sub-command the parser tells apart, each with its docs page', () => {
  assert.deepEqual(CELERY_SUBCOMMAND_DOCS.map((d) => d.name).sort(), ['beat', 'flower', 'multi', 'worker']);
  for (const d of CELERY_SUBCOMMAND_DOCS) assert.match(d.docsUrl, /^https:\/\//, d.name);
});

test('the memmon catalog documents all nine options', () => {
  assert.deepEqual(MEMMON_OPTION_DOCS.map((d) => d.short).sort(), ['-a', '-c', '-g', '-h', '-m', '-n', '-p', '-s', '-u']);
  for (const d of MEMMON_OPTION_DOCS) {
    assert.equal(memmonOptionDoc(d.short), d);
    assert.ok(d.long.startsWith('--') && d.what && d.default, d.short);
  }
});

test('every rule code in the catalogs is a rule the engine defines, and advice names its source', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name.endsWith('.ts')) sources.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(REPO_ROOT, 'server', 'src', 'core', 'rules'));
  const all = [...CELERY_OPTION_DOCS, ...CELERY_POOL_DOCS, ...CELERY_SUBCOMMAND_DOCS, ...MEMMON_OPTION_DOCS];
  for (const d of all) {
    for (const code of d.rules) {
      assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(sources.some((s) => s.includes(`code: '${code}'`)), `no rule defines ${code}`);
    }
    for (const a of d.advice) assert.ok(a.text && a.source, JSON.stringify(a));
  }
});

test('the rules this feature documents have their pages', () => {
  for (const code of [
    'celery-loglevel-missing',
    'celery-memory-limit-missing',
    'celery-memory-limit-ignored',
    'celery-memory-limit-too-low',
    'celery-threads-without-leak-protection',
    'memmon-children-not-counted',
    'memmon-unknown-process',
    'memmon-qualified-name',
    'memmon-invalid-size',
    'memmon-tick-missing',
  ]) {
    const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${code}.md`), 'utf8');
    assert.ok(page.startsWith(`# ${code}\n\n**Default severity:**`), code);
    for (const heading of ['## What', '## Why', '## Fix', '## Silence']) assert.ok(page.includes(heading), `${code}: ${heading}`);
    assert.ok(page.includes(`"supervisor.rules": { "${code}": "off" }`), code);
  }
});
