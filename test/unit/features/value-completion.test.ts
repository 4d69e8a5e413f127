/** Completion in values: what accepting an item leaves on the line (the edit applied, not only its range). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineAfterAccepting } from '../../support/completion';

test('an expansion replaces the ) the editor closed after %( (language-configuration.json auto-closes it)', () => {
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|)\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=/var/log/%(|).log\n', '%(program_name)s'), 'stdout_logfile=/var/log/%(program_name)s.log');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -n %(|) -l info\n', '%(program_name)s'), 'command=celery -A proj worker -n %(program_name)s -l info');
  // A conversion typed already, the rest of a name.
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|)s\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\nprocess_name=%(program_name)s_%(|)02d\n', '%(process_num)02d'), 'process_name=%(program_name)s_%(process_num)02d');
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(prog|ram)s.log\n', '%(program_name)s'), 'stdout_logfile=%(program_name)s.log');
  // Without a closing bracket (typed without auto-closing), the rest of the line stays.
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\ndirectory=%(|/app\n', '%(here)s'), 'directory=%(here)s/app');
});
