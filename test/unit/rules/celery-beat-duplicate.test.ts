import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-beat-duplicate';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const program = (name: string, command: string, extra = '') => `[program:${name}]\ncommand=${command}\n${extra}`;
const numprocs = (n: number) => `numprocs=${n}\nprocess_name=%(program_name)s_%(process_num)02d\n`;

test('catches a beat program with numprocs > 1, anchored on numprocs', () => {
  const text = program('beat', 'celery -A proj beat', numprocs(2));
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '2');
  assert.match(f.message, /sent 2 times/);
});

test('catches a worker with -B and numprocs > 1', () => {
  const text = program('worker', 'celery -A proj worker -B -n w%(process_num)d@%%h', numprocs(3));
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '-B');
  assert.match(f.message, /numprocs=3/);
  assert.deepEqual(f.fixes, [], 'no separate beat to fall back on');
});

test('catches a worker with -B next to a beat program of the same app', () => {
  const text = program('worker', 'celery -A proj worker --beat -l info') + '\n' + program('beat', 'celery -A proj beat');
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), '--beat');
  assert.match(f.message, /'beat' runs celery beat/);
  assert.equal(findings(text, CODE).length, 1, 'one finding for the pair');
});

test('catches two beat programs, or two embedded beats, for the same app', () => {
  const beats = program('beat', 'celery -A proj beat') + '\n' + program('beat2', 'celery -A proj.celery:app beat -l info');
  const [f] = findings(beats, CODE);
  assert.equal(f.range.start.line, 4, 'on the second one');
  assert.match(f.message, /'beat' and 'beat2'/);
  const embedded = program('a', 'celery -A proj worker -B -n a@%%h') + '\n' + program('b', 'celery -A proj worker -B -n b@%%h');
  assert.equal(findings(embedded, CODE).length, 1);
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings(program('w', 'celery -A proj worker\n    -B ; embedded beat', numprocs(2)), CODE).length, 1);
  assert.equal(findings(program('w', `bash -c "exec celery -A proj worker -B"`) + '\n' + program('beat', 'celery -A proj beat'), CODE).length, 1);
});

test('does not catch a single scheduler, different apps or projects, or programs that do not start', () => {
  assert.deepEqual(findings(program('beat', 'celery -A proj beat', 'numprocs=1\n') + '\n' + program('worker', 'celery -A proj worker', numprocs(4)), CODE), []);
  assert.deepEqual(findings(program('worker', 'celery -A proj worker -B'), CODE), []);
  assert.deepEqual(findings(program('a', 'celery -A shop beat') + '\n' + program('b', 'celery -A blog beat'), CODE), [], 'two apps');
  assert.deepEqual(findings(program('a', 'celery -A proj beat', 'directory=/srv/site1\n') + '\n' + program('b', 'celery -A proj beat', 'directory=/srv/site2\n'), CODE), [], 'two projects');
  assert.deepEqual(findings(program('a', 'celery -A proj worker -B') + '\n' + program('b', 'celery -A proj beat', 'autostart=false\n'), CODE), [], 'a standby beat');
  assert.deepEqual(findings(program('beat', 'celery -A proj beat', 'numprocs=0\n'), CODE), []);
  assert.deepEqual(findings(program('f', 'celery -A proj flower', numprocs(2)), CODE), []);
  assert.deepEqual(findings(program('w', 'celery -A proj worker ; -B', numprocs(2)), CODE), [], 'in a comment');
});

test('the fixes: remove -B when a beat program exists, numprocs=1 for a beat program', () => {
  const text = program('worker', 'celery -A proj worker -B -l info') + '\n' + program('beat', 'celery -A proj beat');
  assert.equal(applyFix(text, CODE), text.replace(' -B -l', ' -l'));
  assert.equal(applyFix(program('worker', 'celery -A proj worker -EB') + '\n' + program('beat', 'celery -A proj beat'), CODE), program('worker', 'celery -A proj worker -E') + '\n' + program('beat', 'celery -A proj beat'));
  const many = program('beat', 'celery -A proj beat', numprocs(2));
  assert.equal(applyFix(many, CODE), many.replace('numprocs=2', 'numprocs=1'));
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; scheduling\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -B ; embedded\r\n    -l info\r\n\r\n[program:beat]\r\ncommand=celery -A proj beat\r\nnumprocs = 2 ; oops\r\nprocess_name=%(program_name)s_%(process_num)02d\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 2);
});
