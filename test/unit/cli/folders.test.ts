/** A folder on the command line stands for the supervisor configs under it, as the editor tells them. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, runCli, writeUnder } from '../../support/cli';

let dir = '';
const DUPLICATE_KEY = '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n';

function paths(args: string[], cwd = dir): { code: number | null; files: string[]; codes: string[] } {
  const r = runCli(['--format', 'json', '--no-config', ...args], { cwd });
  const out = (r.stdout ? JSON.parse(r.stdout) : { files: [] }) as { files: { path: string; findings: { code: string }[] }[] };
  return { code: r.code, files: out.files.map((f) => f.path), codes: out.files.flatMap((f) => f.findings.map((x) => x.code)) };
}

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-folders-'));
  const write = (name: string, text: string) => writeUnder(dir, name, text);
  write('proj/deploy/supervisord.conf', '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
  write('proj/deploy/conf.d/worker.conf', DUPLICATE_KEY);
  write('proj/deploy/celery.ini', '; found by its first section\n[program:beat]\ncommand=/bin/cat\n');
  write('proj/supervisor/notes.conf', '[server]\nname=claimed by its folder\n');
  write('proj/nginx/site.conf', 'server {\n  listen 80;\n}\n');
  write('proj/tox.ini', '[tox]\nenvlist = py3\n');
  write('proj/roles/app/templates/celery.conf.j2', '{{ ansible_managed | comment }}\n{% for w in workers %}\n[program:{{ w }}]\ncommand={{ venv }}/bin/celery\n{% endfor %}\n');
  write('proj/roles/app/templates/nginx.conf.j2', '{% for s in sites %}\nserver {}\n{% endfor %}\n');
  write('proj/node_modules/pkg/supervisor.conf', DUPLICATE_KEY);
  write('proj/venv/etc/supervisord.conf', DUPLICATE_KEY);
  write('outside/shared.conf', '[program:linked]\ncommand=/bin/cat\n');
  fs.symlinkSync(path.join(dir, 'outside', 'shared.conf'), path.join(dir, 'proj', 'linked.conf'));
  fs.symlinkSync(path.join(dir, 'proj'), path.join(dir, 'proj', 'deploy', 'loop'));
  fs.mkdirSync(path.join(dir, 'empty', 'sub'), { recursive: true });
  write('empty/readme.txt', 'nothing here\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('lints every supervisor config under the folder, in order, a main file with its fragments, links to files followed', () => {
  const r = paths(['proj']);
  assert.deepEqual(r.files, [
    'proj/deploy/celery.ini',
    'proj/deploy/supervisord.conf',
    'proj/deploy/conf.d/worker.conf',
    'proj/linked.conf',
    'proj/roles/app/templates/celery.conf.j2',
    'proj/supervisor/notes.conf',
  ]);
  // The fragment's finding is reported once, with its main file's deployment, though the walk found it too.
  assert.deepEqual(r.codes.filter((c) => c === 'duplicate-key'), ['duplicate-key']);
  assert.equal(r.code, 0);
});

test('skips tool folders (node_modules, virtualenvs) and never follows a link to a folder', () => {
  const r = paths(['proj']);
  assert.ok(!r.files.some((f) => f.includes('node_modules') || f.includes('venv') || f.includes('loop')), r.files.join(' '));
});

test('a fragment given besides its folder is checked once, with its main file', () => {
  assert.deepEqual(paths(['proj/deploy/conf.d/worker.conf', 'proj/deploy']).files, ['proj/deploy/celery.ini', 'proj/deploy/supervisord.conf', 'proj/deploy/conf.d/worker.conf']);
});

test('a folder without any supervisor config is an error (exit 2), as a missing file is', () => {
  const r = runCli(['empty'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /supervisor-lint: empty: no supervisor config in it/);
  assert.equal(paths(['empty', 'proj']).code, 2, 'even with other files that are fine');
});

test('a folder name claims files only below the folder given, however that is spelled: a checkout named supervisor holds other programs\' files', () => {
  const write = (name: string, text: string) => writeUnder(dir, name, text);
  write('h/supervisor/proj/tox.ini', '[tox]\nenvlist = py311\n');
  write('h/supervisor/proj/nginx/site.conf', 'server {\n  listen 80;\n}\n');
  write('h/supervisor/proj/w.conf', '[program:w]\ncommand=/bin/cat\n');
  write('h/supervisor/proj/deploy/supervisor/typo.conf', '[progam:w]\ncommand=/bin/cat\n');
  const proj = path.join(dir, 'h', 'supervisor', 'proj');
  const found = (args: string[], cwd: string) => paths(args, cwd).files.map((f) => path.relative(proj, path.resolve(cwd, f)));
  const expected = [path.join('deploy', 'supervisor', 'typo.conf'), 'w.conf'];
  assert.deepEqual(found(['.'], proj), expected);
  assert.deepEqual(found([proj], dir), expected, 'the same files from the absolute path, whose supervisor/ is above the folder given');
  assert.deepEqual(found(['h/supervisor/proj'], dir), expected);
  assert.deepEqual(found(['../../proj'], path.join(proj, 'nginx')), expected);
});

test('the folder given does not claim its files by its own name, named as . or by its path; a folder above it does', () => {
  writeUnder(dir, 'ck/supervisor/conf.d/broken.conf', '[progam:w]\ncommand=/bin/cat\n');
  assert.deepEqual(paths(['ck']).files, ['ck/supervisor/conf.d/broken.conf']);
  const checkout = path.join(dir, 'ck', 'supervisor');
  for (const [args, cwd] of [[['ck/supervisor'], dir], [[checkout], dir], [['.'], checkout]] as const) {
    const r = runCli([...args], { cwd });
    assert.equal(r.code, 2, `${args} in ${cwd}`);
    assert.match(r.stderr, /no supervisor config in it/);
  }
});

test('a supervisor config known by its name is checked whatever its size; other files by their first bytes, however large', () => {
  // Over the 4 MiB [include] reads: a big deployment's generated supervisord.conf, checked to its last line.
  const padding = `; ${'x'.repeat(98)}\n`.repeat(46_000);
  writeUnder(dir, 'big/supervisord.conf', `[supervisord]\n${padding}${DUPLICATE_KEY}`);
  writeUnder(dir, 'big/celery.conf', `; generated\n[program:first]\ncommand=/bin/cat\n${padding}${DUPLICATE_KEY}`);
  writeUnder(dir, 'big/app.ini', `[app]\n${padding}[program:late]\ncommand=/bin/cat\n`);
  assert.ok(fs.statSync(path.join(dir, 'big/supervisord.conf')).size > 4 * 1024 * 1024);
  const r = paths(['big']);
  assert.deepEqual(r.files, ['big/celery.conf', 'big/supervisord.conf']);
  assert.deepEqual(r.codes, ['duplicate-key', 'duplicate-key']);
  assert.equal(r.code, 0);
});

test('a supervisor config it cannot read is reported as a file given is (exit 2); a file that might be one is not', { skip: process.platform === 'win32' && 'file modes' }, () => {
  const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-folders-locked-'));
  try {
    const put = (name: string, text: string, mode: number) => fs.chmodSync(writeUnder(locked, name, text), mode);
    put('etc/supervisord.conf', '[supervisord]\n', 0o000);
    put('etc/supervisor.d/worker.ini', '[program:w]\ncommand=/bin/cat\n', 0o000);
    put('etc/mysql.conf', '[mysqld]\n', 0o000);
    put('etc/celery.conf', DUPLICATE_KEY, 0o644);
    for (const folder of [locked, path.join(locked, 'etc'), path.join(locked, 'etc', 'supervisor.d')]) fs.chmodSync(folder, 0o755);
    const r = runCli(['--format', 'json', 'etc'], { cwd: locked, unprivileged: true });
    assert.match(r.stderr, /^supervisor-lint: cannot read etc\/supervisord\.conf: EACCES: permission denied/m);
    assert.match(r.stderr, /^supervisor-lint: cannot read etc\/supervisor\.d\/worker\.ini: EACCES/m);
    assert.doesNotMatch(r.stderr, /mysql/, 'no telling whether it is a supervisor config');
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['etc/celery.conf']);
    assert.equal(r.code, 2);
  } finally {
    fs.rmSync(locked, { recursive: true, force: true });
  }
});
