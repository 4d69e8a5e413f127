/**
 * readCeleryCommand on commands of templates: each `{{ expression }}` is part of one word, as in the
 * rendered command; texts and offsets stay those of the command as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCeleryCommand, type CeleryCommand } from '../../../server/src/core/command/celery';

function read(command: string): CeleryCommand {
  const c = readCeleryCommand(command);
  assert.ok(c, `not recognised as celery: ${JSON.stringify(command)}`);
  return c;
}

test('an expression in the executable path, in an option value and as a whole value is one word with the text around it', () => {
  const command = '{{ venv }}/bin/celery -A {{ project_name }} worker --concurrency={{ w.concurrency }} -n {{ name }}@%%h -l info';
  const c = read(command);
  assert.equal(c.subcommand, 'worker');
  assert.equal(c.executable, '{{ venv }}/bin/celery');
  assert.equal(command.slice(c.executableStart, c.executableEnd), '{{ venv }}/bin/celery');
  assert.equal(c.get('--app')?.value, '{{ project_name }}');
  const concurrency = c.get('--concurrency')!;
  assert.equal(concurrency.value, '{{ w.concurrency }}');
  assert.equal(command.slice(concurrency.valueStart, concurrency.valueEnd), '{{ w.concurrency }}');
  assert.equal(c.get('--hostname')?.value, '{{ name }}@%%h');
  assert.equal(c.get('--loglevel')?.value, 'info');
  assert.equal(c.unknownArguments, undefined);
});

test('an expression that is the executable names the program it holds', () => {
  assert.equal(read('{{ celery }} -A {{ project_name }} worker').subcommand, 'worker');
  assert.equal(read('<%= celery %> -A app beat').subcommand, 'beat');
  assert.equal(readCeleryCommand('{{ gunicorn }} {{ project_name }}.wsgi --workers=3'), undefined);
  assert.equal(readCeleryCommand('{{ celery_opts }} worker'), undefined);
});

test('quotes and spaces inside an expression do not split or open a quote', () => {
  const command = `/venv/bin/celery -A app worker {{ '--max-tasks-per-child ' + n|string if n else '' }} -l info`;
  const c = read(command);
  assert.equal(c.argvError, undefined);
  assert.equal(c.get('--loglevel')?.value, 'info');
  assert.deepEqual(
    c.unknownArguments?.map((a) => command.slice(a.start, a.end)),
    [`{{ '--max-tasks-per-child ' + n|string if n else '' }}`],
  );
});

test('inside a bash -c script too', () => {
  const command = `bash -c "cd {{ app_dir }} && exec {{ venv }}/bin/celery -A app worker {{ extra }}"`;
  const c = read(command);
  assert.equal(c.viaShell, true);
  assert.equal(c.executable, '{{ venv }}/bin/celery');
  assert.deepEqual(c.unknownArguments?.map((a) => a.text), ['{{ extra }}']);
});

test('a command with a template statement is not read: the template decides which words exist', () => {
  assert.equal(readCeleryCommand('/venv/bin/celery -A app worker{% if c %} --concurrency={{ c }}{% endif %}'), undefined);
  assert.equal(readCeleryCommand('/venv/bin/celery -A app worker {# note #}'), undefined);
  assert.equal(readCeleryCommand('/venv/bin/celery -A app worker <% if x %>-l info<% end %>'), undefined);
});

test('arguments the file does not show: a whole %(ENV_X)s, a whole expression, a shell variable in a script', () => {
  assert.deepEqual(read('/venv/bin/celery -A app worker %(ENV_CELERY_OPTS)s').unknownArguments?.map((a) => a.text), ['%(ENV_CELERY_OPTS)s']);
  assert.deepEqual(read(`sh -c 'exec celery -A app worker "$@"' --`).unknownArguments?.map((a) => a.text), ['$@']);
  assert.deepEqual(read(`bash -c "celery -A app worker \${OPTS} $MORE"`).unknownArguments?.map((a) => a.text), ['${OPTS}', '$MORE']);
  // Without a shell supervisor passes $OPTS as it is written: a word, not options.
  assert.equal(read('/venv/bin/celery -A app worker $OPTS').unknownArguments, undefined);
  // Values of options, expansions inside a word, and other expansions are no unknown arguments.
  assert.equal(read('/venv/bin/celery -A app worker -c %(ENV_N)s -Q q-%(ENV_Q)s').unknownArguments, undefined);
  assert.equal(read('/venv/bin/celery -A app worker %(program_name)s').unknownArguments, undefined);
});

test('a command without template syntax reads as before', () => {
  const c = read('/venv/bin/celery -A app worker -l info -c 4');
  assert.equal(c.get('--concurrency')?.value, '4');
  assert.equal(c.unknownArguments, undefined);
});
