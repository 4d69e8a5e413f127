import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import { parse } from '../../../server/src/core/model/parse';
import { resolveIncludes, type FileSystemView } from '../../../server/src/core/include';

const CODE = 'include-matches-nothing';
const MAIN_PATH = '/etc/supervisor/supervisord.conf';

/** A directory listing per folder; every file reads as an empty config. */
function folders(listing: Record<string, string[]>): FileSystemView {
  return { list: (dir) => listing[dir], read: (file) => (listing[file.slice(0, file.lastIndexOf('/'))]?.includes(file.slice(file.lastIndexOf('/') + 1)) ? '' : undefined) };
}

/** This rule's findings in the main file, its includes resolved over `fs` as the CLI and the server do. */
function inMain(text: string, fs: FileSystemView) {
  const resolution = resolveIncludes(MAIN_PATH, parse(text), fs);
  const files = [{ path: MAIN_PATH, text }, ...resolution.files];
  const [main, ...fragments] = analyzeDeployment(files, undefined, !resolution.incomplete, resolution.patterns);
  assert.deepEqual(fragments.flatMap((a) => a.findings.filter((f) => f.code === CODE)), [], 'only the main file is told');
  return main.findings.filter((f) => f.code === CODE);
}

const CONF_D = folders({ '/etc/supervisor': ['supervisord.conf', 'conf.d'], '/etc/supervisor/conf.d': ['a.conf', 'b.conf'], '/srv/app': ['other.conf'] });

test('catches a pattern that matches nothing in a folder that exists, on the pattern', () => {
  const found = inMain('[supervisord]\r\n\r\n[include]\r\nfiles = conf.d/*.conf conf.d/*.cnf ; typo\r\n', CONF_D);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.deepEqual(found[0].range, { start: { line: 3, character: 22 }, end: { line: 3, character: 34 } });
  assert.match(found[0].message, /^No file on this machine matches \/etc\/supervisor\/conf\.d\/\*\.cnf: supervisor logs "No file matches via include"/);
});

test('catches a plain file name its folder does not hold, on a continuation line', () => {
  const found = inMain('[supervisord]\n[include]\nfiles =\n  conf.d/a.conf\n  conf.d/celery.conf\n', CONF_D);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].range.start, { line: 4, character: 2 });
  assert.match(found[0].message, /^There is no file \/etc\/supervisor\/conf\.d\/celery\.conf on this machine/);
});

test('catches an absolute pattern inside the main file\'s folder, not one that names another part of the disk', () => {
  assert.equal(inMain('[supervisord]\n[include]\nfiles = /etc/supervisor/conf.d/*.cnf\n', CONF_D).length, 1);
  // A repository's config naming the server's folders: this machine's /srv/app says nothing about the server's.
  assert.deepEqual(inMain('[supervisord]\n[include]\nfiles = /srv/app/*.cnf\n', CONF_D), []);
});

test('does not catch patterns that match, folders absent here, unexpanded names, or a file checked alone', () => {
  assert.deepEqual(inMain('[supervisord]\n[include]\nfiles = conf.d/*.conf conf.d/b.conf\n', CONF_D), []);
  assert.deepEqual(inMain('[supervisord]\n[include]\nfiles = /srv/app/supervisor/*.conf\n', CONF_D), [], 'the server\'s folder may not exist where the file is edited');
  assert.deepEqual(inMain('[supervisord]\n[include]\nfiles = %(ENV_CONF)s/*.conf\n', CONF_D), []);
  assert.deepEqual(inMain('[supervisord]\n[include]\nfiles = {{ supervisor_cfg_dir }}/*.conf\n', CONF_D), [], 'a Jinja template, rendered elsewhere');
  assert.deepEqual(analyzeText('[supervisord]\n[include]\nfiles = conf.d/*.cnf\n').findings.filter((f) => f.code === CODE), [], 'no file system, no judgement');
});
