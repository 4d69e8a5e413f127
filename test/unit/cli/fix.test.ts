/** supervisor-lint --fix: fixes written into the files, everything else kept, and never a file made worse. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, runCli, writeUnder } from '../../support/cli';
import { corpusFiles } from '../../support/paths';
import { oracleUnavailable, runOracle } from '../../support/oracle';
import { fixFiles } from '../../../server/src/cli/fix';
import { analyzeText } from '../../../server/src/core/analyze';
import type { CheckedFile } from '../../../server/src/cli/files';
import type { Finding } from '../../../server/src/core/rules/rule';

let dir = '';

function run(args: string[], cwd = dir) {
  return runCli(args, { cwd });
}

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  if (typeof text !== 'string') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }
  return writeUnder(dir, name, text);
}

const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** The keys the tuning guide wants on every worker, so that each test sees only the fixes it is about. */
const TUNED = 'autorestart=true\nkillasgroup=true\nstartsecs=10\nstopwaitsecs=600\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\n';

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fix-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--fix writes the preferred fixes, reports what is left and how many were fixed', () => {
  write('worker.conf', `; the workers\n[program:worker]\ncommand=celery worker -A proj -l WARN   ; old\nuser=a\nuser=b\n${TUNED}`);
  const r = run(['--fix', '--no-fixes', 'worker.conf']);
  const fixed = `; the workers\n[program:worker]\ncommand=celery -A proj worker --max-memory-per-child 262144 -l WARNING   ; old\nuser=b\n${TUNED}`;
  assert.equal(read('worker.conf'), fixed);
  assert.match(r.stdout, /^worker\.conf: fixed 4 problem\(s\)$/m);
  assert.match(r.stdout, /after 4 fixed\./);
  assert.doesNotMatch(r.stdout, /duplicate-key|celery-4-syntax|celery-memory-limit-missing/, 'the fixed findings are not reported');
  assert.equal(r.code, 0);
  // Nothing left to fix: a second run changes nothing.
  const again = run(['--fix', '--format', 'json', 'worker.conf']);
  assert.equal(JSON.parse(again.stdout).summary.fixed, 0);
  assert.equal(read('worker.conf'), fixed);
});

test('--fix keeps CRLF line endings, comments, spacing and a byte order mark', () => {
  const tuned = TUNED.replace(/=/g, ' = ').replace(/\n/g, '\r\n');
  write('crlf.conf', `\ufeff[program:w]\r\n; keep me\r\ncommand = celery -A p worker -l info   # trailing\r\nstopsignal = QUIT\r\n${tuned}`);
  run(['--fix', 'crlf.conf']);
  assert.equal(read('crlf.conf'), `\ufeff[program:w]\r\n; keep me\r\ncommand = celery -A p worker --max-memory-per-child 262144 -l info   # trailing\r\n${tuned}`);
});

test('--fix applies only the rules that are on (--disable), and never adds a memmon listener', () => {
  write('some.conf', `[program:w]\ncommand=celery -A p worker\nuser=a\nuser=b\n${TUNED}`);
  const r = run(['--fix', '--disable', 'celery-loglevel-missing,celery-memory-limit-missing', 'some.conf']);
  assert.equal(read('some.conf'), `[program:w]\ncommand=celery -A p worker\nuser=b\n${TUNED}`);
  assert.match(r.stdout, /fixed 1 problem/);
  write('gevent.conf', `[program:w]\ncommand=celery -A p worker -l info -P gevent -c 100\n${TUNED}`);
  run(['--fix', 'gevent.conf']);
  assert.equal(read('gevent.conf'), `[program:w]\ncommand=celery -A p worker -l info -P gevent -c 100\n${TUNED}`, 'the only fix adds a listener: not applied');
});

test('--fix leaves guesses to the user: a near spelling, an invented log path', () => {
  const text = '[program:w]\ncommand=celery -A p worker -l info --max-memory-per-child 262144 --concurency 4\npriorty=5\nautorestart=true\nkillasgroup=true\nstartsecs=10\nstopwaitsecs=600\n';
  write('guess.conf', text);
  const r = run(['--fix', 'guess.conf']);
  assert.equal(read('guess.conf'), text);
  for (const fix of ['Rename to priority', 'Change --concurency to --concurrency', 'Log to ']) assert.ok(r.stdout.includes(fix), `still offered: ${fix}\n${r.stdout}`);
});

