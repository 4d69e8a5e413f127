import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-workdir-missing';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string, extra = '') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a relative -A module without directory=, anchored on -A', () => {
  const text = conf('/home/allianceserver/venv/auth/bin/celery -A myauth worker -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '-A myauth');
  assert.match(f.message, /directory=\/path\/to\/project/);
  assert.match(f.message, /The module myauth was not found/);
  assert.deepEqual(f.fixes, [], "the directory is the user's to choose");
});

test('catches every spelling, beat, python -m and continuation lines', () => {
  for (const a of ['-A proj', '-Aproj', '--app=proj.celery:app', '--app proj.celery']) {
    assert.equal(findings(conf(`celery ${a} worker`), CODE).length, 1, a);
  }
  assert.equal(findings(conf('celery -A proj beat'), CODE).length, 1);
  assert.equal(findings(conf('python -m celery -A proj worker'), CODE).length, 1);
  assert.equal(findings('[program:w]\ncommand=celery\n    -A proj ; app\n    worker\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "source /srv/venv/bin/activate && exec celery -A proj worker"`), CODE).length, 1);
});

test('catches a working-directory key that supervisor does not know, and offers the rename', () => {
  const text = conf('celery -A proj worker', 'chdir=/srv/proj\n');
  const [f] = findings(text, CODE);
  assert.match(f.message, /no 'chdir' key/);
  assert.equal(applyFix(text, CODE), conf('celery -A proj worker', 'directory=/srv/proj\n'));
});

test('does not catch when something sets the directory or the import path', () => {
  assert.deepEqual(findings(conf('celery -A proj worker', 'directory=/srv/proj\n'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker', 'Directory = %(here)s\n'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj --workdir /srv/proj worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker', 'environment=PYTHONPATH="/srv/proj",A="b"\n'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker', 'environment=DJANGO_SETTINGS_MODULE="x", CELERY_WORKDIR="/srv"\n'), CODE), []);
  assert.deepEqual(findings(conf(`bash -c "cd /srv/proj && exec celery -A proj worker"`), CODE), []);
  assert.deepEqual(findings('[supervisord]\nnodaemon=true\n\n' + conf('celery -A proj worker'), CODE), [], 'container launcher');
  assert.deepEqual(findings('[supervisord]\ndirectory=/srv/proj\n\n' + conf('celery -A proj worker'), CODE), []);
  assert.deepEqual(findings('[supervisord]\nenvironment=PYTHONPATH="/srv/proj"\n\n' + conf('celery -A proj worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker', 'stdout_logfile=/dev/fd/1\nstdout_logfile_maxbytes=0\n'), CODE), [], 'logs to the container console');
  assert.deepEqual(findings(conf('celery worker -A pyramid_celery.celery_app --ini prod.ini'), CODE), [], 'an installed package');
});

test('does not catch without a relative module, or for flower and other programs', () => {
  assert.deepEqual(findings(conf('celery worker'), CODE), [], 'no -A');
  assert.deepEqual(findings(conf('celery -A %(ENV_APP)s worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A /srv/proj/tasks.py worker'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj flower'), CODE), [], 'flower is not a worker or beat');
  assert.deepEqual(findings(conf('celery -A proj inspect ping'), CODE), []);
  assert.deepEqual(findings(conf('/venv/bin/gunicorn proj.wsgi'), CODE), []);
  assert.deepEqual(findings(conf('celery worker ; -A proj'), CODE), [], 'in a comment');
});

test('the rename fix is safe: CRLF and comments', () => {
  const text = '; worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -l info\r\ncwd = /tmp ; the project\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 1);
  assert.equal(applyFix(text, CODE), text.replace('cwd = /tmp', 'directory = /tmp'));
});
