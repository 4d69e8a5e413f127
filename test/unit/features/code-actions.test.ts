import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/src/core/analyze';
import fc from 'fast-check';
import { codeActions, combineFixes } from '../../../server/src/core/features/codeActions';
import { rangesOverlap, type TextEdit } from '../../../server/src/core/model/types';
import type { Finding } from '../../../server/src/core/rules/rule';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { oracleUnavailable, runOracle } from '../../support/oracle';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { overlappingEdits } from '../fuzz/invariants';
import { REPO_ROOT } from '../../support/paths';

const everywhere = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
const fixedTexts: string[] = [];

after(() => {
  if (oracleUnavailable() || !fixedTexts.length) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actions-'));
  const files = fixedTexts.map((t, i) => {
    const f = path.join(dir, `${i}.conf`);
    fs.writeFileSync(f, t);
    return f;
  });
  for (const [file, r] of runOracle(files)) assert.ok(r.parse === 'ok' && r.semantic === 'ok', `${file}: ${r.semantic}\n${fs.readFileSync(file, 'utf8')}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('quick fixes carry the finding they resolve; the preferred one is marked', () => {
  const text = '[program:w]\ncommand=celery -A p worker\n';
  const actions = codeActions(analyzeText(text), at(1, 22), ['quickfix']);
  const loglevel = actions.find((a) => a.title === 'Add -l info to the worker command')!;
  assert.equal(loglevel.kind, 'quickfix');
  assert.equal(loglevel.isPreferred, true);
  assert.deepEqual(loglevel.findings.map((f) => f.code), ['celery-loglevel-missing']);
});

test('"Fix all <code>" combines the preferred fixes of one code', () => {
  const text = '[program:a]\ncommand=celery -A p worker\n\n[program:b]\ncommand=celery -A p worker -c 2\n';
  const actions = codeActions(analyzeText(text), at(1, 22), ['quickfix']);
  const all = actions.find((a) => a.title.startsWith('Fix all celery-loglevel-missing'))!;
  assert.equal(all.findings.length, 2);
  const fixed = applyEdits(text, all.edits);
  assert.equal(fixed, '[program:a]\ncommand=celery -A p worker -l info\n\n[program:b]\ncommand=celery -A p worker -l info -c 2\n');
});

test('source.fixAll applies every preferred fix that does not collide, and is only offered when asked for', () => {
  const text = '[program:a]\ncommand=celery -A p worker\nstopsignal=TERM\nstopsignal=INT\n';
  assert.equal(codeActions(analyzeText(text), everywhere).some((a) => a.kind === 'source.fixAll'), false);
  const [fixAll] = codeActions(analyzeText(text), everywhere, ['source.fixAll']);
  assert.equal(fixAll.kind, 'source.fixAll');
  const fixed = applyEdits(text, fixAll.edits);
  const left = analyzeText(fixed).findings.map((f) => f.code);
  assert.ok(!left.includes('celery-loglevel-missing') && !left.includes('duplicate-key'), left.join());
  fixedTexts.push(fixed);
});

test('refactor: switch a prefork worker to gevent in one step', () => {
  const text = '[program:worker]\ncommand=/srv/venv/bin/celery -A myauth worker -l info --max-memory-per-child 262144 -c 4\n';
  const actions = codeActions(analyzeText(text), at(1, 10), ['refactor']);
  const [switchAction] = actions;
  assert.equal(switchAction.kind, 'refactor.rewrite');
  assert.match(switchAction.title, /gevent must be installed/);
  const fixed = applyEdits(text, switchAction.edits);
  assert.equal(
    fixed,
    '[program:worker]\ncommand=/srv/venv/bin/celery -A myauth worker -P gevent -l info -c 10\n\n[eventlistener:memmon]\ncommand=/srv/venv/bin/memmon -p worker=512MB\nevents=TICK_60\n',
  );
  const after = analyzeText(fixed).findings.map((f) => f.code);
  for (const gone of ['celery-memory-limit-missing', 'celery-memory-limit-ignored', 'celery-threads-without-leak-protection']) assert.ok(!after.includes(gone), gone);
  fixedTexts.push(fixed);
  assert.deepEqual(codeActions(analyzeText(fixed), at(1, 10), ['refactor']), [], 'not offered on a gevent worker');
});

test('refactor keeps the command style and continuation lines', () => {
  const text = '[program:w]\ncommand=celery --app=p worker --loglevel=INFO\n    --pool=threads\n    --concurrency=5\n    --max-tasks-per-child=100\n';
  const [a] = codeActions(analyzeText(text), at(1, 10), ['refactor']);
  const fixed = applyEdits(text, a.edits);
  assert.match(fixed, /command=celery --app=p worker --loglevel=INFO\n    --pool=gevent\n    --concurrency=10\n\n\[eventlistener:memmon\]/);
  fixedTexts.push(fixed);
});

test('refactor: options that start a continuation line go without overlapping edits (LF and CRLF)', () => {
  const listener = ['', '[eventlistener:memmon]', 'command=memmon -p w=512MB', 'events=TICK_60', ''];
  for (const eol of ['\n', '\r\n']) {
    for (const [lines, expected] of [
      [
        ['command=celery -A p worker -l info', '    --max-tasks-per-child=100 --max-memory-per-child 262144', 'directory=/srv'],
        ['command=celery -A p worker --pool=gevent --concurrency=10 -l info', 'directory=/srv'],
      ],
      [
        ['command=celery -A p worker -l info', '    --maxtasksperchild=100 --max-memory-per-child 256 -P Gevent -c=4'],
        ['command=celery -A p worker -l info', '    --pool=gevent --concurrency=10'],
      ],
      [
        ['command=celery -A p worker -l info', '    --max-memory-per-child 262144 -O fair -n w@%%h --soft-time-limit 60 --max-tasks-per-child 10'],
        ['command=celery -A p worker -P gevent -c 10 -l info', '    -n w@%%h'],
      ],
    ]) {
      const text = ['[program:w]', ...lines, ''].join(eol);
      const [a] = codeActions(analyzeText(text), at(1, 10), ['refactor']);
      assert.equal(overlappingEdits(a.edits), undefined, JSON.stringify(text));
      const fixed = applyEdits(text, a.edits);
      assert.equal(fixed, ['[program:w]', ...expected, ...listener].join(eol));
      fixedTexts.push(fixed);
    }
  }
});

test('refactor on the bundled example: every worker switches without overlapping edits', () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'supervisor.conf'), 'utf8');
  const analysis = analyzeText(text);
  const actions = codeActions(analysis, { start: { line: 0, character: 0 }, end: { line: analysis.doc.lineCount, character: 0 } }, ['refactor']);
  assert.ok(actions.some((a) => a.title.startsWith("Switch worker 'worker-bulk'")));
  for (const a of actions) {
    assert.equal(overlappingEdits(a.edits), undefined, a.title);
    const fixed = applyEdits(text, a.edits);
    fixedTexts.push(fixed);
    if (a.title.startsWith("Switch worker 'worker-bulk'")) assert.match(fixed, /celery worker --pool=gevent --concurrency=10 -A myauth -l WARN\n    -n bulk@%%h\ndirectory=/);
  }
});

/** combineFixes as it was first written: every edit compared with every edit taken before. */
function combineFixesOneByOne(findings: Finding[], onlySafe: boolean): { edits: TextEdit[]; findings: Finding[] } {
  const edits: TextEdit[] = [];
  const taken: Finding[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.isPreferred && (!onlySafe || x.safeForFixAll !== false));
    if (!fix || edits.some((x) => fix.edits.some((y) => rangesOverlap(x.range, y.range)))) continue;
    edits.push(...fix.edits);
    taken.push(f);
  }
  return { edits, findings: taken };
}

test('"Fix all" takes the same fixes as comparing every edit with every other (touching, nested, inverted ranges)', () => {
  const position = fc.record({ line: fc.nat(6), character: fc.nat(6) });
  const edit = fc.record({ range: fc.record({ start: position, end: position }), newText: fc.constant('') });
  const fix = fc.record({ title: fc.constant('fix'), edits: fc.array(edit, { maxLength: 3 }), isPreferred: fc.boolean(), safeForFixAll: fc.option(fc.boolean(), { nil: undefined }) });
  const finding = fc.record({ code: fc.constant('x'), severity: fc.constant('warning' as const), message: fc.constant(''), range: fc.constant({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), fixes: fc.array(fix, { maxLength: 2 }) });
  fc.assert(
    fc.property(fc.array(finding, { maxLength: 25 }), fc.boolean(), (findings, onlySafe) => {
      assert.deepEqual(combineFixes(findings, onlySafe), combineFixesOneByOne(findings, onlySafe));
    }),
    { numRuns: 2000 },
  );
});

test('"Fix all" on thousands of duplicate keys: one removal per duplicate, none colliding', () => {
  const n = 3000;
  const text = `[program:w]\ncommand=ls\n${Array.from({ length: n }, (_, i) => `user=u${i}`).join('\n')}\n`;
  const analysis = analyzeText(text);
  const actions = codeActions(analysis, analysis.findings[n - 2].range);
  const all = actions.find((a) => a.title.startsWith('Fix all duplicate-key'))!;
  // Each of the 2,999 duplicates' fix removes the line before it; consecutive removals touch, so every other one is taken.
  assert.equal(all.title, 'Fix all duplicate-key in this file (1500)');
  assert.equal(all.findings.length, combineFixesOneByOne(analysis.findings.filter((f) => f.code === 'duplicate-key'), false).findings.length);
});

test('refactor over a whole file of thousands of workers and -p options: only unwatched workers get a memmon -p', () => {
  const n = 10_000;
  let text = '[supervisord]\n\n[group:app]\nprograms=w1\n\n';
  for (let i = 0; i < n; i++) text += `[program:w${i}]\ncommand=celery -A p worker -l info\n\n`;
  // Even workers by -p (w0 as `app:w0`, a group it is not in), w1 as `app:w1`; odd ones are unwatched.
  text += '[eventlistener:m]\ncommand=memmon\n' + Array.from({ length: n / 2 }, (_, k) => `  -p ${k === 0 ? 'app:w0' : `w${2 * k}`}=1GB`).join('\n') + '\n  -p app:w1=1GB\nevents=TICK_60\n';
  const analysis = analyzeText(text);
  const actions = codeActions(analysis, { start: { line: 0, character: 0 }, end: { line: analysis.doc.lineCount, character: 0 } }, ['refactor']);
  assert.equal(actions.length, n);
  const added = actions.map((a) => a.edits.find((e) => e.newText.startsWith(' -p '))?.newText);
  const watched = (i: number) => i === 1 || (i % 2 === 0 && i !== 0);
  added.forEach((p, i) => assert.equal(p, watched(i) ? undefined : ` -p w${i}=512MB`, `w${i}`));
});
