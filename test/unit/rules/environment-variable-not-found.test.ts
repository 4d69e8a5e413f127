import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import type { MachineView } from '../../../server/src/core/machine';
import { machineWith } from '../../support/machine';
import { textAt } from '../../support/rules';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const CODE = 'environment-variable-not-found';

/** A machine whose supervisord runs with these environment variables (none: its environment cannot be read). */
function serverWith(...names: string[]): MachineView {
  const machine = machineWith();
  return { ...machine, supervisordEnvironment: () => (names.length ? new Set(names) : undefined) };
}

const SERVER = serverWith('PATH', 'LANG', 'HOME');

function found(text: string, machine: MachineView | undefined = SERVER) {
  return analyzeText(text, undefined, undefined, machine).findings.filter((f) => f.code === CODE);
}

test('catches %(ENV_X)s naming a variable the supervisord running here does not have, as an error on the expansion', () => {
  const text = '[program:worker]\ncommand=%(ENV_VENV)s/bin/celery -A proj worker -l info\ndirectory=%(ENV_HOME)s/app\n';
  const [f, ...rest] = found(text);
  assert.equal(rest.length, 0, 'HOME is set');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '%(ENV_VENV)s');
  assert.match(f.message, /no environment variable VENV.*supervisor refuses the file \("Format string \.\.\. for 'program:worker\.command' contains names \('ENV_VENV'\) which cannot be expanded"\)/);
});

test('catches it in any key supervisord expands, with a format and on continuation lines', () => {
  const text = '[supervisord]\nlogfile=%(ENV_LOG_DIR)s/supervisord.log\n\n[program:worker]\ncommand=/venv/bin/celery -A proj worker\n  --concurrency=%(ENV_WORKERS)d\nstartsecs=%(ENV_STARTSECS)s\n';
  assert.deepEqual(found(text).map((f) => textAt(text, f)), ['%(ENV_LOG_DIR)s', '%(ENV_WORKERS)d', '%(ENV_STARTSECS)s']);
});

test('does not catch a name environment= sets: [supervisord] for every section, a program\'s own for its command, directory and logs', () => {
  const shared = '[supervisord]\nenvironment=VENV="/srv/venv"\n\n[program:worker]\ncommand=%(ENV_VENV)s/bin/celery -A proj worker\n';
  assert.deepEqual(found(shared), []);
  const own = '[program:worker]\nenvironment=VENV="/srv/venv",LOGS="/var/log"\ncommand=%(ENV_VENV)s/bin/celery -A proj worker\nstdout_logfile=%(ENV_LOGS)s/w.log\nstartsecs=%(ENV_VENV)s\n';
  const text = own;
  assert.deepEqual(found(text).map((f) => [f.range.start.line, textAt(text, f)]), [[4, '%(ENV_VENV)s']], 'startsecs does not see the program\'s own environment');
});

test("[supervisord] environment= does not reach [supervisord]'s own keys or [include] files=, which supervisor reads before it", () => {
  const text = '[supervisord]\nenvironment=LOGS="/var/log/app"\nlogfile=%(ENV_LOGS)s/supervisord.log\n\n[include]\nfiles=%(ENV_LOGS)s/*.conf\n';
  const [logfile, include] = found(text);
  assert.equal(logfile.range.start.line, 2);
  assert.equal(include.range.start.line, 5);
  assert.match(logfile.message, /\[supervisord\] environment= sets it, but supervisor reads \[supervisord\] before that environment=.*Set LOGS in what starts supervisord/);
});

test("a fragment's %(ENV_X)s finds what the main file's [supervisord] environment= sets", () => {
  const main = { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\nenvironment=VENV="/srv/venv"\n\n[include]\nfiles=conf.d/*.conf\n' };
  const fragment = { path: '/etc/supervisor/conf.d/w.conf', text: '[program:w]\ncommand=%(ENV_VENV)s/bin/celery -A proj worker\nstdout_logfile=%(ENV_GONE)s/w.log\n' };
  const [, analysed] = analyzeDeployment([main, fragment], undefined, true, undefined, SERVER);
  assert.deepEqual(analysed.findings.filter((f) => f.code === CODE).map((f) => textAt(fragment.text, f)), ['%(ENV_GONE)s']);
});

test('does not catch %% (a literal %), supervisorctl\'s section, numprocs=0, overridden keys, or templates', () => {
  assert.deepEqual(found('[program:w]\ncommand=/bin/echo 100%%(ENV_X)s\n'), []);
  assert.deepEqual(found('[supervisorctl]\nserverurl=unix://%(ENV_RUN)s/supervisor.sock\n'), [], 'supervisorctl reads it with its own environment');
  assert.deepEqual(found('[program:w]\ncommand=/bin/true\nnumprocs=0\nstdout_logfile=%(ENV_X)s/w.log\n'), []);
  assert.deepEqual(found('[program:w]\ncommand=%(ENV_X)s/bin/a\ncommand=/bin/true\n'), [], 'the later command= wins');
  assert.deepEqual(found('[program:{{ name }}]\ncommand={{ venv }}/bin/celery %(ENV_X)s\n'), []);
});

test('says nothing without a view of the machine, or where supervisord\'s environment cannot be read', () => {
  const text = '[program:w]\ncommand=%(ENV_VENV)s/bin/celery -A proj worker\n';
  assert.deepEqual(analyzeText(text).findings.filter((f) => f.code === CODE), []);
  assert.deepEqual(found(text, serverWith()), []);
  assert.deepEqual(found(text, machineWith()), [], 'a view that cannot tell');
});

test("supervisor's own parser agrees, run with this process's environment as supervisord's", { skip: oracleUnavailable() }, () => {
  const here = serverWith(...Object.keys(process.env));
  const texts = [
    '[program:w]\ncommand=%(ENV_NO_SUCH_VARIABLE_HERE)s/bin/x\n',
    '[program:w]\ncommand=%(ENV_PATH)s/bin/x\n',
    '[program:w]\nenvironment=VENV="/srv"\ncommand=%(ENV_VENV)s/bin/x\n',
    '[program:w]\nenvironment=VENV="/srv"\ncommand=/bin/x\nstdout_logfile=%(ENV_VENV)s/w.log\n',
    '[program:w]\nenvironment=VENV="/srv"\ncommand=/bin/x\nuser=%(ENV_VENV)s\n',
    '[supervisord]\nenvironment=VENV="/srv"\n[program:w]\ncommand=/bin/x\nuser=%(ENV_VENV)s\n',
    '[supervisord]\nlogfile=%(ENV_NO_SUCH_VARIABLE_HERE)s/s.log\n',
    '[supervisord]\nenvironment=VENV_SET_HERE="/srv"\nlogfile=%(ENV_VENV_SET_HERE)s/s.log\n',
    '[supervisord]\nenvironment=VENV_SET_HERE="/srv"\n[include]\nfiles=%(ENV_VENV_SET_HERE)s/*.conf\n',
    '[program:w]\ncommand=/bin/echo %%(ENV_NO_SUCH_VARIABLE_HERE)s\n',
    '[group:g]\nprograms=w\npriority=%(ENV_NO_SUCH_VARIABLE_HERE)s\n[program:w]\ncommand=/bin/x\n',
  ];
  const verdicts = verdictsOf(texts);
  texts.forEach((text, i) => {
    const refused = /contains names \('ENV_[A-Z_]+'\) which cannot be expanded/.test(verdicts[i]);
    assert.equal(found(text, here).length > 0, refused, `${text}\nsupervisor: ${verdicts[i]}`);
  });
});
