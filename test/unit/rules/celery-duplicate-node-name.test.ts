import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-duplicate-node-name';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const many = (command: string, n = 3) => `[program:worker]\ncommand=${command}\nnumprocs=${n}\nprocess_name=%(program_name)s_%(process_num)02d\n`;
const two = (a: string, b: string) => `[program:default]\ncommand=${a}\n\n[program:reports]\ncommand=${b}\n`;

test('catches numprocs > 1 without -n, anchored on the worker token', () => {
  const text = many('/venv/bin/celery -A myauth worker -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'worker');
  assert.match(f.message, /celery@<host>/);
  assert.match(f.message, /%\(program_name\)s_%\(process_num\)02d@%%h/);
});

test('catches numprocs > 1 with an -n that does not contain %(process_num)', () => {
  for (const n of ['-n worker@%%h', '--hostname=worker@%%h', '-n %(program_name)s@%%h', '-nworker', '-n "w@%%h"']) {
    const text = many(`celery -A proj worker ${n}`);
    const [f] = findings(text, CODE);
    assert.ok(f, n);
    assert.match(textAt(text, f), /^(-n|--hostname)/, n);
  }
});

test('catches two worker programs of one project with the same node name', () => {
  const text = two('celery -A proj worker -Q default', 'celery -A proj worker -Q reports');
  const [f] = findings(text, CODE);
  assert.equal(f.range.start.line, 4, 'reported on the second one');
  assert.match(f.message, /'default' and 'reports'/);
  assert.equal(findings(two('celery -A proj worker -n w1@%%h', 'celery -A proj worker -n w1@%%h'), CODE).length, 1);
  assert.equal(findings(two('celery -A proj worker -n w1', 'celery -A proj worker -n celery@w1'), CODE).length, 1, "a name without '@' is the host part: celery@w1");
  assert.equal(findings(two('celery -A proj worker -n w1', 'celery -A proj worker -n w1@%%h'), CODE).length, 0, 'celery@w1 and w1@<host> are two nodes');
  assert.equal(
    findings(two('celery -A proj worker -n %(program_name)s_%(process_num)02d@%%h', 'celery -A proj worker -n default_0@%%h').replace('[program:default]', '[program:default]\nnumprocs=1\nprocess_name=%(program_name)s_%(process_num)d'), CODE).length,
    0,
    'default_00 and default_0 differ',
  );
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -l info ; logs\nnumprocs=2\nprocess_name=w_%(process_num)d\n', CODE).length, 1);
  assert.equal(findings(many(`bash -c "exec celery -A proj worker"`), CODE).length, 1);
});

test('does not catch unique names, single programs, different projects, beat or flower', () => {
  assert.deepEqual(findings(many('celery -A proj worker -n %(program_name)s_%(process_num)02d'), CODE), [], "AA's template");
  assert.deepEqual(findings(many('celery -A proj worker -n w%(process_num)d@%%h'), CODE), []);
  assert.deepEqual(findings('[program:worker]\ncommand=celery -A proj worker\n', CODE), []);
  assert.deepEqual(findings(two('celery -A proj worker -n a@%%h', 'celery -A proj worker -n b@%%h'), CODE), []);
  assert.deepEqual(findings(two('celery -A proj worker', 'celery -A proj worker -n reports@%%h'), CODE), []);
  assert.deepEqual(findings(two('celery -A shop worker', 'celery -A blog worker'), CODE), [], 'two projects');
  assert.deepEqual(findings(two('/srv/a/venv/bin/celery -A proj worker', '/srv/b/venv/bin/celery -A proj worker'), CODE), [], 'two venvs');
  assert.deepEqual(findings(two('celery -A proj worker', 'celery -A proj beat'), CODE), [], 'beat is not a worker');
  assert.deepEqual(findings(two('celery -A proj worker', 'celery -A proj flower'), CODE), []);
  assert.deepEqual(findings(many('celery -A proj beat'), CODE), [], 'beat with numprocs is celery-beat-duplicate');
  assert.deepEqual(findings(many('celery -A proj worker -n %(ENV_NODE)s'), CODE), [], 'name from the environment');
  assert.deepEqual(findings(many('celery -A proj worker ; -n x'), CODE, undefined).length, 1, 'the comment is not an -n');
});

test('the fix adds the per-process name in the command\'s style', () => {
  assert.equal(applyFix(many('celery -A proj worker -l info'), CODE), many('celery -A proj worker -n %(program_name)s_%(process_num)02d@%%h -l info'));
  assert.equal(applyFix(many('celery --app=proj worker --loglevel=info'), CODE), many('celery --app=proj worker --hostname=%(program_name)s_%(process_num)02d@%%h --loglevel=info'));
});

test('the fix puts %(process_num) into an existing name (preferred) or replaces it', () => {
  assert.equal(applyFix(many('celery -A proj worker -n worker@%%h'), CODE), many('celery -A proj worker -n worker_%(process_num)02d@%%h'));
  assert.equal(applyFix(many('celery -A proj worker -n "worker"'), CODE), many('celery -A proj worker -n "worker_%(process_num)02d"'));
  assert.equal(applyFix(many('celery -A proj worker -n worker@%%h'), CODE, /^Use/), many('celery -A proj worker -n %(program_name)s_%(process_num)02d@%%h'));
  assert.equal(applyFix(two('celery -A proj worker', 'celery -A proj worker -l info'), CODE), two('celery -A proj worker', 'celery -A proj worker -n %(program_name)s@%%h -l info'));
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -n worker@%%h ; name\r\n    -l info\r\nnumprocs=2\r\nprocess_name=%(program_name)s_%(process_num)02d\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 2);
  assert.equal(checker.checkAll(many('celery -A proj worker -l info'), undefined, [CODE]), 1);
  assert.equal(checker.checkAll(two('celery -A proj worker', 'celery -A proj worker -n celery@%%h'), undefined, [CODE]), 1);
  assert.equal(checker.checkAll(two('celery -A proj worker\r\n', 'celery -A proj worker').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'), undefined, [CODE]), 1);
});

test('a worker without -n passing arguments the file does not show is information, naming them', () => {
  const [numprocs] = findings(many('/venv/bin/celery -A proj worker %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(numprocs?.severity, 'information');
  assert.match(numprocs.message, /Unless %\(ENV_CELERY_OPTS\)s adds -n\/--hostname: what it expands to is not in this file\.$/);
  // Either of two clashing workers may take its name from them.
  for (const [a, b] of [
    ['/venv/bin/celery -A proj worker $X', 'bash -c "exec /venv/bin/celery -A proj worker $OPTS"'],
    ['bash -c "exec /venv/bin/celery -A proj worker $OPTS"', '/venv/bin/celery -A proj worker'],
  ]) {
    const [f] = findings(two(a, b), CODE);
    assert.equal(f?.severity, 'information', `${a} / ${b}`);
    assert.match(f.message, /Unless \$OPTS adds -n\/--hostname/);
  }
  // An -n written in the file is what the finding is about: no caveat.
  const [written] = findings(many('/venv/bin/celery -A proj worker -n w@%%h %(ENV_CELERY_OPTS)s'), CODE);
  assert.equal(written?.severity, 'warning');
});

test('does not catch workers named by CELERY_WORKER_HOSTNAME, which click reads where -n is not given (found by a command-line hunt)', () => {
  const named = '[program:e]\ncommand=celery -A proj worker\nenvironment=CELERY_WORKER_HOSTNAME="e@%%h"\n\n[program:f]\ncommand=celery -A proj worker\nenvironment=CELERY_WORKER_HOSTNAME="f@%%h"\n';
  assert.deepEqual(findings(named, CODE), []);
  assert.equal(findings(two('celery -A proj worker', 'celery -A proj worker'), CODE).length, 1, 'without it both are celery@<host>');
});

test('does not catch a worker whose -n a line-end backslash cut off (celery-stray-argument reports it)', () => {
  const text = many('celery -A proj worker \\\n    -n %(program_name)s_%(process_num)02d@%%h');
  assert.deepEqual(findings(text, CODE), []);
  assert.equal(findings(text, 'celery-stray-argument').length, 1);
});

test('reads the name CELERY_WORKER_HOSTNAME gives as an -n value: a constant one shared by two workers, or by numprocs copies, clashes (found by a command-line hunt)', () => {
  const shared = `[supervisord]\nenvironment=CELERY_WORKER_HOSTNAME="shared@host"\n\n${two('celery -A proj worker', 'celery -A proj worker')}`;
  const [clash, ...rest] = findings(shared, CODE);
  assert.ok(clash);
  assert.deepEqual(rest, []);
  assert.match(clash.message, /both named shared@host: 'reports' has no -n\/--hostname and takes its name from CELERY_WORKER_HOSTNAME/);
  assert.equal(applyFix(shared, CODE), shared.replace('[program:reports]\ncommand=celery -A proj worker', '[program:reports]\ncommand=celery -A proj worker -n %(program_name)s@%%h'));

  const copies = many('celery -A proj worker', 2) + 'environment=CELERY_WORKER_HOSTNAME="w6@%%h"\n';
  const [f] = findings(copies, CODE);
  assert.ok(f);
  assert.match(f.message, /with the same node name w6@<host>, from CELERY_WORKER_HOSTNAME/);
  assert.equal(findings(many('env CELERY_WORKER_HOSTNAME=w@%%h celery -A proj worker', 2), CODE).length, 1, 'set in the command');

  // Names that differ, or that the file does not show, are left alone.
  assert.deepEqual(findings(many('celery -A proj worker', 2) + 'environment=CELERY_WORKER_HOSTNAME="w_%(process_num)s@%%h"\n', CODE), []);
  assert.deepEqual(findings(many('celery -A proj worker', 2) + 'environment=CELERY_WORKER_HOSTNAME="%(ENV_NODE)s"\n', CODE), []);
  assert.deepEqual(findings(many("bash -c 'CELERY_WORKER_HOSTNAME=$NODE exec celery -A proj worker'", 2), CODE), []);
  // -n wins over the variable: the names are the -n ones.
  assert.deepEqual(findings(`[supervisord]\nenvironment=CELERY_WORKER_HOSTNAME="shared@host"\n\n${two('celery -A proj worker -n a@%%h', 'celery -A proj worker -n b@%%h')}`, CODE), []);
});
