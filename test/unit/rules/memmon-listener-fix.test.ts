/**
 * The fixes that make memmon watch a worker (a new listener, or -p/-g added to one) and the gevent
 * refactor that adds one: the size they write must satisfy the memmon rules they are checked by.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import { codeActions } from '../../../server/src/core/features/codeActions';
import type { Finding } from '../../../server/src/core/rules/rule';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { applyFix, findings, settingsWith } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** The memmon rules' findings, as comparable text. */
const memmonFindings = (text: string, settings: Settings) =>
  analyzeText(text, settings)
    .findings.filter((f) => f.code.startsWith('memmon-'))
    .map((f) => `${f.code}: ${f.message}`);

/** Fails on a memmon finding of `after` that `before` did not have. */
function assertNoNewMemmonFinding(before: string, fixed: string, settings: Settings, label: string): void {
  const had = new Set(memmonFindings(before, settings));
  const added = memmonFindings(fixed, settings).filter((f) => !had.has(f));
  assert.deepEqual(added, [], `${label}\n--- after ---\n${fixed}`);
}

const isMemmonFix = (title: string) => /memmon listener/.test(title);

const WORKERS = [
  'celery -A proj worker -l info --concurrency=10',
  'celery -A proj worker -l info -c 2',
  'celery -A proj worker -l info --autoscale=16,4',
  'celery -A proj worker -l info',
  'celery -A proj worker -l info -P threads -c 20 --max-memory-per-child 262144',
  'celery -A proj worker -l info -P gevent -c 100',
  'celery -A proj worker -l info -P solo --max-tasks-per-child 100',
];
const PROCESSES = ['', 'process_name=%(program_name)s_%(process_num)02d\nnumprocs=3\n'];
const protectedWorker = '[program:other]\ncommand=celery -A proj worker -l info -c 8 --max-memory-per-child 262144\n';
const SURROUNDINGS: [string, (celery: string) => string][] = [
  ['a fragment', (celery) => celery],
  ['a main file', (celery) => `[supervisord]\nlogfile=/tmp/supervisord.log\n\n${celery}`],
  ['a listener without -c', (celery) => `${celery}\n[program:web]\ncommand=gunicorn app.wsgi\n\n[eventlistener:memmon]\ncommand=memmon -p web=256MB\nevents=TICK_60\n`],
  ['a listener whose limit -c would bring under the floor', (celery) => `${celery}\n${protectedWorker}\n[eventlistener:memmon]\ncommand=memmon -p other=512MB\nevents=TICK_60\n`],
  ['a listener with -c', (celery) => `${celery}\n${protectedWorker}\n[eventlistener:memmon]\ncommand=memmon -c -p other=2GB\nevents=TICK_60\n`],
  ['a group', (celery) => `[group:app]\nprograms=celery\n\n${celery}`],
];
const SETTINGS: [string, Settings][] = [
  ['defaults', DEFAULT_SETTINGS],
  ['defaultLimit 64MB', settingsWith({ memmonDefaultLimit: '64MB' })],
  ['defaultLimit 2GB', settingsWith({ memmonDefaultLimit: '2GB' })],
  ['8 cores', settingsWith({ serverCpuCount: 8 })],
];

test('the memmon fix on the report\'s worker: -c counts 11 processes, so it restarts above 1408MB, and says so', () => {
  const text = '[program:celery]\ncommand=celery -A proj worker -l info --concurrency=10\ndirectory=/srv\nuser=app\n';
  const title = "Add a memmon listener that restarts 'celery' above 1408MB (needs superlance installed)";
  const fixed = applyFix(text, 'celery-memory-limit-missing', title, undefined, checker);
  assert.equal(fixed, `${text}\n[eventlistener:memmon]\ncommand=memmon -c -p celery=1408MB\nevents=TICK_60\n`);
  assert.deepEqual(findings(fixed, 'memmon-limit-too-low'), []);
  // Enough already: the configured default.
  assert.match(applyFix(text.replace('--concurrency=10', '-c 2'), 'celery-memory-limit-missing', /memmon/), /memmon -c -p celery=512MB/);
  assert.match(applyFix(text, 'celery-memory-limit-missing', /memmon/, settingsWith({ memmonDefaultLimit: '2GB' })), /memmon -c -p celery=2GB/);
});

