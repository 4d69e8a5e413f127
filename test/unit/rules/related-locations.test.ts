/** Findings about two places point at the other one too (LSP relatedInformation, SARIF relatedLocations, the CLI's "see" lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment } from '../../../server/src/core/analyze';
import type { Finding } from '../../../server/src/core/rules/rule';
import { findings } from '../../support/rules';

/** Each related location as "file:line: the text it covers: message" (1-based line). */
function related(text: string, f: Finding, files: Record<string, string> = {}): string[] {
  return (f.related ?? []).map((r) => {
    const lines = (r.file ? files[r.file] : text).split('\n');
    const covered = lines[r.range.start.line].slice(r.range.start.character, r.range.start.line === r.range.end.line ? r.range.end.character : undefined);
    return `${r.file ?? 'here'}:${r.range.start.line + 1}: ${covered}: ${r.message}`;
  });
}

function only(text: string, code: string): Finding {
  const [f, ...rest] = findings(text, code);
  assert.ok(f, `no ${code} in ${JSON.stringify(text)}`);
  assert.equal(rest.length, 0);
  return f;
}

/** The related lines of the `code` finding in `path`, the files analysed as one deployment. */
function relatedInDeployment(files: Record<string, string>, path: string, code: string): string[] {
  const analysis = analyzeDeployment(Object.entries(files).map(([p, text]) => ({ path: p, text }))).find((a) => a.path === path)!;
  return related(files[path], analysis.findings.find((x) => x.code === code)!, files);
}

test('duplicate-key points at the earlier key', () => {
  const text = '[program:w]\ncommand=x\nuser=a\nUser=b\n';
  assert.deepEqual(related(text, only(text, 'duplicate-key')), ['here:3: user: The earlier user=, which supervisor ignores']);
});

test('duplicate-section points at the first header', () => {
  const text = '[program:w]\ncommand=x\n\n[program:w]\nuser=a\n';
  assert.deepEqual(related(text, only(text, 'duplicate-section')), ['here:1: [program:w]: The first [program:w], merged with this one']);
});

test('duplicate-program-name points at the other section, in this file or an earlier one', () => {
  const text = '[program:w]\ncommand=x\n\n[eventlistener:w]\ncommand=y\nevents=TICK_60\n';
  assert.deepEqual(related(text, only(text, 'duplicate-program-name')), ['here:1: [program:w]: [program:w]']);
  const files = { '/d/supervisord.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n', '/d/conf.d/a.conf': '[program:w]\ncommand=x\n', '/d/conf.d/b.conf': '[fcgi-program:w]\ncommand=y\nsocket=tcp://127.0.0.1:9000\n' };
  assert.deepEqual(relatedInDeployment(files, '/d/conf.d/b.conf', 'duplicate-program-name'), ['/d/conf.d/a.conf:1: [program:w]: [program:w] in /d/conf.d/a.conf']);
});

test('duplicate-section-across-files points at the header in the earlier file', () => {
  const files = { '/d/supervisord.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n', '/d/conf.d/a.conf': '; a\n[program:w]\ncommand=x\n', '/d/conf.d/b.conf': '[program:w]\nuser=b\n' };
  assert.deepEqual(relatedInDeployment(files, '/d/conf.d/b.conf', 'duplicate-section-across-files'), ['/d/conf.d/a.conf:2: [program:w]: [program:w] in /d/conf.d/a.conf, read before this file']);
});

test('group-duplicate-member points at the first listing', () => {
  const text = '[program:w]\ncommand=x\n[group:a]\nprograms=w\n[group:b]\nprograms=v,w\n[program:v]\ncommand=y\n';
  assert.deepEqual(related(text, only(text, 'group-duplicate-member')), ['here:4: w: w in [group:a]']);
});

test('celery-duplicate-node-name points at the other worker; celery-beat-duplicate at the other beat', () => {
  const workers = '[program:a]\ncommand=celery -A p worker -n one@%%h\n[program:b]\ncommand=celery -A p worker -n one@%%h\n';
  assert.deepEqual(related(workers, only(workers, 'celery-duplicate-node-name')), ["here:2: -n one@%%h: Worker 'a', also named one@<host>"]);
  const beats = '[program:a]\ncommand=celery -A p beat\n[program:b]\ncommand=celery -A p beat\n';
  assert.deepEqual(related(beats, only(beats, 'celery-beat-duplicate')), ["here:2: beat: Beat program 'a'"]);
});

test('does not add related locations to findings about one place', () => {
  for (const f of findings('[program:w]\ncommand=celery -A p worker\nbogus=1\n')) assert.equal(f.related, undefined, f.code);
});

test('shared-log-file points at the other writers, or at the other stream of the same program', () => {
  const text = '[program:a]\ncommand=x\nstdout_logfile=/var/log/app.log\n[program:b]\ncommand=y\nstdout_logfile=/var/log/app.log\n';
  assert.deepEqual(
    findings(text, 'shared-log-file').map((f) => related(text, f)),
    [["here:6: /var/log/app.log: Also written by 'b' (stdout_logfile)"], ["here:3: /var/log/app.log: Also written by 'a' (stdout_logfile)"]],
  );
  const both = '[program:a]\ncommand=x\nstdout_logfile=/var/log/a.log\nstderr_logfile=/var/log/a.log\n';
  assert.deepEqual(related(both, only(both, 'shared-log-file')), ["here:3: /var/log/a.log: stdout_logfile of 'a', the same file"]);
});
