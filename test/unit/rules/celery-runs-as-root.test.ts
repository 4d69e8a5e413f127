import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment } from '../../../server/src/core/analyze';

const CODE = 'celery-runs-as-root';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const MAIN = '[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n\n';
const worker = (extra = '', command = '/home/allianceserver/venv/auth/bin/celery -A myauth worker -l info') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a worker without user= in a main file whose [supervisord] sets no user, on the header', () => {
  const text = MAIN + worker('directory=/home/allianceserver/myauth\n');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[program:worker]');
  assert.match(f.message, /runs as root: it has no user=.*\[supervisord\] sets no user=/);
  assert.match(f.message, /superuser privileges/);
});

test('catches user=root and user=0, on the value, whatever supervisord runs as', () => {
  for (const user of ['root', '0', ' root ']) {
    const text = `[supervisord]\nuser=supervisor\n\n${worker(`user=${user}\n`)}`;
    const [f] = findings(text, CODE);
    assert.ok(f, user);
    assert.equal(textAt(text, f), user.trim(), user);
  }
  assert.equal(findings(`[supervisord]\nuser=root\n\n${worker()}`, CODE).length, 1, '[supervisord] user=root');
});

test('catches a worker in a fragment checked alone, saying the main config is not known', () => {
  const [f] = findings(worker(), CODE);
  assert.match(f.message, /the main config is not known here/);
});

test('does not catch a worker with a user, or one under a supervisord that drops to a user', () => {
  assert.deepEqual(findings(MAIN + worker('user=allianceserver\n'), CODE), []);
  assert.deepEqual(findings(`[supervisord]\nuser=celery\n\n${worker()}`, CODE), []);
  assert.deepEqual(findings(MAIN + worker('user=%(ENV_USER)s\n'), CODE), [], 'a user only the server knows');
  assert.deepEqual(findings(`[supervisord]\nuser=%(ENV_RUN_AS)s\n\n${worker()}`, CODE), [], 'a supervisord user only the server knows');
});

test('does not catch a worker started through sudo, gosu, setuidgid, su or with --uid, nor beat, flower or other programs', () => {
  for (const command of ['sudo -u app celery -A p worker', 'setuidgid app celery -A p worker', 'gosu app celery -A p worker', 'sh -c "exec su-exec app celery -A p worker"', 'su app -c "celery -A p worker"']) {
    assert.deepEqual(findings(MAIN + worker('', command), CODE), [], command);
  }
  assert.deepEqual(findings(MAIN + worker('', 'celery -A p worker --uid app --gid app'), CODE), [], '--uid: Celery drops privileges itself');
  assert.equal(findings(MAIN + worker('', 'celery -A p worker --uid=root'), CODE).length, 1, '--uid root');
  for (const command of ['celery -A p beat', 'celery -A p flower', 'gunicorn app.wsgi']) assert.deepEqual(findings(MAIN + worker('', command), CODE), [], command);
});

test('the fix sets user= to the account the other programs use, else the /home owner; none without a clue', () => {
  const web = '[program:web]\ncommand=gunicorn app.wsgi\nuser=www\n\n';
  assert.equal(applyFix(MAIN + web + worker(), CODE, undefined, undefined, checker), MAIN + web + worker('user=www\n'));
  assert.equal(applyFix(MAIN + worker('autostart=true\n'), CODE, undefined, undefined, checker), MAIN + worker('autostart=true\nuser=allianceserver\n'));
  assert.equal(applyFix(MAIN + worker('user=root ; was\n'), CODE, undefined, undefined, checker), MAIN + worker('user=allianceserver ; was\n'));
  const [f] = findings(MAIN + worker('', 'celery -A p worker'), CODE);
  assert.deepEqual(f.fixes, []);
  const [guess] = findings(MAIN + worker(), CODE);
  assert.equal(guess.fixes[0].safeForFixAll, false, 'the account is a guess: not applied by Fix all or --fix');
});

test('a fragment reads [supervisord] user= from the main file of its deployment', () => {
  const files = [
    { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\nuser=celery\n\n[include]\nfiles=conf.d/*.conf\n' },
    { path: '/etc/supervisor/conf.d/worker.conf', text: worker() },
  ];
  const analyses = analyzeDeployment(files);
  assert.deepEqual(analyses.flatMap((a) => a.findings.filter((f) => f.code === CODE)), []);
  files[0].text = '[supervisord]\nlogfile=/tmp/s.log\n\n[include]\nfiles=conf.d/*.conf\n';
  const [f] = analyzeDeployment(files)[1].findings.filter((x) => x.code === CODE);
  assert.match(f.message, /\[supervisord\] sets no user=/);
});

test('[supervisord] repeated across files: the user= supervisor reads last wins, as it merges the sections', () => {
  const files = [
    { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\nuser=root\n\n[include]\nfiles=conf.d/*.conf\n' },
    { path: '/etc/supervisor/conf.d/00-daemon.conf', text: '[supervisord]\nuser=celery\n' },
    { path: '/etc/supervisor/conf.d/worker.conf', text: worker() },
  ];
  assert.deepEqual(analyzeDeployment(files)[2].findings.filter((f) => f.code === CODE), [], 'conf.d/00-daemon.conf is read after the main file');
  [files[0].text, files[1].text] = ['[supervisord]\nuser=celery\n\n[include]\nfiles=conf.d/*.conf\n', '[supervisord]\nuser=root\n'];
  assert.equal(analyzeDeployment(files)[2].findings.filter((f) => f.code === CODE).length, 1);
});

test('with C_FORCE_ROOT in environment= the message says the worker starts anyway (Celery only refuses pickle without it)', () => {
  const [plain] = findings(MAIN + worker('user=root\n'), CODE);
  assert.match(plain.message, /refuses to start if it accepts pickle messages/);
  for (const text of [MAIN + worker('user=root\nenvironment=C_FORCE_ROOT="yes"\n'), '[supervisord]\nenvironment=C_FORCE_ROOT="1"\n\n' + worker('user=root\n')]) {
    const [forced] = findings(text, CODE);
    assert.match(forced.message, /with C_FORCE_ROOT set, starts even when it accepts pickle messages; every task runs with root's rights/);
  }
});
