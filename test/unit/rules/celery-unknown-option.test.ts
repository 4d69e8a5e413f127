import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'celery-unknown-option';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const conf = (command: string) => `[program:worker]\ncommand=${command}\n`;
const worker = (options: string) => conf(`celery -A proj worker ${options}`);

test('catches a typo with a suggestion, anchored on the option name', () => {
  const text = worker('--concurency 4 -l info');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '--concurency');
  assert.match(f.message, /did you mean --concurrency\?/);
  assert.match(f.message, /No such option: --concurency/);
});

test('catches misspellings, wrong case, underscores and unknown short options', () => {
  const cases: [string, string | undefined][] = [
    ['--log-level=info', '--loglevel'],
    ['--max_tasks_per_child=10', '--max-tasks-per-child'],
    ['--Concurrency=4', '--concurrency'],
    ['--max-memory-per-chlid=262144', '--max-memory-per-child'],
    ['--queue default', '--queues'],
    ['--pid=/run/w.pid', '--pidfile'],
    ['--max-memory 262144', '--max-memory-per-child'],
    ['-p gevent', '-P'],
    ['-L info', '-l'],
    ['--frobnicate', undefined],
    ['-Z', undefined],
  ];
  for (const [option, suggestion] of cases) {
    const [f] = findings(worker(option), CODE);
    assert.ok(f, option);
    if (suggestion) assert.ok(f.message.includes(`did you mean ${suggestion}?`), `${option}: ${f.message}`);
    else assert.doesNotMatch(f.message, /did you mean/, option);
  }
});

test("an abbreviation Celery 4's argparse accepted: the option it starts wins over a closer spelling", () => {
  const text = conf('celery -A proj beat --pid=/run/beat.pid');
  const [f] = findings(text, CODE);
  assert.match(f.message, /'beat' has no option --pid \(did you mean --pidfile\?\)/, 'not --uid, one letter away');
  assert.equal(applyFix(text, CODE), conf('celery -A proj beat --pidfile=/run/beat.pid'));
  assert.doesNotMatch(findings(worker('--max 10'), CODE)[0].message, /did you mean --max-/, 'ambiguous: --max-interval? --max-tasks-per-child?');
});

test('catches options of another sub-command and worker options before the sub-command', () => {
  const [beat] = findings(conf('celery -A proj beat -c 4'), CODE);
  assert.match(beat.message, /-c is a worker option/);
  const [early] = findings(conf('celery -A proj -l info worker'), CODE);
  assert.match(early.message, /written before 'worker'/);
  const [global] = findings(conf('celery --ap=proj worker'), CODE);
  assert.match(global.message, /did you mean --app\?/);
});

test('catches a long option written with one dash', () => {
  const text = conf('celery -app proj worker');
  const [f] = findings(text, CODE);
  assert.match(f.message, /single dash/);
  assert.equal(applyFix(text, CODE), conf('celery --app proj worker'));
  assert.equal(applyFix(worker('-events -l info'), CODE), worker('--events -l info'));
  // -b is a real short option, so '-broker' is celery-invalid-option-value's; -a is unknown.
  assert.equal(checker.checkAll(conf('celery -broker=redis:// -app proj worker'), undefined, [CODE]), 1);
});

test('catches options newer than the configured Celery version', () => {
  const [skip] = findings(conf('celery -A proj --skip-checks worker'), CODE);
  assert.match(skip.message, /added in Celery 5\.3/);
  assert.match(skip.message, /supervisor\.celery\.version/);
  assert.equal(findings(worker('--disable-prefetch'), CODE).length, 1);
  assert.equal(findings(worker('--disable-prefetch'), CODE, settingsWith({ celeryVersion: '5.5' })).length, 1);
  assert.equal(findings(worker('--optimization=fair'), CODE).length, 1);
});