test('--fix fixes the files a main file includes', () => {
  write('deploy/supervisord.conf', '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
  write('deploy/conf.d/worker.conf', `[program:w]\ncommand=celery -A p worker -l info --max-memory-per-child 262144\nstopsignal=KILL\n${TUNED}`);
  const r = run(['--fix', 'deploy/supervisord.conf']);
  assert.equal(read('deploy/conf.d/worker.conf'), `[program:w]\ncommand=celery -A p worker -l info --max-memory-per-child 262144\n${TUNED}`);
  assert.match(r.stdout, /conf\.d\/worker\.conf: fixed 1 problem/);
});

test('--fix leaves a file that is not valid UTF-8 untouched, and says so', () => {
  const bytes = Buffer.concat([Buffer.from('[program:w]\n; caf'), Buffer.from([0xe9]), Buffer.from('\ncommand=celery -A p worker -l info\nuser=a\nuser=b\n')]);
  write('latin1.conf', bytes);
  const r = run(['--fix', 'latin1.conf']);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'latin1.conf')), bytes);
  assert.match(r.stderr, /latin1\.conf: not fixed: not valid UTF-8/);
  assert.match(r.stdout, /duplicate-key/, 'its findings are still reported');
});

test('--fix refuses standard input', () => {
  const r = runCli(['--fix', '-'], { cwd: dir, input: '[program:w]\ncommand=x\n' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--fix .* cannot fix standard input/);
});

const corpus = corpusFiles();
const noOracle = corpus.skip ?? oracleUnavailable();

test('--fix on every real config: supervisor still accepts each file it accepted', { skip: noOracle }, () => {
  const copies = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fix-corpus-'));
  try {
    const names = corpus.files.map((f, i) => {
      const name = `${String(i).padStart(3, '0')}.conf`;
      fs.copyFileSync(f, path.join(copies, name));
      return name;
    });
    const before = runOracle(names.map((n) => path.join(copies, n)));
    const r = runCli(['--fix', '--no-follow-includes', '--format', 'json', ...names], { cwd: copies });
    const fixed = JSON.parse(r.stdout).summary.fixed;
    assert.equal(r.stderr, '', 'no file was skipped or undone');
    const after = runOracle(names.map((n) => path.join(copies, n)));
    const worse: string[] = [];
    for (const [file, was] of before) {
      const now = after.get(file)!;
      if ((was.parse === 'ok' && now.parse !== 'ok') || (was.semantic === 'ok' && now.semantic !== 'ok')) {
        worse.push(`${corpus.files[names.indexOf(path.basename(file))]}: ${now.parse} / ${now.semantic}`);
      }
    }
    assert.deepEqual(worse, []);
    console.log(`--fix fixed ${fixed} findings on the corpus; supervisor accepts every file it accepted before`);
    assert.ok(fixed > 100);
  } finally {
    fs.rmSync(copies, { recursive: true, force: true });
  }
});

test('a pass that does not reduce a file\'s findings is undone, and the file left alone', () => {
  // A stand-in for a rule whose fix does not cure its finding: every check finds it again.
  const file = write('stubborn.conf', '[program:w]\ncommand=x\n');
  const check = (): CheckedFile[] => {
    const text = fs.readFileSync(file, 'utf8');
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
    const finding: Finding = { code: 'x', severity: 'warning', message: 'x', range, fixes: [{ title: 'add', edits: [{ range, newText: '; again\n' }], isPreferred: true }] };
    return [{ name: 'stubborn.conf', file, text, findings: [finding] }];
  };
  const report = fixFiles(check);
  assert.equal(fs.readFileSync(file, 'utf8'), '[program:w]\ncommand=x\n');
  assert.deepEqual([...report.fixed], []);
  assert.match(report.skipped.get('stubborn.conf')!, /did not cure its finding/);
});

test('a pass that cures its findings is kept though the file now shows others: a misspelt sub-command fixed, the worker is checked (found by fix fuzzing)', () => {
  const text = (command: string) =>
    `[program:w]\ncommand=${command}\ndirectory=/srv/app\nuser=app\nautorestart=true\nstartsecs=10\nstopwaitsecs=600\nkillasgroup=true\nstdout_logfile=/var/log/w.log\nredirect_stderr=true\n`;
  const misspelt = write('misspelt.conf', text('celery -A proj Worker -l info'));
  const continued = write('continued.conf', text('celery -A proj worker \\\n    -l info \\\n    -c 4'));
  const check = (): CheckedFile[] =>
    [misspelt, continued].map((file) => {
      const now = fs.readFileSync(file, 'utf8');
      return { name: path.basename(file), file, text: now, findings: analyzeText(now).findings };
    });
  const report = fixFiles(check);
  assert.deepEqual([...report.skipped], []);
  // Cured, and then checked as a worker: the next pass adds the memory limit, as Fix All does.
  assert.equal(fs.readFileSync(misspelt, 'utf8'), text('celery -A proj worker --max-memory-per-child 262144 -l info'));
  assert.match(fs.readFileSync(continued, 'utf8'), /^command=celery -A proj worker --max-memory-per-child 262144\n    -l info\n    -c 4\n/m);
});

test('a file that cannot be written is not fixed, says why, and the other files still are', () => {
  const locked = write('locked.conf', '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n');
  const open = write('open.conf', '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n');
  const check = (): CheckedFile[] =>
    [locked, open].map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return { name: path.basename(file), file, text, findings: analyzeText(text).findings };
    });
  const denied = (file: string, text: string) => {
    if (file === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
    fs.writeFileSync(file, text);
  };
  const report = fixFiles(check, denied);
  assert.match(report.skipped.get('locked.conf')!, /^cannot write it: EACCES: permission denied/);
  assert.deepEqual([...report.unwritable], ['locked.conf']);
  assert.equal(fs.readFileSync(locked, 'utf8'), '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n');
  assert.deepEqual([...report.fixed], [['open.conf', 1]]);
  assert.equal(fs.readFileSync(open, 'utf8'), '[program:w]\ncommand=/bin/cat\nuser=b\n');
});

