import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';
import { analyzeText } from '../../../server/src/core/analyze';

const CODE = 'celery-django-celery-command';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string) => applyCheckedFix(text, CODE, undefined, DEFAULT_SETTINGS, checker);
const conf = (command: string, extra = '') => `[program:worker]\ncommand=${command}\n${extra}`;

test("catches django-celery's manage.py celeryd, anchored on the command", () => {
  const text = conf('/srv/venv/bin/python /srv/mysite/manage.py celeryd -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(f.tag, 'deprecated');
  assert.equal(textAt(text, f), 'celeryd');
  assert.match(f.message, /django-celery/);
  assert.match(f.message, /Unknown command: 'celeryd'/);
  assert.match(f.message, /'worker' never starts/);
});

test('catches manage.py celery worker, celerybeat and celeryd_multi, run by python or as the script itself', () => {
  const [worker] = findings(conf('python manage.py celery worker --loglevel=INFO'), CODE);
  assert.match(worker.message, /'manage\.py celery worker'/);
  assert.match(worker.message, /Unknown command: 'celery'/);
  assert.equal(findings(conf('python3 -u /srv/app/manage.py celerybeat'), CODE).length, 1);
  assert.equal(findings(conf('/path/to/project/manage.py celeryd --loglevel=INFO'), CODE).length, 1);
  assert.equal(findings(conf('/venv/bin/python manage.py celeryd_multi start w1 w2'), CODE).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv/app && exec ../venv/bin/python manage.py celeryd -B"`), CODE).length, 1);
  assert.equal(findings(conf('env DJANGO_SETTINGS_MODULE=app.settings python manage.py celeryd'), CODE).length, 1);
});

test('does not catch celery itself, other management commands, or celery as an argument', () => {
  assert.deepEqual(findings(conf('/srv/venv/bin/celery -A mysite worker -l info'), CODE), []);
  assert.deepEqual(findings(conf('python manage.py runserver 0.0.0.0:8000'), CODE), []);
  assert.deepEqual(findings(conf('python manage.py rqworker celery'), CODE), []);
  assert.deepEqual(findings(conf('python manage.py'), CODE), []);
  assert.deepEqual(findings(conf('python run.py celeryd'), CODE), []);
  assert.deepEqual(findings(conf('python manage.py shell -c "celeryd"'), CODE), []);
  // A Flask-Script manage.py's own celery command (skylines), not djcelery's: runworker is no celery sub-command.
  assert.deepEqual(findings(conf('/venv/bin/python src/manage.py celery runworker'), CODE), []);
  assert.equal(findings(conf('/venv/bin/python manage.py celery events'), CODE).length, 1, "djcelery's celery events");
});

test('a manage.py worker is a Celery worker for the other rules, but its options are not checked against Celery 5', () => {
  const codes = analyzeText(conf('python /srv/mysite/manage.py celeryd --settings=mysite.settings.prod -l info')).findings.map((f) => f.code);
  assert.ok(codes.includes('celery-stopwaitsecs-short'), codes.join());
  // Celery 3.1, which django-celery needs, has no --max-memory-per-child: --fix added it (found on real configs).
  assert.ok(!codes.includes('celery-memory-limit-missing'), 'memory advice once it runs celery');
  assert.ok(!codes.includes('celery-unknown-option'), '--settings is a Django option');
  assert.ok(!codes.includes('celery-removed-option'), 'not the celeryd executable');
  assert.ok(!codes.includes('celery-4-syntax'));
});

test('the fix runs celery from the same virtualenv, with the project manage.py is in, the options kept', () => {
  assert.equal(
    applyFix(conf('/srv/venv/bin/python /srv/mysite/manage.py celeryd -l info --concurrency=4')),
    conf('/srv/venv/bin/celery -A mysite worker -l info --concurrency=4'),
  );
  assert.equal(applyFix(conf('python /home/u/scan_admin/manage.py celery worker --loglevel=INFO')), conf('celery -A scan_admin worker --loglevel=INFO'));
  assert.equal(applyFix(conf('/srv/site/manage.py celerybeat -l info')), conf('celery -A site beat -l info'));
  assert.equal(
    applyFix(conf('/srv/venv/bin/python manage.py celeryd', 'environment=DJANGO_SETTINGS_MODULE="shop.settings.prod"\n')),
    conf('/srv/venv/bin/celery -A shop worker', 'environment=DJANGO_SETTINGS_MODULE="shop.settings.prod"\n'),
    'the project DJANGO_SETTINGS_MODULE names',
  );
  assert.equal(applyFix(conf('python /srv/mysite/manage.py celery worker -A mysite.celery')), conf('celery worker -A mysite.celery'), '-A already given');
});

test('the fix is never applied unseen, and keeps CRLF, comments and continuation lines', () => {
  const text = '[program:w]\r\ncommand=/v/bin/python /srv/app/manage.py celeryd ; old\r\n    -l info\r\n';
  const [f] = findings(text, CODE);
  assert.equal(f.fixes[0].safeForFixAll, false, 'the project needs a Celery app module first');
  assert.match(f.fixes[0].title, /needs app\/celery\.py/);
  assert.equal(applyFix(text), '[program:w]\r\ncommand=/v/bin/celery -A app worker ; old\r\n    -l info\r\n');
});

test('offers no fix where it cannot know the command: Django options, no project, celeryd_multi, a quoted interpreter', () => {
  const noFix = (command: string, why: string) => assert.deepEqual(findings(conf(command), CODE)[0].fixes, [], why);
  noFix('python /srv/app/manage.py celeryd --settings=app.settings.staging', 'celery rejects --settings');
  noFix('python manage.py celeryd --pythonpath=. -l info', 'celery rejects --pythonpath');
  noFix('python manage.py celeryd -l info', 'no folder, no DJANGO_SETTINGS_MODULE: no project name');
  noFix('python /srv/app/manage.py celeryd_multi start w1', 'celery multi is celery-daemonizes');
  noFix('"/srv/my venv/bin/python" /srv/app/manage.py celeryd', 'quoted');
  assert.match(findings(conf('python manage.py celeryd --settings=a.b'), CODE)[0].message, /DJANGO_SETTINGS_MODULE/);
});

test('a comment line inside the continued command stays', () => {
  const text = conf('python /srv/app/manage.py\n; run the worker\n  celeryd -l info');
  assert.equal(applyFix(text), conf('celery -A app worker\n; run the worker\n   -l info'));
});
