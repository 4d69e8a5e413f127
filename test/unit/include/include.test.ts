/** [include] resolution over an in-memory file system: supervisor 4.2.5's glob order, expansions and limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { fnmatch, joinPath, resolveIncludes, splitPatterns, type FileSystemView, type IncludeLimits } from '../../../server/src/core/include';

/** A file system from a map of absolute paths to texts; directories are implied by the paths. */
function memoryFs(files: Record<string, string>): FileSystemView & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    list(dir) {
      const prefix = dir === '/' ? '/' : `${dir}/`;
      const names = new Set<string>();
      for (const p of Object.keys(files)) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
      return names.size ? [...names] : undefined;
    },
    read(path) {
      reads.push(path);
      return files[path];
    },
  };
}

const MAIN = '/etc/supervisor/supervisord.conf';
const main = (files: string) => parse(`[supervisord]\n\n[include]\nfiles = ${files}\n`);

test('fnmatch: *, ?, [seq], [!seq] and ranges within one name', () => {
  assert.ok(fnmatch('app.conf', '*.conf'));
  assert.ok(fnmatch('.conf', '*.conf'));
  assert.ok(!fnmatch('app.conf.bak', '*.conf'));
  assert.ok(fnmatch('a1.conf', '?1.conf'));
  assert.ok(!fnmatch('ab1.conf', '?1.conf'));
  assert.ok(fnmatch('b.conf', '[ab].conf'));
  assert.ok(!fnmatch('c.conf', '[ab].conf'));
  assert.ok(fnmatch('c.conf', '[!ab].conf'));
  assert.ok(fnmatch('5.conf', '[0-9].conf'));
  assert.ok(fnmatch('[x.conf', '[x.conf'), 'an unclosed [ is literal');
  assert.ok(fnmatch('abcabd', '*ab*d'));
  assert.ok(!fnmatch('APP.conf', 'app.conf'), 'case-sensitive, as on POSIX');
});

test('paths: joined to the main file folder, .. and . resolved, absolute kept', () => {
  assert.equal(joinPath('/etc/supervisor', 'conf.d/*.conf'), '/etc/supervisor/conf.d/*.conf');
  assert.equal(joinPath('/etc/supervisor', '../apps/./x.conf'), '/etc/apps/x.conf');
  assert.equal(joinPath('/etc/supervisor', '/opt/x.conf'), '/opt/x.conf');
  assert.deepEqual(splitPatterns(' a.conf\n  b/*.ini '), [
    { text: 'a.conf', start: 1, end: 7 },
    { text: 'b/*.ini', start: 10, end: 17 },
  ]);
});

test('matches are sorted within a pattern, patterns read in the order written, each file once', () => {
  const fs = memoryFs({
    '/etc/supervisor/conf.d/b.conf': '[program:b]\n',
    '/etc/supervisor/conf.d/a.conf': '[program:a]\n',
    '/etc/supervisor/conf.d/notes.txt': 'x',
    '/etc/supervisor/extra.conf': '[program:e]\n',
  });
  const r = resolveIncludes(MAIN, main('extra.conf conf.d/*.conf conf.d/a.conf'), fs);
  assert.deepEqual(
    r.files.map((f) => f.path),
    ['/etc/supervisor/extra.conf', '/etc/supervisor/conf.d/a.conf', '/etc/supervisor/conf.d/b.conf'],
  );
  assert.deepEqual(r.patterns[1].matches, ['/etc/supervisor/conf.d/a.conf', '/etc/supervisor/conf.d/b.conf']);
  assert.deepEqual(r.patterns[2].matches, ['/etc/supervisor/conf.d/a.conf']);
  assert.equal(r.incomplete, false);
});

test('files= on continuation lines and with %(here)s', () => {
  const fs = memoryFs({ '/etc/supervisor/conf.d/a.conf': '', '/srv/b.conf': '' });
  const doc = parse('[supervisord]\n[include]\nfiles = %(here)s/conf.d/*.conf\n    /srv/*.conf\n');
  const r = resolveIncludes(MAIN, doc, fs);
  assert.deepEqual(r.files.map((f) => f.path), ['/etc/supervisor/conf.d/a.conf', '/srv/b.conf']);
  assert.equal(r.patterns[0].absolute, '/etc/supervisor/conf.d/*.conf');
});