test('a listener whose other limits -c would bring under the floor keeps them: the fix adds a listener of its own', () => {
  const text = `[program:celery]\ncommand=celery -A proj worker -l info -c 4\n\n${protectedWorker}\n[eventlistener:memmon]\ncommand=memmon -p other=512MB\nevents=TICK_60\n`;
  const fixed = applyFix(text, 'celery-memory-limit-missing', /memmon/, undefined, checker);
  assert.equal(fixed, `${text}\n[eventlistener:memmon2]\ncommand=memmon -c -p celery=640MB\nevents=TICK_60\n`);
  // With room for -c, the existing listener takes it.
  const roomy = text.replace('other=512MB', 'other=2GB');
  assert.match(applyFix(roomy, 'celery-memory-limit-missing', /memmon/), /command=memmon -p other=2GB -c -p celery=640MB\n/);
});

test('the gevent refactor sizes memmon for one process, also next to a listener with -c', () => {
  const text = `[program:celery]\ncommand=celery -A proj worker -l info -c 16\n\n${protectedWorker}\n[eventlistener:memmon]\ncommand=memmon -c -p other=2GB\nevents=TICK_60\n`;
  const [refactor] = codeActions(analyzeText(text), { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, ['refactor']);
  const fixed = checker.checkEdits(text, refactor.edits, DEFAULT_SETTINGS, refactor.title);
  assert.match(fixed, /command=memmon -c -p other=2GB -p celery=512MB\n/);
  assertNoNewMemmonFinding(text, fixed, DEFAULT_SETTINGS, refactor.title);
});

test('every memmon fix and the gevent refactor, on workers of every pool, size and numprocs, add no memmon finding', () => {
  let fixes = 0;
  for (const command of WORKERS) {
    for (const processes of PROCESSES) {
      for (const [where, around] of SURROUNDINGS) {
        const text = around(`[program:celery]\ncommand=${command}\n${processes}`);
        for (const [how, settings] of SETTINGS) {
          const label = `${command} ${processes ? 'numprocs=3' : ''} in ${where}, ${how}`;
          for (const f of analyzeText(text, settings).findings as Finding[]) {
            for (const fix of f.fixes.filter((x) => isMemmonFix(x.title))) {
              const fixed = checker.checkFix(text, f, fix, settings, `${label}: ${f.code}`);
              assertNoNewMemmonFinding(text, fixed, settings, `${label}: ${fix.title}`);
              const sizes = new Set([...fixed.matchAll(/ -[pg] celery(?:_\d+)?=(\S+)/g)].map((m) => m[1]));
              assert.equal(sizes.size, 1, `${label}: one size for the worker\n${fixed}`);
              assert.ok(fix.title.includes(`above ${[...sizes][0]}`), `${label}: the title says the size: ${fix.title}`);
              fixes++;
            }
          }
          const line = text.split('\n').indexOf(`command=${command}`);
          for (const refactor of codeActions(analyzeText(text, settings), { start: { line, character: 10 }, end: { line, character: 10 } }, ['refactor'])) {
            const fixed = checker.checkEdits(text, refactor.edits, settings, `${label}: ${refactor.title}`);
            assertNoNewMemmonFinding(text, fixed, settings, `${label}: ${refactor.title}`);
          }
        }
      }
    }
  }
  assert.ok(fixes >= 200, `${fixes} memmon fixes checked`);
});

test("the new listener's memmon sits in the worker's folder, with the worker's own %(program_name)s expanded (in the listener's section it names the listener)", () => {
  const memmonCommand = (command: string) => {
    const text = `[program:app_worker]\ncommand=${command}\n`;
    const fixed = applyFix(text, 'celery-memory-limit-missing', /memmon listener/, DEFAULT_SETTINGS, checker);
    return /\[eventlistener:memmon\]\ncommand=(\S+)/.exec(fixed)![1];
  };
  assert.equal(memmonCommand('/srv/%(program_name)s/venv/bin/celery -A proj worker'), '/srv/app_worker/venv/bin/memmon');
  assert.equal(memmonCommand('/srv/100%%/venv/bin/celery -A proj worker'), '/srv/100%%/venv/bin/memmon');
  assert.equal(memmonCommand('/home/%(ENV_USER)s/venv/bin/celery -A proj worker'), '/home/%(ENV_USER)s/venv/bin/memmon', 'the same in every section');
  assert.equal(memmonCommand('/srv/%(ENV_APP)s/%(program_name)s/bin/celery -A proj worker'), 'memmon', 'a name this file does not say');
  const template = '[program:celery]\ncommand=/srv/{{\n    app }}/venv/bin/celery -A proj worker\n';
  const fixed = applyFix(template, 'celery-memory-limit-missing', /memmon listener/);
  assert.match(fixed, /\[eventlistener:memmon\]\ncommand=memmon -c -p celery=\d+MB\n/, 'an expression across lines is not copied onto one');
});
