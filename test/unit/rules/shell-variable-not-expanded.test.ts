import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { analyzeText } from '../../../server/src/core/analyze';
import type { MachineView } from '../../../server/src/core/machine';
import { machineWith } from '../../support/machine';

const CODE = 'shell-variable-not-expanded';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const program = (lines: string) => `[program:worker]\n${lines}\n`;

test('catches $PATH in environment=, the classic: supervisor hands on the text', () => {
  const text = program('command=/venv/bin/celery -A proj worker -l info\nenvironment=PATH="/venv/bin:$PATH",LANG="C.UTF-8"');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '$PATH');
  assert.match(f.message, /does not replace \$PATH in environment=.*Write %\(ENV_PATH\)s/);
  assert.equal(
    applyFix(text, CODE, undefined, undefined, checker),
    program('command=/venv/bin/celery -A proj worker -l info\nenvironment=PATH="/venv/bin:%(ENV_PATH)s",LANG="C.UTF-8"'),
  );
  assert.equal(f.fixes[0].safeForFixAll, true, 'supervisord always has a PATH');
});

test('catches $VAR and ${VAR} in command=, directory= and log files; the executable cannot be found', () => {
  const text = program('command=$HOME/venv/bin/celery -A proj worker --concurrency=${CONCURRENCY}\ndirectory=$HOME/app\nstdout_logfile=$LOG_DIR/worker.log');
  assert.deepEqual(findings(text, CODE).map((f) => textAt(text, f)), ['$HOME', '${CONCURRENCY}', '$HOME', '$LOG_DIR']);
  const [exe, value] = findings(text, CODE);
  assert.match(exe.message, /finds none, and the program does not start/);
  assert.match(value.message, /the program gets the text "\$\{CONCURRENCY\}" as written/);
  assert.match(exe.message, /supervisor refuses the file when that environment has no HOME/);
  assert.equal(exe.fixes[0].safeForFixAll, false, 'supervisord may have no HOME');
  assert.equal(applyFix(program('command=$HOME/venv/bin/celery -A proj worker'), CODE, undefined, undefined, checker), program('command=%(ENV_HOME)s/venv/bin/celery -A proj worker'));
});

test('catches [supervisord] environment= and paths, on continuation lines too', () => {
  assert.equal(findings('[supervisord]\nenvironment=PATH="/opt/bin:$PATH"\nlogfile=$HOME/supervisord.log\n', CODE).length, 2);
  const text = program('command=/venv/bin/celery -A proj worker\n  --logfile=$LOG_DIR/w.log');
  assert.deepEqual(findings(text, CODE).map((f) => [f.range.start.line, textAt(text, f)]), [[2, '$LOG_DIR']]);
});

test('does not catch a shell script, which expands its variables', () => {
  for (const command of [
    'bash -c "source $HOME/.env && exec celery -A proj worker $CELERY_OPTS"',
    "sh -ec 'exec /venv/bin/celery -A proj worker --concurrency=${N}'",
    'env LANG=C bash -c "exec celery -A proj worker $OPTS"',
  ]) {
    assert.deepEqual(findings(program(`command=${command}`), CODE), [], command);
  }
});

test('does not catch $ that is no variable, supervisor expansions, other keys or templates', () => {
  for (const lines of [
    'command=/venv/bin/celery -A proj worker\nenvironment=SECRET_KEY="k8$jd0s",PATTERN="^a$"',
    'command=/venv/bin/celery -A proj worker\nenvironment=PRICE="5$"',
    'command=%(ENV_HOME)s/venv/bin/celery -A proj worker\nenvironment=PATH="/venv/bin:%(ENV_PATH)s"',
    'command=/venv/bin/celery -A proj worker\nuser=$USER',
  ]) {
    assert.deepEqual(findings(program(lines), CODE), [], lines);
  }
  // In an envsubst template ${VAR} is the template's own syntax (a ${VAR} outside command= and environment= makes one).
  assert.deepEqual(findings('[program:${APP}]\ncommand=${VENV}/bin/celery -A proj worker\n', CODE), []);
  assert.deepEqual(findings(program('command=${VENV}/bin/celery -A proj worker\ndirectory=${APP_DIR}'), CODE), []);
});

test('no fix names a variable that another entry of the same environment= sets', () => {
  const text = program('command=/venv/bin/celery -A proj worker\nenvironment=HOME="/home/app",PATH="$HOME/bin:$PATH"');
  const [home, path] = findings(text, CODE);
  assert.equal(textAt(text, home), '$HOME');
  assert.deepEqual(home.fixes, [], 'HOME is set two entries before: %(ENV_HOME)s would be supervisord\'s, not /home/app');
  assert.equal(path.fixes.length, 1, 'PATH=...$PATH names its own entry');
});

test('a KEY= inside another entry\'s quoted value is no entry: the fix is still offered', () => {
  const text = program('command=/venv/bin/celery -A proj worker\nenvironment=OPTS="--x,HOME=1",CACHE="$HOME/cache"');
  const [home] = findings(text, CODE);
  assert.equal(textAt(text, home), '$HOME');
  assert.equal(home.fixes.length, 1, 'supervisor reads OPTS and CACHE only: nothing in this environment= sets HOME');
});

test('every fix is safe, with CRLF and comments kept', () => {
  const before = checker.fixesChecked;
  checker.checkAll(program('command=$HOME/venv/bin/celery -A proj worker ; the worker\nenvironment=PATH="/venv/bin:$PATH"').replace(/\n/g, '\r\n'), undefined, [CODE]);
  assert.equal(checker.fixesChecked - before, 2);
});

test("the fix is safe where the variable is known to exist, and not offered where the supervisord running here lacks it", () => {
  const text = program('command=$VENV/bin/celery -A proj worker');
  const shared = `[supervisord]\nenvironment=VENV="/srv/venv"\n\n${text}`;
  const [set] = findings(shared, CODE);
  assert.equal(set.fixes[0].safeForFixAll, true, '[supervisord] environment= sets it');
  assert.doesNotMatch(set.message, /refuses/);
  const server = (...names: string[]) => ({ ...machineWith(), supervisordEnvironment: () => new Set(names) });
  const onServer = (machine: MachineView) => analyzeText(text, undefined, undefined, machine).findings.filter((f) => f.code === CODE);
  const [running] = onServer(server('PATH', 'VENV'));
  assert.equal(running.fixes[0].safeForFixAll, true, 'the supervisord running here has it');
  const [missing] = onServer(server('PATH'));
  assert.deepEqual(missing.fixes, []);
  assert.match(missing.message, /The supervisord running here has no VENV either, so %\(ENV_VENV\)s would make supervisor refuse the file: write the value out/);
});