test('a newer option names the setting under which it is known; a typo names none', () => {
  const [skip] = findings(conf('celery -A proj --skip-checks worker'), CODE);
  assert.deepEqual(skip.setting, { key: 'celery.version', value: '5.3', condition: 'if the workers run Celery 5.3 or later' });
  const [prefetch] = findings(worker('--disable-prefetch'), CODE, settingsWith({ celeryVersion: '5.5' }));
  assert.equal(prefetch.setting?.value, '5.6');
  assert.equal(findings(worker('--concurency 4'), CODE)[0].setting, undefined);
  // The custom pool of 5.3 likewise (celery-invalid-option-value).
  assert.equal(findings(worker('-P custom'), 'celery-invalid-option-value')[0].setting?.value, '5.3');
});

test('catches through continuation lines and bash -c', () => {
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    --concurency=4 ; pool\n', CODE).length, 1);
  assert.equal(findings(conf(`bash -c "exec celery -A proj worker --loglevle=info"`), CODE).length, 1);
});

test('does not catch known options, removed ones, new ones in new versions, or flower', () => {
  assert.deepEqual(findings(worker('-l info -c 4 -P gevent -Q a,b -n w@%%h --max-tasks-per-child=10 -E --events --discard -Ofair --without-gossip'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj beat -s /tmp/s --scheduler x --max-interval 5 -S x'), CODE), []);
  assert.deepEqual(findings(worker('--maxtasksperchild=10'), CODE), [], 'celery-removed-option');
  assert.deepEqual(findings(conf('celery -A proj --skip-checks worker --optimization fair'), CODE, settingsWith({ celeryVersion: '5.4' })), []);
  assert.deepEqual(findings(worker('--disable-prefetch'), CODE, settingsWith({ celeryVersion: '5.6' })), []);
  assert.deepEqual(findings(conf('celery -A proj flower --port=5555 --basic-auth=a:b'), CODE), []);
  assert.deepEqual(findings(conf('celery multi start w1 --pidfile=x'), CODE), []);
  assert.deepEqual(findings(conf('celeryd --whatever'), CODE), [], 'legacy executables are celery-removed-option');
  assert.deepEqual(findings(worker('-l info worker.prefetch_multiplier=1'), CODE), [], 'settings are positionals');
  assert.deepEqual(findings(conf('celery worker -A pyramid_celery.celery_app --ini prod.ini'), CODE), [], "pyramid_celery's --ini");
  assert.deepEqual(findings(worker('-l info ; --bogus'), CODE), [], 'in a comment');
  assert.deepEqual(findings(worker('--bogus'), CODE, settingsWith({ celeryVersion: '4.4' })), [], 'Celery 4 is not click');
});

test('the fix renames to the suggestion', () => {
  assert.equal(applyFix(worker('--concurency 4'), CODE), worker('--concurrency 4'));
  assert.equal(applyFix(worker('--max_tasks_per_child=10'), CODE), worker('--max-tasks-per-child=10'));
  assert.equal(applyFix(worker('-p gevent'), CODE), worker('-P gevent'));
  assert.equal(applyFix(conf('celery --ap=proj worker'), CODE), conf('celery --app=proj worker'));
  assert.deepEqual(findings(worker('--frobnicate'), CODE)[0].fixes, []);
});

test('the fixes move, remove or rewrite the other cases', () => {
  assert.equal(applyFix(conf('celery -A proj -l info worker -c 2'), CODE), conf('celery -A proj worker -l info -c 2'));
  assert.equal(applyFix(conf('celery -A proj beat -c 4 -l info'), CODE), conf('celery -A proj beat -l info'));
  assert.equal(applyFix(worker('--optimization=fair'), CODE), worker('-O fair'));
  assert.equal(applyFix(worker('--optimization fair'), CODE), worker('-O fair'));
  assert.equal(applyFix(conf('celery -A proj --skip-checks worker'), CODE), conf('celery -A proj worker'));
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; the worker\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    --concurency=4 ; pool\r\n    --log-level info\r\n    --disable-prefetch\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, undefined, [CODE]), 3);
  assert.equal(checker.checkAll(conf('celery -A proj -l info --skip-checks worker -P gevent'), undefined, [CODE]), 2);
  assert.equal(checker.checkAll('[program:beat]\ncommand=celery -A proj beat\n    -c 4\n    -l info\n', undefined, [CODE]), 1);
});