test('--fix on files it may not write (a read-only file, a read-only fragment of a deployment): "not fixed", the rest fixed, exit 2', { skip: process.platform === 'win32' && 'file modes' }, () => {
  const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fix-locked-'));
  const duplicate = '[program:w]\ncommand=/bin/cat\nuser=a\nuser=b\n';
  try {
    const put = (name: string, text: string, mode: number) => fs.chmodSync(writeUnder(locked, name, text), mode);
    put('a-readonly.conf', duplicate, 0o444);
    put('b.conf', duplicate, 0o666);
    put('deploy/supervisord.conf', '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n', 0o666);
    put('deploy/conf.d/worker.conf', duplicate, 0o444);
    for (const folder of [locked, path.join(locked, 'deploy'), path.join(locked, 'deploy', 'conf.d')]) fs.chmodSync(folder, 0o755);
    const r = runCli(['--fix', '--no-fixes', 'a-readonly.conf', 'b.conf', 'deploy/supervisord.conf'], { cwd: locked, unprivileged: true });
    assert.match(r.stderr, /^supervisor-lint: a-readonly\.conf: not fixed: cannot write it: EACCES: permission denied/m);
    assert.match(r.stderr, /^supervisor-lint: deploy\/conf\.d\/worker\.conf: not fixed: cannot write it: EACCES/m);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(fs.readFileSync(path.join(locked, 'b.conf'), 'utf8'), '[program:w]\ncommand=/bin/cat\nuser=b\n', 'the files after it are fixed');
    assert.equal(fs.readFileSync(path.join(locked, 'a-readonly.conf'), 'utf8'), duplicate);
    assert.match(r.stdout, /^a-readonly\.conf:4:1: warning duplicate-key/m, 'what is left is reported');
    assert.equal(r.code, 2, 'as for a file it cannot read');
    const sarif = runCli(['--fix', '--format', 'sarif', 'a-readonly.conf'], { cwd: locked, unprivileged: true });
    assert.match(JSON.parse(sarif.stdout).runs[0].invocations[0].toolExecutionNotifications[0].message.text, /a-readonly\.conf: not fixed: cannot write it/);
  } finally {
    fs.rmSync(locked, { recursive: true, force: true });
  }
});
