import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-pool-not-patched';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string, code: string, title?: string | RegExp) => applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);
const conf = (command: string) => `[program:w]\ndirectory=/srv\ncommand=${command}\n`;

test("gevent/eventlet written so that maybe_patch_concurrency misses it: no monkey-patching, fixed to '-P gevent'", () => {
  const cases: [string, string, string][] = [
    ['celery -A proj worker -l info -Pgevent -c 100', '-Pgevent', 'celery -A proj worker -l info -P gevent -c 100'],
    ['celery -A proj worker -l info -EPeventlet -c 100', '-EPeventlet', 'celery -A proj worker -l info -E -P eventlet -c 100'],
    ['celery -A proj worker -P solo -l info -P gevent -c 100', '-P gevent', 'celery -A proj worker -l info -P gevent -c 100'],
    ['celery -A proj worker --pool=prefork -l info -Pgevent', '-Pgevent', 'celery -A proj worker -l info -P gevent'],
    ['python -m celery -A proj worker -l info -Pgevent', '-Pgevent', 'python -m celery -A proj worker -l info -P gevent'],
  ];
  for (const [command, anchor, fixed] of cases) {
    const text = conf(command);
    const [f, ...rest] = findings(text, CODE);
    assert.ok(f, command);
    assert.deepEqual(rest, []);
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), anchor, command);
    assert.match(f.message, /without monkey-patching/);
    assert.equal(applyFix(text, CODE), conf(fixed), command);
  }
  assert.match(findings(conf('celery -A proj worker -P solo -P gevent'), CODE)[0].message, /takes the first pool option \(-P solo\) where click takes the last/);
});

test('not reported: the spellings maybe_patch_concurrency finds, other pools, multi, Celery 4', () => {
  for (const command of [
    'celery -A proj worker -P gevent -c 100',
    'celery -A proj worker --pool gevent',
    'celery -A proj worker --pool=eventlet',
    'celery -A proj worker -P gevent -Pgevent',
    'celery -A proj worker -Pthreads',
    'celery -A proj worker -Psolo',
    'celery -A proj worker -P=gevent',
    'bash -c "exec celery -A proj worker -P gevent"',
  ]) {
    assert.deepEqual(findings(conf(command), CODE), [], command);
  }
  assert.deepEqual(findings(conf('celery -A proj worker -Pgevent'), CODE, settingsWith({ celeryVersion: '4.4' })), []);
  assert.equal(findings(conf('bash -c "exec celery -A proj worker -Pgevent"'), CODE).length, 1);
});

test('a gevent/eventlet pool that only CELERY_WORKER_POOL names runs unpatched: the early look reads the argv alone (found by a command-line hunt, a real run printed no patching)', () => {
  const env = 'environment=CELERY_WORKER_POOL="gevent"\n';
  const text = conf('celery -A proj worker -l info') + env;
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'worker');
  assert.match(f.message, /comes from CELERY_WORKER_POOL/);
  assert.equal(applyFix(text, CODE), conf('celery -A proj worker -P gevent -l info') + env);
  assert.equal(findings(`[supervisord]\nenvironment=CELERY_WORKER_POOL=eventlet\n\n${conf('celery -A proj worker')}`, CODE).length, 1);
  assert.equal(findings(conf('env CELERY_WORKER_POOL=gevent celery -A proj worker'), CODE).length, 1);
  assert.equal(applyFix(conf('celery --app=proj worker --loglevel=info') + env, CODE), conf('celery --app=proj worker --pool=gevent --loglevel=info') + env);
  // With -P in the command click takes that one, and the early look sees it: the variable does not matter.
  for (const command of ['celery -A proj worker -P gevent', 'celery -A proj worker -P solo', 'celery -A proj worker']) {
    assert.deepEqual(findings(conf(command) + (command.endsWith('worker') ? 'environment=CELERY_WORKER_POOL="threads"\n' : env), CODE), [], command);
  }
  assert.deepEqual(findings(conf('celery -A proj worker') + 'environment=CELERY_WORKER_POOL=""\n', CODE), [], 'empty: click skips it');
  assert.equal(findings(conf('celery -A proj worker %(ENV_OPTS)s') + env, CODE)[0].severity, 'information', 'the unknown arguments may hold -P gevent');
});

