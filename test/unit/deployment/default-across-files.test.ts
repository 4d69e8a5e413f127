/**
 * [DEFAULT] across the files of a deployment: supervisor reads the main file and then every file its
 * [include] matches into one configparser, so a [DEFAULT] in any of them lends its keys to the sections
 * of all of them, and a file read later wins for a key two [DEFAULT]s set (a section's own key wins over
 * both). The engine follows that when it analyses files together, and still reports each finding in the
 * file it is about; a file analysed alone keeps its own [DEFAULT] only.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeDeployment, analyzeText, type FileAnalysis } from '../../../server/src/core/analyze';
import { parse } from '../../../server/src/core/model/parse';
import { resolveIncludes } from '../../../server/src/core/include';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { NODE_FS } from '../../../server/src/thisMachine';
import { logFileHover } from '../../../server/src/core/features/logFileHover';
import { inlayHints } from '../../../server/src/core/features/inlayHints';
import { logFileLinks } from '../../../server/src/core/features/logFileLinks';
import { fixture, REPO_ROOT } from '../../support/paths';
import { oracleUnavailable } from '../../support/oracle';
import type { Finding } from '../../../server/src/core/rules/rule';

const DIR = fixture('deployment-default');
const MAIN = path.join(DIR, 'supervisord.conf');
const WORKERS = path.join(DIR, 'conf.d', '20-workers.conf');
const DEFAULTS = path.join(DIR, 'conf.d', '10-defaults.conf');
const SCRIPT = path.join(REPO_ROOT, 'test', 'support', 'program_values.py');
const KEYS = ['autorestart', 'stopwaitsecs', 'startsecs', 'killasgroup'];

/** A deployment on disk as the CLI reads it: the main file, then what its [include] matches, in supervisor's order. */
function analyseOnDisk(main: string): FileAnalysis[] {
  const text = fs.readFileSync(main, 'utf8');
  const included = resolveIncludes(main, parse(text), NODE_FS).files;
  return analyzeDeployment([{ path: main, text }, ...included]);
}

function analysisOf(analyses: FileAnalysis[], file: string): FileAnalysis {
  return analyses.find((a) => a.path === file)!;
}

function codes(analysis: { findings: Finding[] }, code: string): Finding[] {
  return analysis.findings.filter((f) => f.code === code);
}

