import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, textAt } from '../../support/rules';

const CODE = 'tilde-not-expanded';

const program = (lines: string) => `[program:judge]\n${lines}\n`;

test("catches ~ in a program's directory=: supervisor changes into it as written", () => {
  const text = program('command=/srv/venv/bin/celery -A oj worker -l info\ndirectory=~/oj');
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '~/oj');
  assert.match(f.message, /couldn't chdir to ~\/oj: ENOENT.*such as \/home\/<user>\/oj/);
});

test('catches ~ in a command without a shell: the executable, an argument, an option value', () => {
  const text = program('command=~/venv/bin/celery -A oj worker -f ~/logs/w.log --statedb=~/w.db');
  assert.deepEqual(findings(text, CODE).map((f) => textAt(text, f)), ['~/venv/bin/celery', '~/logs/w.log', '~/w.db']);
  assert.match(findings(text, CODE)[0].message, /can't find command '~\/venv\/bin\/celery'/);
  assert.match(findings(program('command=/bin/ls ~app/data'), CODE)[0].message, /Write the full path\.$/);
});

test('does not catch a shell script, supervisor\'s own paths and log files (it expands those), a ~ inside a word, or templates', () => {
  for (const lines of [
    'command=/bin/bash -c "source ~/.bashrc && exec celery -A oj worker"',
    'command=/bin/true\nstdout_logfile=~/logs/judge.log',
    'command=/usr/bin/rsync a/~b c~',
    'command=/bin/true\ndirectory=/srv/~oj',
  ]) {
    assert.deepEqual(findings(program(lines), CODE), [], lines);
  }
  assert.deepEqual(findings('[supervisord]\nlogfile=~/supervisord.log\ndirectory=~\n', CODE), []);
  assert.deepEqual(findings(program('command={{ venv }}/bin/celery\ndirectory=~/oj'), CODE), []);
});
