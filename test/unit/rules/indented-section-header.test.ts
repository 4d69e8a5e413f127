import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, runOracle } from '../../support/oracle';

const CODE = 'indented-section-header';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Texts with the section supervisor should (or should not) find in them, checked against supervisor at the end. */
const readings: { text: string; section: string; exists: boolean }[] = [];
function expectSection(text: string, section: string, exists: boolean): void {
  readings.push({ text, section, exists });
}
after(() => {
  if (oracleUnavailable() || !readings.length) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indented-header-'));
  try {
    const files = readings.map((r, i) => {
      const file = path.join(dir, `${i}.conf`);
      fs.writeFileSync(file, r.text);
      return { file, ...r };
    });
    const results = runOracle(files.map((f) => f.file));
    for (const f of files) {
      const r = results.get(f.file)!;
      assert.equal(r.parse, 'ok', JSON.stringify(f.text));
      assert.equal(Object.hasOwn(r.sections ?? {}, f.section), f.exists, `supervisor ${f.exists ? 'misses' : 'finds'} [${f.section}] in ${JSON.stringify(f.text)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const BRIEF = '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker -l info\n';

test('catches a header indented under a key=value line', () => {
  const [f, ...more] = findings(BRIEF, CODE);
  assert.deepEqual(more, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(BRIEF, f), '[program:worker]');
  assert.match(f.message, /part of command's value in \[program:web\]/);
  assert.match(f.message, /there is no \[program:worker\] section/);
  assert.match(f.message, /lines after it up to the next section header that is not indented belong to \[program:web\] too/);
  assert.deepEqual(f.related?.map((r) => textAt(BRIEF, { ...f, range: r.range })), ['command']);
  expectSection(BRIEF, 'program:worker', false);
});

test('catches it after blank and comment lines, with an inline comment, and under any key', () => {
  // configparser keeps blank lines inside a value and skips comment lines: neither ends it.
  const cases = [
    '[program:web]\ncommand=gunicorn app\n\n  [program:worker]\n  command=celery -A proj worker\n',
    '[program:web]\ncommand=gunicorn app\n; the worker\n  [program:worker]\n  command=celery -A proj worker\n',
    '[program:web]\ncommand=gunicorn app\n  [program:worker]  ; the worker\n  command=celery -A proj worker\n',
    '[program:web]\ncommand=gunicorn app\nautostart=true\n\t[program:worker]\n\tcommand=celery -A proj worker\n',
    '[program:web]\n  command=gunicorn app\n    [program:worker]\n    command=celery -A proj worker\n',
  ];
  for (const text of cases) {
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['[program:worker]'], JSON.stringify(text));
    expectSection(text, 'program:worker', false);
  }
  const two = '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  [group:all]\n  programs=web,worker\n';
  assert.deepEqual(findings(two, CODE).map((f) => textAt(two, f)), ['[program:worker]', '[group:all]']);
  expectSection(two, 'group:all', false);
});

test('does not catch headers supervisor reads as headers', () => {
  const cases = [
    // Indented at the start of the file, or right under a header: no value to continue.
    '  [program:worker]\n  command=celery -A proj worker\n',
    '[program:web]\n  [program:worker]\n  command=celery -A proj worker\n',
    '[program:web]\n\n  [program:worker]\n  command=celery -A proj worker\n',
    // At the indentation of the key above: not deeper, so not a continuation.
    '[program:web]\n  command=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n',
  ];
  for (const text of cases) {
    assert.deepEqual(findings(text, CODE), [], JSON.stringify(text));
    expectSection(text, 'program:worker', true);
  }
});

test('does not catch continuation lines that merely hold brackets', () => {
  const cases = [
    '[program:w]\ncommand=celery -A proj worker\n  -Q [default]\n',
    '[program:w]\ncommand=bash -c "\n  [ -f /tmp/ready ]\n  && exec celery -A proj worker"\n',
    '[program:w]\ncommand=python -c "print(\n  [\'a\'])"\n',
    '[program:w]\ncommand=ls\nenvironment=\n  QUEUES="[a]",\n  B="1"\n',
    '[program:w]\ncommand=[x]\n',
    '[program:w]\ncommand=ls\n  [[x]]\n',
    '[program:w]\ncommand=ls\n  []\n',
  ];
  for (const text of cases) assert.deepEqual(findings(text, CODE), [], JSON.stringify(text));
});

test('the fix un-indents the header and the key lines under it; deeper lines stay continuation lines', () => {
  assert.equal(applyFix(BRIEF, CODE, undefined, undefined, checker), '[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery -A proj worker -l info\n');
  const text = [
    '[program:web]',
    'command=gunicorn app',
    '    --workers 4',
    '  [program:worker]',
    '  command=celery -A proj worker',
    '    --concurrency=4',
    '  -l info',
    '  environment=A="1",',
    '    B="2"',
    '  autostart=true',
    '',
  ].join('\n');
  const fixed = applyFix(text, CODE, undefined, undefined, checker);
  assert.equal(
    fixed,
    [
      '[program:web]',
      'command=gunicorn app',
      '    --workers 4',
      '[program:worker]',
      'command=celery -A proj worker',
      '    --concurrency=4',
      '  -l info',
      'environment=A="1",',
      '    B="2"',
      'autostart=true',
      '',
    ].join('\n'),
  );
  assert.equal(findings(text, CODE)[0].fixes[0].title, 'Remove the indentation of [program:worker] and of the key lines under it');
  expectSection(fixed, 'program:worker', true);
});

test('the fix is preferred but left out of Fix all: it makes supervisor run a section it does not run today', () => {
  const [fix] = findings(BRIEF, CODE)[0].fixes;
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.safeForFixAll, false);
});

test('the fix keeps CRLF, comments and other spacing, and moves back to the key\'s own indentation', () => {
  const crlf = '; web and worker\r\n[program:web]\r\ncommand = gunicorn app   ; web\r\n\r\n  ; the worker\r\n  [program:worker]  ; worker\r\n  command = celery -A proj worker -l info\r\n  autostart = true\r\n';
  assert.equal(
    applyFix(crlf, CODE, undefined, undefined, checker),
    '; web and worker\r\n[program:web]\r\ncommand = gunicorn app   ; web\r\n\r\n  ; the worker\r\n[program:worker]  ; worker\r\ncommand = celery -A proj worker -l info\r\nautostart = true\r\n',
  );
  const indented = '[program:web]\n  command=gunicorn app\n      [program:worker]\n      command=celery -A proj worker\n';
  assert.equal(applyFix(indented, CODE, undefined, undefined, checker), '[program:web]\n  command=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n');
});

test('a header on the last line of a value: the fix moves the keys after it into its section', () => {
  const text = '[program:web]\ncommand=gunicorn app\n  [program:worker]\ncommand=celery -A proj worker -l info\nautostart=true\n';
  const [f] = findings(text, CODE);
  assert.equal(f.fixes[0].title, 'Remove the indentation of [program:worker]');
  const fixed = applyFix(text, CODE, undefined, undefined, checker);
  assert.equal(fixed, '[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery -A proj worker -l info\nautostart=true\n');
  expectSection(fixed, 'program:worker', true);
});

test('two headers in one value: each fix ends the block at the next header, which supervisor then reads as one', () => {
  const text = '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  autostart=true\n  [program:beat]\n  command=celery -A proj beat\n';
  const [worker, beat] = findings(text, CODE);
  assert.equal(worker.fixes[0].title, 'Remove the indentation of [program:worker] and of the key lines under it, and of the [program:beat] line after them');
  assert.equal(beat.fixes[0].title, 'Remove the indentation of [program:beat] and of the key lines under it');
  // Left indented, [program:beat] would make autostart's value "true\n[program:beat]\ncommand=...".
  const fixed = applyFix(text, CODE, undefined, undefined, checker);
  assert.equal(fixed, '[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery -A proj worker\nautostart=true\n[program:beat]\n  command=celery -A proj beat\n');
  assert.deepEqual(findings(fixed, CODE), []);
  expectSection(fixed, 'program:beat', true);
  // From the bottom up, each fix on its own.
  const beatFirst = checker.checkFix(text, beat, beat.fixes[0]);
  assert.equal(beatFirst, '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  autostart=true\n[program:beat]\ncommand=celery -A proj beat\n');
  assert.equal(applyFix(beatFirst, CODE, undefined, undefined, checker), '[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery -A proj worker\nautostart=true\n[program:beat]\ncommand=celery -A proj beat\n');
});

test('a section with hundreds of indented headers: only the first 16 fixes are worked out, each reading the section again', () => {
  const blocks = Array.from({ length: 300 }, (_, i) => `  [program:w${i}]\n  command=celery -A proj worker -n w${i}@%h\n  autostart=true\n`);
  const text = `[program:web]\ncommand=gunicorn app\n${blocks.join('')}`;
  const fs = findings(text, CODE);
  assert.equal(fs.length, 300);
  assert.deepEqual(fs.map((f) => f.fixes.length), [...Array(16).fill(1), ...Array(284).fill(0)]);
  assert.deepEqual(fs[0].fixes[0].edits.map((e) => e.range.start.line), [2, 3, 4, 5]);
  // The first one frees them all: the headers after it are no deeper than the key lines above them.
  assert.deepEqual(findings(applyFix(text, CODE), CODE), []);
});

test('no fix when supervisor would refuse what it then reads', () => {
  const cases = [
    // A header followed by no key line: an option line without '=' after a header.
    '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  celery -A proj worker\n',
    // A program without a command.
    '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  autostart=true\n',
    '[program:web]\ncommand=gunicorn app\n  [program:worker]\n',
    // Values that were harmless inside command's value: two processes under one name, a bad boolean.
    '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  numprocs=2\n',
    '[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  autostart=maybe\n',
    // The keys after the header were what made [program:web] whole.
    '[program:web]\nuser=www-data\n  [program:worker]\ncommand=gunicorn app\n',
  ];
  for (const text of cases) {
    const fs = findings(text, CODE);
    assert.equal(fs.length, 1, JSON.stringify(text));
    assert.deepEqual(fs[0].fixes, [], JSON.stringify(text));
  }
  // The same sections, whole: the fix is back.
  assert.equal(findings('[program:web]\ncommand=gunicorn app\n  [program:worker]\n  command=celery -A proj worker\n  numprocs=2\n  process_name=%(program_name)s_%(process_num)02d\n', CODE)[0].fixes.length, 1);
  assert.equal(findings('[program:web]\ncommand=gunicorn app\n  [supervisorctl]\n', CODE)[0].fixes.length, 1);
});

test('duplicate-key is not reported when a swallowed header explains it, nor offers to delete the header', () => {
  const text = '[program:web]\ncommand=gunicorn app\n  [program:worker]\ncommand=celery -A proj worker -l info\n';
  // It used to say "command is already set on line 2" and offer to delete lines 2 and 3, the header with them.
  assert.deepEqual(findings(text, 'duplicate-key'), []);
  assert.equal(findings(text, CODE).length, 1);
  // With this rule off, the duplicate is reported as supervisor reads it, without the fix that deletes the header.
  const off = settingsWith({ rules: { [CODE]: 'off' } });
  const [dup] = findings(text, 'duplicate-key', off);
  assert.equal(dup.range.start.line, 3);
  assert.deepEqual(dup.fixes, []);
  // A duplicate on the same side of the header is still a duplicate, with its fix.
  const before = '[program:web]\ncommand=gunicorn app\ncommand=gunicorn app:main\n  [program:worker]\n  command=celery -A proj worker\n';
  const [f] = findings(before, 'duplicate-key');
  assert.equal(f.range.start.line, 2);
  assert.deepEqual(f.fixes[0].edits.map((e) => [e.range.start.line, e.range.end.line]), [[1, 2]]);
});

test('no other rule offers a fix that edits the swallowed lines or the keys after them', () => {
  // memmon-tick-missing would rewrite events= with its continuation lines on one line, header and all.
  const memmon = '[eventlistener:memmon]\ncommand=memmon -p worker=200MB\nevents=PROCESS_STATE\n  [program:beat]\n  command=celery -A proj beat\n';
  assert.equal(findings(memmon, 'memmon-tick-missing').length, 1);
  assert.deepEqual(findings(memmon, 'memmon-tick-missing')[0].fixes, []);
  assert.equal(findings(memmon.replace('  [program:beat]\n  command=celery -A proj beat\n', ''), 'memmon-tick-missing')[0].fixes.length, 1);
  // A key added to [program:worker] would land after beat's command, in [program:beat] once it is fixed.
  const worker = '[program:worker]\ncommand=celery -A proj worker -l info\n  [program:beat]\n  command=celery -A proj beat\n';
  assert.deepEqual(findings(worker, 'celery-autorestart-not-true')[0].fixes, []);
  // A fix before the header still stands: it changes what stays worker's.
  const limit = findings(worker, 'celery-memory-limit-missing')[0].fixes.find((x) => x.isPreferred)!;
  assert.deepEqual(limit.edits.map((e) => e.range.start.line), [1]);
  // The findings themselves stay as they were: tags, related places, settings that resolve them.
  const misplaced = '[program:web]\ncommand=gunicorn app\n  [supervisord]\nloglevel=debug\n';
  assert.equal(findings(misplaced, 'misplaced-key')[0].tag, 'unnecessary');
  const custom = '[program:worker]\ncommand=celery -A proj worker -P custom -l info\n  [program:beat]\n  command=celery -A proj beat\n';
  assert.equal(findings(custom, 'celery-invalid-option-value')[0].setting?.value, '5.3');
});

test('the fixes are safe', () => {
  const texts = [
    BRIEF,
    '[program:web]\r\ncommand=gunicorn app\r\n\r\n  [program:worker]\r\n  command=celery -A proj worker\r\n\r\n  stopwaitsecs=600\r\n[supervisord]\r\n',
    '[supervisord]\nlogfile=/tmp/s.log\n  [program:worker]\n  command=celery -A proj worker\n[program:web]\ncommand=gunicorn app\n',
  ];
  for (const text of texts) assert.equal(checker.checkAll(text, undefined, [CODE]), findings(text, CODE).length, JSON.stringify(text));
});