/** supervisor's values for each program of the deployment whose main file is `main`. */
function supervisorValues(main: string, keys: string[]): { programs?: Record<string, Record<string, string>>; error?: string } {
  const r = spawnSync('/usr/bin/python3', [SCRIPT, main, keys.join(',')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`program_values.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Our reading of a key as supervisor's text for it (its default when no file sets it). */
function ourValue(analyses: FileAnalysis[], program: string, key: string): string {
  const p = analyses.flatMap((a) => a.deployment.programs).find((x) => x.name === program)!;
  const raw = p.get(key)?.value.trim().toLowerCase();
  const defaults: Record<string, string> = { autorestart: 'unexpected', stopwaitsecs: '10', startsecs: '1', killasgroup: 'false' };
  return raw ?? defaults[key];
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes files (relative path → text) into a fresh folder and returns its path. */
function onDisk(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'default-files-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const WORKER = '[program:w]\ncommand=/srv/venv/bin/celery -A proj worker -l info --max-memory-per-child 262144\ndirectory=/srv/p\nuser=app\nstartsecs=10\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\nkillasgroup=true\nstopwaitsecs=600\n';
const mainWith = (defaults: string) => `[supervisord]\n\n[DEFAULT]\n${defaults}\n[include]\nfiles = conf.d/*.conf\n`;

test('the programs of a fragment read the [DEFAULT] keys of every file, the file read last winning, as supervisor does (oracle)', { skip: oracleUnavailable() }, () => {
  const analyses = analyseOnDisk(MAIN);
  assert.deepEqual(
    analyses.map((a) => path.relative(DIR, a.path)),
    ['supervisord.conf', 'conf.d/10-defaults.conf', 'conf.d/20-workers.conf'],
  );
  const theirs = supervisorValues(MAIN, KEYS);
  assert.ok(theirs.programs, theirs.error);
  for (const [program, values] of Object.entries(theirs.programs)) {
    for (const key of KEYS) assert.equal(ourValue(analyses, program, key), values[key], `${program} ${key}`);
  }
  const worker = analysisOf(analyses, WORKERS).deployment.byName.get('worker')!;
  assert.equal(worker.fileOf(worker.get('autorestart')!), MAIN);
  assert.equal(worker.fileOf(worker.get('stopwaitsecs')!), DEFAULTS, 'read after the main file: its value wins');
  assert.equal(worker.get('stopwaitsecs')!.value, '900');
  const beat = analysisOf(analyses, WORKERS).deployment.byName.get('beat')!;
  assert.equal(beat.get('autorestart')!.value, 'true', "the program's own key wins over every [DEFAULT]");
  assert.equal(beat.fileOf(beat.get('autorestart')!), undefined);
});

test('more deployments against supervisor: a fragment [DEFAULT] over the main one, and one read before a later fragment', { skip: oracleUnavailable() }, () => {
  const cases: Record<string, string>[] = [
    { 'supervisord.conf': mainWith('autorestart=false\n'), 'conf.d/w.conf': WORKER },
    { 'supervisord.conf': mainWith('autorestart=false\n'), 'conf.d/a.conf': '[DEFAULT]\nautorestart=true\n', 'conf.d/w.conf': WORKER },
    { 'supervisord.conf': mainWith('autorestart=true\n'), 'conf.d/w.conf': WORKER, 'conf.d/z.conf': '[DEFAULT]\nautorestart=unexpected\nstopwaitsecs=33\n' },
  ];
  for (const files of cases) {
    const dir = onDisk(files);
    const main = path.join(dir, 'supervisord.conf');
    const analyses = analyseOnDisk(main);
    const theirs = supervisorValues(main, KEYS);
    assert.ok(theirs.programs, theirs.error);
    for (const key of KEYS) assert.equal(ourValue(analyses, 'w', key), theirs.programs.w[key], `${Object.keys(files).join(' ')}: ${key}`);
  }
});

test("a fragment's worker: no finding for what another file's [DEFAULT] sets, and a finding for what it gets wrong, in the fragment", () => {
  const analyses = analyseOnDisk(MAIN);
  const workers = analysisOf(analyses, WORKERS);
  for (const code of ['celery-killasgroup-missing', 'celery-stopwaitsecs-short', 'celery-startsecs-short']) assert.deepEqual(codes(workers, code), [], code);
  const [autorestart] = codes(workers, 'celery-autorestart-not-true');
  assert.ok(autorestart, 'autorestart=false from the main file');
  assert.match(autorestart.message, new RegExp(`Worker 'worker' has autorestart=false \\(from \\[DEFAULT\\] in ${MAIN.replace(/[/.]/g, '\\$&')}\\)`));
  assert.equal(autorestart.range.start.line, 0, "on the worker's header in the fragment: the value's line is in another file");
  // The fix writes the program's own key, which overrides [DEFAULT]; never a line of another file.
  const text = fs.readFileSync(WORKERS, 'utf8');
  const fixed = applyEdits(text, autorestart.fixes[0].edits);
  assert.equal(fixed, text.replace('stdout_logfile=/var/log/celery/worker.log\n', 'stdout_logfile=/var/log/celery/worker.log\nautorestart=true\n'));
  // Alone, the fragment knows none of it.
  const alone = analyzeText(text);
  const counts = { 'celery-killasgroup-missing': 1, 'celery-stopwaitsecs-short': 1, 'celery-startsecs-short': 2 };
  for (const [code, n] of Object.entries(counts)) assert.equal(codes(alone, code).length, n, code);
  assert.match(codes(alone, 'celery-autorestart-not-true')[0].message, /has no autorestart/);
});

test('the fix of a finding about another file\'s [DEFAULT] key makes supervisor read the fixed value (oracle)', { skip: oracleUnavailable() }, () => {
  const dir = onDisk({ 'supervisord.conf': mainWith('autorestart=false\n'), 'conf.d/w.conf': WORKER });
  const main = path.join(dir, 'supervisord.conf');
  const w = path.join(dir, 'conf.d', 'w.conf');
  const [f] = codes(analysisOf(analyseOnDisk(main), w), 'celery-autorestart-not-true');
  fs.writeFileSync(w, applyEdits(WORKER, f.fixes[0].edits));
  assert.equal(supervisorValues(main, ['autorestart']).programs?.w.autorestart, 'true');
  assert.deepEqual(codes(analysisOf(analyseOnDisk(main), w), 'celery-autorestart-not-true'), []);
});

test('the false finding of the report: a fragment holding only [DEFAULT] autorestart=true', () => {
  const files = [
    { path: '/d/supervisord.conf', text: '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n' },
    { path: '/d/conf.d/a.conf', text: '[DEFAULT]\nautorestart=true\n' },
    { path: '/d/conf.d/w.conf', text: WORKER },
  ];
  assert.deepEqual(codes(analyzeDeployment(files)[2], 'celery-autorestart-not-true'), []);
  assert.equal(codes(analyzeText(WORKER), 'celery-autorestart-not-true').length, 1);
});

test('an entry of another file is never taken for the program\'s own, even at the same section index', () => {
  // [DEFAULT] is section 0 of the main file and [program:w] section 0 of the fragment.
  const files = [
    { path: '/d/supervisord.conf', text: '[DEFAULT]\nstopsignal=QUIT\nnumprocs=2\n\n[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n' },
    { path: '/d/conf.d/w.conf', text: WORKER },
  ];
  const w = analyzeDeployment(files)[1];
  const [signal] = codes(w, 'celery-stop-signal');
  assert.match(signal.message, /stopsignal=QUIT \(from \[DEFAULT\] in \/d\/supervisord\.conf\)/);
  assert.equal(signal.range.start.line, 0);
  assert.equal(signal.fixes[0].title, 'Set stopsignal=TERM in this program');
  assert.equal(applyEdits(WORKER, signal.fixes[0].edits), `${WORKER}stopsignal=TERM\n`);
  const [numprocs] = codes(w, 'numprocs-without-process-num');
  assert.equal(numprocs.severity, 'error', 'supervisor refuses it: numprocs=2 from the main file reaches [program:w]');
  assert.equal(numprocs.range.start.line, 0);
  assert.equal(applyEdits(WORKER, numprocs.fixes[0].edits), `${WORKER}process_name=%(program_name)s_%(process_num)02d\n`);
  for (const f of w.findings) {
    for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.range.start.line < WORKER.split('\n').length, `${f.code}: ${fix.title}`);
  }
});

test('default-section judges across the deployment: the sections of other files that read the key, and a key a later file replaces', () => {
  const analyses = analyseOnDisk(MAIN);
  const main = codes(analysisOf(analyses, MAIN), 'default-section');
  const about = (key: string) => main.find((f) => f.message.startsWith(`${key}=`))!;
  assert.match(about('autorestart').message, new RegExp(`supervisor reads it in \\[program:worker\\] in ${WORKERS.replace(/[/.]/g, '\\$&')}, which`));
  assert.doesNotMatch(about('autorestart').message, /no section/);
  assert.match(about('startsecs').message, /reads it in \[program:worker\] in .*20-workers\.conf and \[program:beat\] in .*20-workers\.conf/);
  assert.match(about('stopwaitsecs').message, /but \[DEFAULT\] in .*10-defaults\.conf, which supervisor reads after this file, sets stopwaitsecs=900/);
  assert.equal(about('stopwaitsecs').tag, 'unnecessary');
  const defaults = codes(analysisOf(analyses, DEFAULTS), 'default-section');
  assert.match(defaults.find((f) => f.message.startsWith('stopwaitsecs='))!.message, /reads it in \[program:worker\] in .*20-workers\.conf, which/);
  // Alone, the main file has no section that reads autorestart (what it said before).
  const alone = codes(analyzeText(fs.readFileSync(MAIN, 'utf8')), 'default-section').find((f) => f.message.startsWith('autorestart='))!;
  assert.match(alone.message, /no section of this file reads autorestart/);
});

test('default-section: no section of the deployment reads the key, and a value another file\'s section refuses', () => {
  const quiet = analyzeDeployment([
    { path: '/d/supervisord.conf', text: mainWith('autorestart=false\n') },
    { path: '/d/conf.d/web.conf', text: '[group:web]\nprograms=\n' },
  ]);
  assert.match(codes(quiet[0], 'default-section')[0].message, /no section of the deployment reads autorestart/);
  const refused = analyzeDeployment([
    { path: '/d/supervisord.conf', text: mainWith('autostart=maybe\n') },
    { path: '/d/conf.d/w.conf', text: WORKER },
  ]);
  const [f] = codes(refused[0], 'default-section');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /in \[program:w\] in \/d\/conf\.d\/w\.conf supervisor refuses the file/);
});

test('a %(name)s naming a key of another file\'s [DEFAULT] is still an unknown expansion (supervisor does not expand it)', () => {
  const analyses = analyzeDeployment([
    { path: '/d/supervisord.conf', text: mainWith('venv=/srv/venv\n') },
    { path: '/d/conf.d/w.conf', text: WORKER.replace('/srv/venv/bin/celery', '%(venv)s/bin/celery') },
  ]);
  assert.equal(codes(analyses[1], 'unknown-expansion').length, 1);
});

test('hovers and hints: a log rotation value from another file\'s [DEFAULT] says so; no hint or link points into that file', () => {
  const analyses = analyzeDeployment([
    { path: '/d/supervisord.conf', text: mainWith('stdout_logfile_maxbytes=10MB\nprocess_name=%(program_name)s_%(process_num)d\n') },
    { path: '/d/conf.d/w.conf', text: WORKER },
  ]);
  const w = analyses[1];
  const p = w.deployment.byName.get('w')!;
  const hover = logFileHover(p.get('stdout_logfile')!, p)!;
  assert.match(hover, /stdout_logfile_maxbytes, from \[DEFAULT\] in \/d\/supervisord\.conf\)/);
  const all = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
  assert.deepEqual(inlayHints(w.doc, w.deployment, all, { units: false }), [], 'the process_name hint belongs to the main file');
  assert.deepEqual(
    logFileLinks(w.doc, w.deployment, '/d/conf.d/w.conf').map((l) => l.range.start.line),
    [6],
  );
});

test("another file's programs are named with the deployment's [DEFAULT] numprocs and process_name (memmon -p finds w_1)", { skip: oracleUnavailable() }, () => {
  const dir = onDisk({
    'supervisord.conf': mainWith('numprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n'),
    'conf.d/a.conf': '[program:w]\ncommand=/srv/venv/bin/celery -A proj worker\n',
    'conf.d/b.conf': '[eventlistener:m]\ncommand=memmon -c -p w_1=1GB\nevents=TICK_60\nnumprocs=1\nprocess_name=m\n',
  });
  const analyses = analyseOnDisk(path.join(dir, 'supervisord.conf'));
  const listener = analysisOf(analyses, path.join(dir, 'conf.d', 'b.conf'));
  const groups = spawnSync('/usr/bin/python3', [path.join(REPO_ROOT, 'test', 'support', 'program_values.py'), path.join(dir, 'supervisord.conf'), 'name'], { encoding: 'utf8' });
  assert.deepEqual(Object.keys(JSON.parse(groups.stdout).programs).sort(), ['m', 'w_0', 'w_1'], 'supervisor names them so');
  assert.deepEqual(listener.deployment.external?.byName.get('w')?.processNames, ['w_0', 'w_1']);
  assert.deepEqual(codes(listener, 'memmon-unknown-process'), []);
});

test("numprocs=0 from another file's [DEFAULT] is reported on the program's header, naming that file (review find)", () => {
  const dir = onDisk({
    'supervisord.conf': '[supervisord]\n[include]\nfiles = conf.d/*.conf\n',
    'conf.d/00-defaults.conf': '; shared\n[DEFAULT]\nnumprocs=0\n',
    'conf.d/20-web.conf': '[program:web]\ncommand=/bin/sleep 100\ndirectory=/srv\n',
  });
  const web = analysisOf(analyseOnDisk(path.join(dir, 'supervisord.conf')), path.join(dir, 'conf.d/20-web.conf'));
  const [f] = codes(web, 'numprocs-zero');
  assert.ok(f, 'reported in the file of the program');
  assert.deepEqual(f.range.start, { line: 0, character: 0 }, 'the header, not line 3 of this file (the value is line 3 of another)');
  assert.match(f.message, /numprocs=0 \(from \[DEFAULT\] in .*00-defaults\.conf\)/);
});

test("default-section: a %(here)s value a later file's [DEFAULT] sets again is not called unread: supervisor has written it into the sections read before (review find)", { skip: oracleUnavailable() }, () => {
  const dir = onDisk({
    'supervisord.conf': '[supervisord]\n[DEFAULT]\nstderr_logfile=%(here)s/err.log\n[program:worker]\ncommand=/bin/sleep 100\n[include]\nfiles = conf.d/*.conf\n',
    'conf.d/zz.conf': '[DEFAULT]\nstderr_logfile=/var/log/z-err.log\n[program:other]\ncommand=/bin/sleep 100\n',
  });
  const main = path.join(dir, 'supervisord.conf');
  const theirs = supervisorValues(main, ['stderr_logfile']);
  assert.equal(theirs.programs?.worker.stderr_logfile, path.join(dir, 'err.log'), 'supervisor reads the main file line for worker');
  const findings = codes(analysisOf(analyseOnDisk(main), main), 'default-section');
  assert.ok(!findings.some((f) => /never reads this line/.test(f.message)), JSON.stringify(findings.map((f) => f.message)));
});