test('a pattern with an expansion only supervisord knows is skipped, and the deployment marked incomplete', () => {
  const fs = memoryFs({ '/etc/supervisor/conf.d/a.conf': '' });
  const r = resolveIncludes(MAIN, main('%(ENV_APP)s/*.conf conf.d/*.conf'), fs);
  assert.equal(r.patterns[0].absolute, undefined);
  assert.deepEqual(r.files.map((f) => f.path), ['/etc/supervisor/conf.d/a.conf']);
  assert.equal(r.incomplete, true);
  const known = resolveIncludes(MAIN, main('%(ENV_APP)s/*.conf'), memoryFs({ '/srv/app/x.conf': '' }), undefined, { ENV_APP: '/srv/app' });
  assert.deepEqual(known.files.map((f) => f.path), ['/srv/app/x.conf']);
});

test('wildcards skip hidden files unless the pattern names them; unreadable matches are left out', () => {
  const fs = memoryFs({ '/etc/supervisor/conf.d/.hidden.conf': '', '/etc/supervisor/conf.d/a.conf': '', '/etc/supervisor/conf.d/dir.conf/x': '' });
  assert.deepEqual(resolveIncludes(MAIN, main('conf.d/*.conf'), fs).files.map((f) => f.path), ['/etc/supervisor/conf.d/a.conf']);
  assert.deepEqual(resolveIncludes(MAIN, main('conf.d/.*.conf'), fs).files.map((f) => f.path), ['/etc/supervisor/conf.d/.hidden.conf']);
});

test('wildcards in folder names, and patterns that match nothing', () => {
  const fs = memoryFs({ '/etc/supervisor/apps/one/app.conf': '', '/etc/supervisor/apps/two/app.conf': '' });
  const r = resolveIncludes(MAIN, main('apps/*/app.conf missing/*.conf'), fs);
  assert.deepEqual(r.files.map((f) => f.path), ['/etc/supervisor/apps/one/app.conf', '/etc/supervisor/apps/two/app.conf']);
  assert.deepEqual(r.patterns[1].matches, []);
  assert.equal(r.incomplete, false);
});

test('limits: file count, bytes and directory listings stop the resolution and mark it incomplete', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`/etc/supervisor/conf.d/${i}.conf`] = 'x'.repeat(100);
  const limits: IncludeLimits = { maxFiles: 3, maxBytes: 1_000_000, maxListings: 10 };
  const byCount = resolveIncludes(MAIN, main('conf.d/*.conf'), memoryFs(files), limits);
  assert.equal(byCount.files.length, 3);
  assert.equal(byCount.incomplete, true);
  const byBytes = resolveIncludes(MAIN, main('conf.d/*.conf'), memoryFs(files), { ...limits, maxFiles: 100, maxBytes: 250 });
  assert.equal(byBytes.files.length, 2);
  assert.equal(byBytes.incomplete, true);
  const byListings = resolveIncludes(MAIN, main('*/*.conf'), memoryFs(files), { ...limits, maxListings: 1 });
  assert.equal(byListings.files.length, 0);
  assert.equal(byListings.incomplete, true);
});

test('the main file itself is not read again, and a file without [include] includes nothing', () => {
  const fs = memoryFs({ [MAIN]: '[supervisord]\n', '/etc/supervisor/a.conf': '' });
  const r = resolveIncludes(MAIN, main('*.conf'), fs);
  assert.deepEqual(r.files.map((f) => f.path), ['/etc/supervisor/a.conf']);
  const none = resolveIncludes(MAIN, parse('[supervisord]\n'), fs);
  assert.equal(none.entry, undefined);
  assert.deepEqual(none.files, []);
});

