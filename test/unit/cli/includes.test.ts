/** The CLI follows [include]: a main file is checked with the files it includes, each finding naming its file. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, fixture } from '../../support/paths';
import { CLI, runCli, writeUnder } from '../../support/cli';

let dir = '';

function run(args: string[], cwd = REPO_ROOT) {
  return runCli(args, { cwd });
}

function write(name: string, text: string): string {
  return writeUnder(dir, name, text);
}

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-includes-'));
  write('supervisord.conf', '[supervisord]\n\n[include]\nfiles = conf.d/*.conf extra/%(ENV_X)s.conf\n');
  write('conf.d/1-worker.conf', '[program:w]\ncommand=celery -A p worker -l INFO\n');
  write('conf.d/2-memmon.conf', '[eventlistener:memmon]\ncommand=memmon -p w=1GB\nevents=TICK_60\n\n[include]\nfiles=x.conf\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the fixture deployment: the main file and its three fragments are all checked', () => {
  const r = run(['test/fixtures/deployment/supervisord.conf']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^4 file\(s\): 0 error\(s\), 0 warning\(s\)/m);
  const json = JSON.parse(run(['--format', 'json', fixture('deployment', 'supervisord.conf')]).stdout);
  assert.deepEqual(
    json.files.map((f: { path: string }) => path.relative(REPO_ROOT, path.resolve(REPO_ROOT, f.path))),
    ['supervisord.conf', 'conf.d/10-workers.conf', 'conf.d/20-web.conf', 'conf.d/30-memmon.conf'].map((n) => path.join('test', 'fixtures', 'deployment', n)),
  );
});

test('--no-follow-includes checks only the files given', () => {
  const r = run(['--no-follow-includes', 'test/fixtures/deployment/supervisord.conf']);
  assert.match(r.stdout, /^1 file\(s\)/m);
  const fragments = run(['--no-follow-includes', '--no-fixes', 'test/fixtures/deployment/conf.d/10-workers.conf']);
  assert.match(fragments.stdout, /celery-memory-limit-missing/);
});

test('findings name the file they are in, relative to the working directory; fragments given too are checked once', () => {
  const r = run(['--no-fixes', 'supervisord.conf', 'conf.d/1-worker.conf'], dir);
  assert.match(r.stdout, /^conf\.d\/1-worker\.conf:2:\d+: warning memmon-children-not-counted .*in \S+2-memmon\.conf/m);
  assert.match(r.stdout, /^conf\.d\/2-memmon\.conf:5:1: warning include-in-fragment /m);
  assert.doesNotMatch(r.stdout, /celery-memory-limit-missing/);
  assert.match(r.stdout, /^3 file\(s\)/m);
  assert.match(r.stderr, /not every \[include\] pattern was followed/);
});

test('a fragment given before its main file is checked with the deployment', () => {
  const r = run(['--format', 'json', 'conf.d/1-worker.conf', 'supervisord.conf'], dir);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.files.map((f: { path: string }) => f.path), ['supervisord.conf', 'conf.d/1-worker.conf', 'conf.d/2-memmon.conf']);
  assert.equal(json.summary.files, 3);
});
