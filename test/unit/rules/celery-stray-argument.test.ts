import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CODE = 'celery-stray-argument';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const applyFix = (text: string, code: string, title?: string | RegExp) => applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);
const conf = (command: string) => `[program:w]\ndirectory=/srv\ncommand=${command}\n`;

test('a second value after a one-word option: Celery reads it as a setting and stops', () => {
  for (const [command, word] of [
    ['celery -A proj worker -l info --autoscale 10 3', '3'],
    ['celery -A proj worker -l info -Q high low', 'low'],
    ['celery -A proj beat -l info x', 'x'],
  ]) {
    const text = conf(command);
    const [f, ...rest] = findings(text, CODE);
    assert.ok(f, command);
    assert.deepEqual(rest, [], 'Celery stops at the first');
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f), word);
    assert.match(f.message, /stops with "Error: Unable to parse extra configuration from command line\." \(Reason: not enough values to unpack \(expected 2, got 1\)\)/);
    assert.deepEqual(f.fixes, []);
  }
});

test('key=value words: Celery settings pass, unknown keys and bad values stop', () => {
  const ok = ['worker_prefetch_multiplier=1', 'worker.prefetch_multiplier=1', '_prefetch_multiplier=1', 'WORKER_PREFETCH_MULTIPLIER=1', 'broker_url=redis://x', 'worker_foo=(int)4', 'worker_enable_remote_control=Yes'];
  for (const w of ok) assert.deepEqual(findings(conf(`celery -A proj worker -l info ${w}`), CODE), [], w);
  assert.deepEqual(findings(conf('celery -A proj beat beat_max_loop_interval=5'), CODE), []);
  for (const [w, reason] of [
    ['prefetch_multiplier=1', "'prefetch'"],
    ['worker_foo=1', "'foo'"],
    ['timezone=UTC', UNPACK()],
    ['worker_prefetch_multiplier=(foo)4', "'foo'"],
  ]) {
    const [f] = findings(conf(`celery -A proj worker -l info ${w}`), CODE);
    assert.ok(f, w);
    assert.ok(f.message.includes(reason), `${w}: ${f.message}`);
    assert.match(f.message, /namespace_name=value/);
  }
  assert.match(findings(conf('celery -A proj worker worker_enable_remote_control=maybe'), CODE)[0].message, /traceback/);
  // A setting Celery knows with a value it cannot read: said so, in Python's words (found by a new-rules hunt).
  const [bad] = findings(conf('celery -A proj worker -l info worker_prefetch_multiplier=x'), CODE);
  assert.match(bad.message, /names the Celery setting worker_prefetch_multiplier, but Celery cannot read its value as an int/);
  assert.match(bad.message, /Reason: 'worker_prefetch_multiplier': invalid literal for int\(\) with base 10: 'x'/);
  assert.doesNotMatch(bad.message, /namespace_name=value/);
  assert.match(findings(conf("celery -A proj worker -l info 'broker_transport_options={\"visibility_timeout\":3600}'"), CODE)[0].message, /as JSON in one quoted word/);
  assert.match(findings(conf('celery -A proj beat _max_loop_interval=5'), CODE)[0].message, /'celery'/, "beat's namespace is 'celery'");
});

function UNPACK(): string {
  return 'not enough values to unpack';
}

test('a backslash at the end of a line: the word after it is stray, and the fix removes the backslashes', () => {
  const text = '[program:w]\r\ndirectory=/srv\r\ncommand=celery -A proj worker \\\r\n    -l info \\\r\n    ; pool options\r\n    -c 4\r\nautorestart=true\r\n';
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), '\\');
  assert.equal(f.range.start.line, 2);
  assert.match(f.message, /continuation lines need none/);
  assert.match(f.message, /'\\n-l'/);
  const fixed = applyFix(text, CODE);
  assert.equal(fixed, '[program:w]\r\ndirectory=/srv\r\ncommand=celery -A proj worker\r\n    -l info\r\n    ; pool options\r\n    -c 4\r\nautorestart=true\r\n');
  const codes = findings(text).map((x) => x.code);
  assert.ok(!codes.includes('celery-loglevel-missing'), '-l is right there after the backslash');
  assert.ok(!codes.includes('celery-memory-limit-missing'));
});

test("a backslash before an option's value: the value gets a line break in front, and the fix removes the backslash (noticed by the command-line helper)", () => {
  const text = conf('celery -A proj worker -l info -Q \\\n    high,low');
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), '\\');
  assert.match(f.message, /-Q receives '\\nhigh,low'/);
  assert.equal(applyFix(text, CODE), conf('celery -A proj worker -l info -Q\n    high,low'));
  assert.deepEqual(findings(conf('bash -c "exec celery -A proj worker -Q \\\n    high,low"'), CODE), [], 'a shell joins the lines itself');
});

test("an option after '--' is handed to Celery as a setting: the message says to remove the '--' (found by a new-rules hunt)", () => {
  const [f] = findings(conf('celery -A proj worker -l info -- -P gevent'), CODE);
  assert.match(f.message, /'-P' comes after '--'.*Remove the '--'/);
  assert.doesNotMatch(f.message, /join the values with a comma/);
});

test('not reported: options only, words the file does not show, other stops first, Celery 4, shells', () => {
  assert.deepEqual(findings(conf('celery -A proj worker -l info -Q high,low --autoscale=10,3'), CODE), []);
  assert.deepEqual(findings(conf('celery -A proj worker -l info %(ENV_CELERY_OPTS)s low'), CODE), [], 'the expansion may hold an option that takes low');
  assert.deepEqual(findings(conf('celery -A proj worker --foo bar'), CODE), [], 'No such option comes first (celery-unknown-option)');
  assert.deepEqual(findings(conf('celery -A proj beat -c 4'), CODE), [], '-c is a worker option (celery-unknown-option removes its value too)');
  assert.deepEqual(findings(conf('celery -A proj worker -l info -Q high low'), CODE, settingsWith({ celeryVersion: '4.4' })), []);
  assert.deepEqual(findings(conf('celery -A proj flower --port 5555 x'), CODE), [], 'flower options are not checked');
  assert.equal(findings(conf('bash -c "exec celery -A proj worker -Q high low"'), CODE).length, 1);
});
