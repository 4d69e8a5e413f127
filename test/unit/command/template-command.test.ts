/**
 * readCeleryCommand on commands of templates: each `{{ expression }}` is part of one word, as in the
 * rendered command; texts and offsets stay those of the command as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCeleryCommand, type CeleryCommand } from '../../../server/src/core/command/celery';
import { readMemmonCommand } from '../../../server/src/core/command/memmon';

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

test('a Jinja {% if %} … {% endif %} in a command is read as absent, and as arguments that may add any option', () => {
  const command =
    '{{ path }}/env/bin/celery -A app worker -l info -O {{ opt }}{% if c %} --concurrency={{ c }}{% elif s %} --autoscale {{ s }}{% endif %}{% if pool %} --pool={{ pool }}{% endif %} -n bg@%%h';
  const c = read(command);
  assert.equal(c.subcommand, 'worker');
  assert.deepEqual(c.options.map((o) => [o.name, o.value]), [['--loglevel', 'info'], ['-O', '{{ opt }}'], ['--hostname', 'bg@%%h']]);
  assert.equal(c.get('--concurrency'), undefined, 'only when the template says so');
  assert.equal(c.get('--pool'), undefined);
  assert.deepEqual(c.unknownArguments?.map((a) => a.text), ['{% if c %} … {% endif %}', '{% if pool %} … {% endif %}']);
  const [first] = c.unknownArguments!;
  assert.equal(command.slice(first.start, first.end), '{% if c %} --concurrency={{ c }}{% elif s %} --autoscale {{ s }}{% endif %}');
  // Nested blocks, {% for %}, whitespace control, comments and {% set %} (which render nothing).
  const nested = read('celery -A app worker{%- if a %} -c 4{% if b %} -P gevent{% endif %}{% endif %} {# note #} {% set x = 1 %}-l info');
  assert.equal(nested.get('--loglevel')?.value, 'info');
  assert.deepEqual(nested.unknownArguments?.map((a) => a.text), ['{%- if a %} … {% endif %}']);
  assert.deepEqual(read('celery -A app worker{% for q in queues %} -Q {{ q }}{% endfor %}').unknownArguments?.map((a) => a.text), ['{% for q in queues %} … {% endfor %}']);
  assert.equal(read('celery -A app worker -l info {# note #}').unknownArguments, undefined, 'a comment renders nothing');
});

test('a command whose statements decide its words otherwise is not read', () => {
  const unread = (command: string, why: string) => assert.equal(readCeleryCommand(command), undefined, why);
  unread('/venv/bin/celery -A app worker -c{% if c %}{{ c }}{% else %}4{% endif %}', 'the branch is glued to the option');
  unread('/venv/bin/celery -A app worker {% if c %}-c 4{% endif %}-l info', 'the next word is glued to the part');
  unread('/venv/bin/celery -A app worker {% if c %} -c 4', 'no endif');
  unread('/venv/bin/celery -A app worker {% endif %}', 'no if');
  unread('/venv/bin/celery -A app worker {% else %} -c 4', 'an else outside a block');
  unread('/venv/bin/celery -A app worker <% if x %>-l info<% end %>', 'an ERB statement');
  unread('/venv/bin/celery -A app worker {% raw %} -l info {% endraw %}', 'another Jinja statement');
  unread('{% if a %}/a/celery{% else %}/b/celery{% endif %} -A app worker', 'the executable itself is conditional');
  unread('/venv/bin/celery -A app worker -l in{# level #}fo', 'a comment inside a word: blanking it would split the word');
  assert.equal(readMemmonCommand('memmon -p a=1MB{% if b %} -p b=1MB{% endif %}'), undefined, 'memmon: which processes it watches is up to the template');
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
