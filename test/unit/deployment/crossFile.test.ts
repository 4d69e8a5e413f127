/** Rules over a deployment of several files: the main file, and what its [include] reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDeployment, analyzeText, type FileAnalysis } from '../../../server/src/core/analyze';
import { fixture } from '../../support/paths';
import type { Finding } from '../../../server/src/core/rules/rule';

const DIR = fixture('deployment');
const FIXTURE_FILES = ['supervisord.conf', 'conf.d/10-workers.conf', 'conf.d/20-web.conf', 'conf.d/30-memmon.conf'];
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

function fixtureDeployment(replace: Record<string, string> = {}): FileAnalysis[] {
  return analyzeDeployment(FIXTURE_FILES.map((name) => ({ path: `/srv/deploy/${name}`, text: replace[name] ?? read(name) })));
}

function of(analyses: FileAnalysis[], name: string, code?: string): Finding[] {
  const a = analyses.find((x) => x.path === `/srv/deploy/${name}`)!;
  return code ? a.findings.filter((f) => f.code === code) : a.findings;
}

function textAt(text: string, f: Finding): string {
  const lines = text.split('\n');
  assert.equal(f.range.start.line, f.range.end.line);
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

const MAIN = '[unix_http_server]\nfile=/run/s.sock\n\n[supervisord]\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n[include]\nfiles = conf.d/*.conf\n';

function deployment(...fragments: string[]): FileAnalysis[] {
  return analyzeDeployment([{ path: '/d/supervisord.conf', text: MAIN }, ...fragments.map((text, i) => ({ path: `/d/conf.d/${i + 1}.conf`, text }))]);
}

const findingsIn = (analyses: FileAnalysis[], index: number, code: string) => analyses[index].findings.filter((f) => f.code === code);

test('the fixture deployment is clean when its four files are checked together', () => {
  const analyses = fixtureDeployment();
  assert.equal(analyses.length, 4);
  for (const a of analyses) assert.deepEqual(a.findings.map((f) => `${f.code}: ${f.message}`), [], a.path);
});

test('the workers fragment checked alone: celery-memory-limit-missing, since it cannot see the memmon', () => {
  const alone = analyzeText(read('conf.d/10-workers.conf')).findings.filter((f) => f.code === 'celery-memory-limit-missing');
  assert.equal(alone.length, 2);
});

test('does not catch celery-memory-limit-missing when a memmon -c in another file watches the worker (by -p, by a group from a third file)', () => {
  assert.deepEqual(of(fixtureDeployment(), 'conf.d/10-workers.conf', 'celery-memory-limit-missing'), []);
  const analyses = deployment(
    '[program:w]\ncommand=celery -A p worker -l INFO\n',
    '[group:jobs]\nprograms=w\n',
    '[eventlistener:memmon]\ncommand=memmon -c -g jobs=500MB\nevents=TICK_60\n',
  );
  assert.deepEqual(findingsIn(analyses, 1, 'celery-memory-limit-missing'), []);
  assert.deepEqual(findingsIn(analyses, 3, 'memmon-unknown-process'), []);
});

test('catches celery-memory-limit-missing when the memmon in another file watches other programs only', () => {
  const memmon = read('conf.d/30-memmon.conf').replace(' -p celery-reports=512MB', '');
  const found = of(fixtureDeployment({ 'conf.d/30-memmon.conf': memmon }), 'conf.d/10-workers.conf', 'celery-memory-limit-missing');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /'celery-reports'/);
});

test('catches memmon-children-not-counted on the worker when the listener without -c is in another file', () => {
  const memmon = read('conf.d/30-memmon.conf').replace('memmon -c ', 'memmon ');
  const analyses = fixtureDeployment({ 'conf.d/30-memmon.conf': memmon });
  const found = of(analyses, 'conf.d/10-workers.conf', 'memmon-children-not-counted');
  assert.equal(found.length, 2);
  assert.match(found[0].message, /\[eventlistener:memmon\] in \/srv\/deploy\/conf\.d\/30-memmon\.conf/);
  assert.equal(textAt(read('conf.d/10-workers.conf'), found[0]), 'worker');
  assert.deepEqual(found[0].fixes, []);
  assert.deepEqual(of(analyses, 'conf.d/30-memmon.conf', 'memmon-children-not-counted'), [], 'never reported in the listener file about workers elsewhere');
});

test('memmon-unknown-process: sees programs and groups of other files, and catches names no file defines', () => {
  const memmon = read('conf.d/30-memmon.conf').replace('-p celery-reports=512MB', '-p celery-report=512MB').replace('-g web=', '-g webs=');
  const found = of(fixtureDeployment({ 'conf.d/30-memmon.conf': memmon }), 'conf.d/30-memmon.conf', 'memmon-unknown-process');
  assert.deepEqual(
    found.map((f) => textAt(memmon, f)),
    ['celery-report', 'webs'],
  );
  assert.match(found[0].message, /in any file of this deployment/);
  // Alone, the fragment cannot know: no finding.
  assert.deepEqual(analyzeText(memmon).findings.filter((f) => f.code === 'memmon-unknown-process'), []);
});

test('memmon-unknown-process: a -p name that is a program of another file with other process names', () => {
  const analyses = deployment('[program:w]\ncommand=celery -A p worker\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n', '[eventlistener:m]\ncommand=memmon -c -p w=1GB\nevents=TICK_60\n');
  const found = findingsIn(analyses, 2, 'memmon-unknown-process');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /names its processes w_0, w_1/);
});

test('memmon-unknown-process: an incomplete deployment leaves unknown names in fragments alone', () => {
  const files = [
    { path: '/d/supervisord.conf', text: MAIN },
    { path: '/d/conf.d/m.conf', text: '[eventlistener:m]\ncommand=memmon -c -p nowhere=1GB\nevents=TICK_60\n' },
  ];
  assert.deepEqual(analyzeDeployment(files, undefined, false)[1].findings.filter((f) => f.code === 'memmon-unknown-process'), []);
  assert.equal(analyzeDeployment(files, undefined, true)[1].findings.filter((f) => f.code === 'memmon-unknown-process').length, 1);
});

test('group-unknown-program: programs of other files are known; a name no file defines is an error', () => {
  const analyses = deployment('[program:a]\ncommand=/bin/a\n', '[group:g]\nprograms=a,b\n');
  const found = findingsIn(analyses, 2, 'group-unknown-program');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /names b, but no file of this deployment has \[program:b\]/);
});

test('a [group:x] in another file sets the group of this file\'s program (memmon -g matches it)', () => {
  const analyses = fixtureDeployment();
  const memmon = analyses.find((a) => a.path.endsWith('30-memmon.conf'))!;
  assert.equal(memmon.deployment.external?.byName.get('gunicorn')?.group, 'web');
  const web = analyses.find((a) => a.path.endsWith('20-web.conf'))!;
  assert.equal(web.deployment.byName.get('gunicorn')?.group, 'web');
  const split = deployment('[program:w]\ncommand=/bin/w\n', '[group:g]\nprograms=w\n');
  assert.equal(split[1].deployment.byName.get('w')?.group, 'g', 'the group is declared in another file than the program');
});

test('memmon-no-rpc: a listener in a fragment is judged against the main file', () => {
  const noRpc = MAIN.replace(/\[rpcinterface:supervisor\]\n[^\n]*\n/, '');
  const analyses = analyzeDeployment([
    { path: '/d/supervisord.conf', text: noRpc },
    { path: '/d/conf.d/m.conf', text: '[eventlistener:m]\ncommand=memmon -c -a 1GB\nevents=TICK_60\n' },
  ]);
  const found = analyses[1].findings.filter((f) => f.code === 'memmon-no-rpc');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /no file of this deployment \(main file \/d\/supervisord\.conf\) has \[rpcinterface:supervisor\]/);
  assert.deepEqual(found[0].fixes, [], 'the sections belong in the main file, not in the fragment');
  assert.deepEqual(of(fixtureDeployment(), 'conf.d/30-memmon.conf', 'memmon-no-rpc'), []);
});

test('rpcinterface-missing: an [rpcinterface:supervisor] in an included file counts', () => {
  const noRpc = MAIN.replace(/\[rpcinterface:supervisor\]\n[^\n]*\n/, '');
  const withFragment = analyzeDeployment([
    { path: '/d/supervisord.conf', text: noRpc },
    { path: '/d/conf.d/rpc.conf', text: '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n' },
  ]);
  assert.deepEqual(withFragment[0].findings.filter((f) => f.code === 'rpcinterface-missing'), []);
  const without = analyzeDeployment([
    { path: '/d/supervisord.conf', text: noRpc },
    { path: '/d/conf.d/a.conf', text: '[program:a]\ncommand=/bin/a\n' },
  ]);
  const found = without[0].findings.filter((f) => f.code === 'rpcinterface-missing');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning', 'every included file was read: no room for doubt');
});

// supervisor reads every file into one parser, which merges a section repeated across files key by
// key, the later file winning (found by a multi-file hunt; each case checked with supervisor 4.2.5).
const codesIn = (analyses: FileAnalysis[], index: number) => analyses[index].findings.map((f) => f.code).filter((c) => c !== 'duplicate-section-across-files');

test('missing-required-key: does not catch a key the same section sets in another file, read before or after', () => {
  assert.deepEqual(codesIn(deployment('[program:x]\ncommand=/bin/true\n', '[program:x]\nautostart=false\n'), 2), []);
  assert.deepEqual(codesIn(deployment('[program:x]\nautostart=false\n', '[program:x]\ncommand=/bin/true\n'), 1), []);
  assert.deepEqual(codesIn(deployment('[eventlistener:m]\ncommand=/bin/true\n', '[eventlistener:m]\nevents=TICK_60\n'), 1), []);
  assert.deepEqual(codesIn(deployment('[program:x]\nautostart=false\n', '[program:x]\nautorestart=true\n'), 2), ['missing-required-key'], 'no file sets it: still caught');
});

test('invalid-value and group-unknown-program: do not catch an entry a file read later sets again (supervisor never reads it)', () => {
  const values = deployment('[program:x]\ncommand=/bin/true\nstartsecs=ten\n', '[program:x]\nstartsecs=10\n');
  assert.deepEqual(codesIn(values, 1), []);
  assert.deepEqual(codesIn(deployment('[program:x]\ncommand=/bin/true\nstartsecs=10\n', '[program:x]\nstartsecs=ten\n'), 2), ['invalid-value'], 'the later one is read');
  const groups = deployment('[group:g]\nprograms=x\n', '[group:g]\nprograms=y\n[program:y]\ncommand=/bin/true\n');
  assert.deepEqual(codesIn(groups, 1), []);
  assert.deepEqual(codesIn(groups, 2), []);
});

test('numprocs-without-process-num: judges numprocs and process_name as supervisor merges them across files', () => {
  const fine = deployment('[program:x]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)s\n', '[program:x]\nnumprocs=2\n');
  assert.deepEqual(codesIn(fine, 1), []);
  assert.deepEqual(codesIn(fine, 2), []);
  // supervisor refuses this one: the later file's process_name drops %(process_num).
  const text = '[program:x]\nprocess_name=foo\n';
  const refused = deployment('[program:x]\ncommand=/bin/true\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)s\n', text);
  assert.deepEqual(codesIn(refused, 1), []);
  const [finding] = findingsIn(refused, 2, 'numprocs-without-process-num');
  assert.ok(finding, 'caught in the file whose process_name supervisor reads');
  assert.equal(textAt(text, finding), 'foo');
  assert.match(finding.message, /runs 2 processes, but process_name=foo/);
});