test('does not catch a longer variable name that ends in CELERY_WORKER_POOL: click reads only the exact name', () => {
  assert.deepEqual(findings(conf('env MY_CELERY_WORKER_POOL=gevent celery -A proj worker'), CODE), []);
  assert.deepEqual(findings(conf("bash -c 'OLD_CELERY_WORKER_POOL=gevent exec celery -A proj worker'"), CODE), []);
  assert.equal(findings(conf('env MY_CELERY_WORKER_POOL=threads CELERY_WORKER_POOL=gevent celery -A proj worker'), CODE).length, 1, 'the exact name after a longer one');
});

test("catches an option whose value is the word 'multi' (-Q multi): celery.__main__ patches only when no argument is exactly 'multi'; the fix writes --queues=multi", () => {
  const text = conf('celery -A proj worker -P gevent -Q multi -l info');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), '-Q multi');
  assert.match(f.message, /argument is exactly 'multi'/);
  assert.equal(applyFix(text, CODE), conf('celery -A proj worker -P gevent --queues=multi -l info'));
  assert.equal(findings(conf('celery -A proj worker -n multi') + 'environment=CELERY_WORKER_POOL="eventlet"\n', CODE).length, 1, 'a pool from the environment too');
  // One argument that is not exactly 'multi', other pools, and `celery multi` itself are left alone.
  for (const command of ['celery -A proj worker -P gevent --queues=multi', 'celery -A proj worker -P gevent -Qmulti', 'celery -A proj worker -Q multi', 'celery -A proj worker -P threads -Q multi', 'celery -A proj multi start w1 -P gevent']) {
    assert.deepEqual(findings(conf(command), CODE), [], command);
  }
});

test("the 'multi' fix keeps the other letters of a cluster, glues a short option without a long name, and writes every 'multi' value", () => {
  // -EQ multi: Q is the last letter of -E's cluster; writing --queues=multi in its place made '-E--queues=multi'.
  const cluster = conf('celery -A proj worker -P gevent -EQ multi -l info');
  assert.equal(textAt(cluster, findings(cluster, CODE)[0]), 'Q multi');
  assert.equal(applyFix(cluster, CODE), conf('celery -A proj worker -P gevent -E --queues=multi -l info'));
  // -O has no long name in 5.2: '-O=multi' would give click the value '=multi'.
  const [o] = findings(conf('celery -A proj worker -P gevent -O multi -l info'), CODE);
  assert.match(o.message, /Write '-Omulti', one argument/);
  assert.equal(applyFix(conf('celery -A proj worker -P gevent -O multi -l info'), CODE), conf('celery -A proj worker -P gevent -Omulti -l info'));
  // Two such words: one left would still turn the patching off.
  const twice = conf('celery -A proj worker -P gevent -Q multi -n multi -l info');
  assert.equal(findings(twice, CODE).length, 1);
  assert.equal(applyFix(twice, CODE), conf('celery -A proj worker -P gevent --queues=multi --hostname=multi -l info'));
});

test('a CELERY_WORKER_POOL the script sets as a shell variable alone (X=gevent; exec celery) never reaches Celery: not read as the pool (found by a hunt; dash shows it is not exported)', () => {
  assert.deepEqual(findings(conf("sh -c 'CELERY_WORKER_POOL=gevent; exec celery -A proj worker'"), CODE), []);
  assert.deepEqual(findings(conf("sh -c 'CELERY_WORKER_POOL=\"gevent\" && exec celery -A proj worker'"), CODE), []);
  // Exported, or written before the command: Celery gets it.
  for (const command of [
    "sh -c 'export CELERY_WORKER_POOL=gevent; exec celery -A proj worker'",
    "sh -c 'export A=1 CELERY_WORKER_POOL=gevent; exec celery -A proj worker'",
    "sh -c 'CELERY_WORKER_POOL=gevent exec celery -A proj worker'",
    'env CELERY_WORKER_POOL=gevent celery -A proj worker',
  ]) {
    assert.equal(findings(conf(command), CODE).length, 1, command);
  }
});

test('a shell variable the script exports later (X=gevent; export X) reaches Celery (review)', () => {
  assert.equal(findings(conf("sh -c 'CELERY_WORKER_POOL=gevent; export CELERY_WORKER_POOL; exec celery -A proj worker'"), CODE).length, 1);
  assert.deepEqual(findings(conf("sh -c 'CELERY_WORKER_POOL=gevent; export OTHER_CELERY_WORKER_POOL; exec celery -A proj worker'"), CODE), []);
});