test('matchesNothing: only where every directory a pattern looks in was listed and held no match', () => {
  const fs = memoryFs({ '/etc/supervisor/conf.d/a.conf': '', '/etc/supervisor/conf.d/b.ini': '', '/etc/supervisor/celery.conf': '' });
  const r = resolveIncludes(MAIN, main('conf.d/*.cnf conf.d/*.conf missing/*.conf celery.conf celeryy.conf gone/x.conf %(ENV_X)s.conf'), fs);
  const nothing = (text: string) => r.patterns.find((p) => p.text === text)!.matchesNothing;
  assert.equal(nothing('conf.d/*.cnf'), true, 'conf.d exists and holds no .cnf');
  assert.equal(nothing('conf.d/*.conf'), false);
  assert.equal(nothing('missing/*.conf'), false, 'a directory absent here proves nothing');
  assert.equal(nothing('celery.conf'), false);
  assert.equal(nothing('celeryy.conf'), true, 'a plain name its folder does not hold');
  assert.equal(nothing('gone/x.conf'), false);
  assert.equal(nothing('%(ENV_X)s.conf'), false, 'not expanded, not judged');
  // A file that exists but cannot be read is still matched by supervisor's glob.
  const unreadable: FileSystemView = { list: (dir) => (dir === '/etc/supervisor' ? ['locked.conf'] : undefined), read: () => undefined };
  const locked = resolveIncludes(MAIN, main('locked.conf *.conf'), unreadable).patterns;
  assert.deepEqual(locked.map((p) => [p.matches.length, p.matchesNothing]), [[0, false], [0, false]]);
  // After a wildcard folder, a plain name must exist (found by a multi-file hunt: Python's glob checks it).
  const apps = memoryFs({ '/etc/supervisor/apps/one/other.txt': '', '/etc/supervisor/apps/two/other.txt': '' });
  const inApps = resolveIncludes(MAIN, main('apps/*/worker.conf apps/*/other.txt'), apps).patterns;
  assert.deepEqual(inApps.map((p) => [p.matches.length, p.matchesNothing]), [[0, true], [2, false]]);
  // A listing budget cut short proves nothing either.
  const cut = resolveIncludes(MAIN, main('*/*.cnf'), fs, { maxFiles: 100, maxBytes: 1_000_000, maxListings: 1 });
  assert.equal(cut.patterns[0].matchesNothing, false);
});

test('unread: each part of the [include] left unread, with why (the editor lists them)', () => {
  const files: Record<string, string> = {};
  for (const name of ['a', 'b', 'c', 'd']) files[`/etc/supervisor/conf.d/${name}.conf`] = 'x';
  const fs: FileSystemView = { ...memoryFs(files), read: (p) => (p.endsWith('b.conf') ? undefined : files[p]) };
  const r = resolveIncludes(MAIN, main('%(ENV_APP)s/*.conf absent.conf %(here)s/conf.d/*.conf missing/*.conf'), fs, { maxFiles: 2, maxBytes: 1_000_000, maxListings: 10 });
  assert.deepEqual(r.unread, [
    { pattern: '%(ENV_APP)s/*.conf', reason: 'unexpanded', name: 'ENV_APP' },
    { pattern: '%(here)s/conf.d/*.conf', reason: 'unreadable', path: '/etc/supervisor/conf.d/b.conf' },
    { pattern: '%(here)s/conf.d/*.conf', reason: 'limit', path: '/etc/supervisor/conf.d/d.conf' },
    { pattern: 'missing/*.conf', reason: 'unlisted', path: '/etc/supervisor/missing' },
  ], 'a plain name its folder does not hold is include-matches-nothing\'s, not a file left unread');
  assert.deepEqual(resolveIncludes(MAIN, main('conf.d/*.conf'), memoryFs(files)).unread, []);
  // Past a limit nothing more is read: one entry says so, not one per pattern after it (review find).
  const cut = resolveIncludes(MAIN, main('*/*.conf x/*.conf y/*.conf'), memoryFs(files), { maxFiles: 100, maxBytes: 1_000_000, maxListings: 1 });
  assert.deepEqual(cut.unread.filter((u) => u.reason === 'limit'), [{ pattern: '*/*.conf', reason: 'limit' }]);
});
