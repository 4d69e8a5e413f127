/** Completion in values: what accepting an item leaves on the line (the edit applied, not only its range). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineAfterAccepting } from '../../support/completion';
import { completion } from '../../../server/src/core/features/completion';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { withCursor } from '../../support/cursor';
import { machineWith } from '../../support/machine';
import type { MachineView } from '../../../server/src/core/machine';

function labels(fixture: string): string[] {
  const { text, position } = withCursor(fixture);
  return completion(parse(text), position).items.map((i) => i.label);
}

test('an expansion replaces the ) the editor closed after %( (language-configuration.json auto-closes it)', () => {
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|)\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=/var/log/%(|).log\n', '%(program_name)s'), 'stdout_logfile=/var/log/%(program_name)s.log');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -n %(|) -l info\n', '%(program_name)s'), 'command=celery -A proj worker -n %(program_name)s -l info');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --hostname=%(|)@%%h\n', '%(program_name)s'), 'command=celery -A proj worker --hostname=%(program_name)s@%%h');
  // A conversion typed already, the rest of a name.
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|)s\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\nprocess_name=%(program_name)s_%(|)02d\n', '%(process_num)02d'), 'process_name=%(program_name)s_%(process_num)02d');
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(prog|ram)s.log\n', '%(program_name)s'), 'stdout_logfile=%(program_name)s.log');
  // Without a closing bracket (typed without auto-closing), the rest of the line stays.
  assert.equal(lineAfterAccepting('[program:w]\nstdout_logfile=%(|\n', '%(here)s'), 'stdout_logfile=%(here)s');
  assert.equal(lineAfterAccepting('[program:w]\ndirectory=%(|/app\n', '%(here)s'), 'directory=%(here)s/app');
});

test('a value replaces the whole word the cursor is in, not only what is left of it', () => {
  assert.equal(lineAfterAccepting('[program:w]\nstopsignal=|TERM\n', 'TERM'), 'stopsignal=TERM');
  assert.equal(lineAfterAccepting('[program:w]\nstopsignal=|TERM\n', 'QUIT'), 'stopsignal=QUIT');
  assert.equal(lineAfterAccepting('[program:w]\nstopsignal = T|ERM ; warm shutdown\n', 'INT'), 'stopsignal = INT ; warm shutdown');
  assert.equal(lineAfterAccepting('[program:w]\r\nautorestart=tr|ue\r\nautostart=true\r\n', 'unexpected'), 'autorestart=unexpected');
  // A list: the item between its commas.
  assert.equal(lineAfterAccepting('[eventlistener:l]\nevents=PROCESS_STATE,|TICK_60,TICK_5\n', 'TICK_3600'), 'events=PROCESS_STATE,TICK_3600,TICK_5');
  // Already right: at the end of a value, after the blanks of `key = `.
  assert.equal(lineAfterAccepting('[supervisord]\nloglevel = w|\n', 'warn'), 'loglevel = warn');
  assert.equal(lineAfterAccepting('[eventlistener:l]\nevents=TICK_60, |\n', 'TICK_5'), 'events=TICK_60, TICK_5');
});

test("process_name offers the numbered template and the default, from the key catalogue", () => {
  for (const section of ['program:worker', 'fcgi-program:php', 'eventlistener:memmon']) {
    assert.equal(lineAfterAccepting(`[${section}]\nprocess_name=|\n`, '%(program_name)s_%(process_num)02d'), 'process_name=%(program_name)s_%(process_num)02d', section);
  }
  assert.equal(lineAfterAccepting('[program:w]\nprocess_name = |\n', '%(program_name)s'), 'process_name = %(program_name)s');
  // What is there is replaced, not added to.
  assert.equal(lineAfterAccepting('[program:w]\nprocess_name=%(program_name)s|\n', '%(program_name)s_%(process_num)02d'), 'process_name=%(program_name)s_%(process_num)02d');
  assert.equal(lineAfterAccepting('[program:w]\nprocess_name=|worker ; one\n', '%(program_name)s'), 'process_name=%(program_name)s ; one');
  const { text, position } = withCursor('[program:w]\nprocess_name=|\n');
  const numbered = completion(parse(text), position).items[0];
  assert.match(numbered.detail, /numprocs > 1/);
});

test('process_name: not the default when the program runs several processes (supervisor refuses it), nor in other sections', () => {
  assert.deepEqual(labels('[program:w]\nnumprocs=4\nprocess_name=|\n'), ['%(program_name)s_%(process_num)02d']);
  assert.deepEqual(labels('[program:w]\nprocess_name=|\nnumprocs=2\n'), ['%(program_name)s_%(process_num)02d']);
  assert.deepEqual(labels('[group:g]\nprocess_name=|\n'), []);
  assert.deepEqual(labels('[supervisord]\nprocess_name=|\n'), []);
  assert.ok(!labels('[program:w]\nprocess_name=%(|\n').includes('%(program_name)s_%(process_num)02d'), 'after %( the expansions');
});

test('[include] files= offers the usual patterns for the word being typed, not those listed already', () => {
  assert.equal(lineAfterAccepting('[include]\nfiles=|\n', 'conf.d/*.conf'), 'files=conf.d/*.conf');
  assert.equal(lineAfterAccepting('[include]\nfiles = conf.d/*.conf |\n', '/etc/supervisor/conf.d/*.conf'), 'files = conf.d/*.conf /etc/supervisor/conf.d/*.conf');
  assert.equal(lineAfterAccepting('[include]\nfiles = co| /srv/*.ini\n', 'conf.d/*.conf'), 'files = conf.d/*.conf /srv/*.ini');
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf |\n'), ['/etc/supervisor/conf.d/*.conf']);
  assert.deepEqual(labels('[include]\nfiles = |\n  /etc/supervisor/conf.d/*.conf\n'), ['conf.d/*.conf'], 'listed on a continuation line');
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf|\n'), ['conf.d/*.conf', '/etc/supervisor/conf.d/*.conf'], 'the word under the cursor is not listed: it is replaced');
  assert.deepEqual(labels('[program:x]\nfiles=|\n'), []);
  assert.deepEqual(labels('[include]\nfiles=%(|\n'), ['%(here)s', '%(host_node_name)s', '%(ENV_X)s']);
});

test('catches: [include] files= on a line that continues it offers the same patterns, but those listed already', () => {
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf\n    |\n'), ['/etc/supervisor/conf.d/*.conf'], 'a blank line below the value');
  assert.deepEqual(labels('[include]\nfiles = /srv/*.ini\n    |\n[program:x]\n'), ['conf.d/*.conf', '/etc/supervisor/conf.d/*.conf']);
  assert.equal(lineAfterAccepting('[include]\nfiles = /srv/*.ini\n    co|\n', 'conf.d/*.conf'), '    conf.d/*.conf');
  assert.equal(lineAfterAccepting('[include]\nfiles = /srv/*.ini\n    /srv/a.conf c|o.conf\n', 'conf.d/*.conf'), '    /srv/a.conf conf.d/*.conf');
  assert.deepEqual(labels('[include]\nfiles =\n    /etc/supervisor/conf.d/*.conf\n    |\n'), ['conf.d/*.conf'], 'the first line empty');
});

test('catches: %( on a line that continues [include] files= offers the expansions the first line offers', () => {
  const first = labels('[include]\nfiles=%(|\n');
  assert.deepEqual(first, ['%(here)s', '%(host_node_name)s', '%(ENV_X)s']);
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf\n    %(|\n'), first);
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf\n    /srv/%(|)/*.ini\n[program:x]\n'), first, 'after a folder, the ) closed');
  assert.deepEqual(labels('[include]\nfiles =\n    /srv/*.ini %(h|\n'), first, 'the first line empty, a second pattern');
  assert.equal(lineAfterAccepting('[include]\nfiles = conf.d/*.conf\n    %(|)/extra/*.conf\n', '%(here)s'), '    %(here)s/extra/*.conf');
  assert.equal(lineAfterAccepting('[include]\nfiles = conf.d/*.conf\r\n\t/srv/%(host|)s.conf\r\n', '%(host_node_name)s'), '\t/srv/%(host_node_name)s.conf', 'CRLF, a tab');
  assert.deepEqual(labels('[include]\nfiles = /srv/*.ini\n    %(here)s/|\n'), labels('[include]\nfiles = %(here)s/|\n'), 'a closed expansion: what the first line offers there');
});

test('does not change: no patterns on a line that is no continuation, nor in what continues another key', () => {
  assert.deepEqual(labels('[include]\nfiles = conf.d/*.conf\n|\n'), [], 'a line at the margin starts a key, and files= is set');
  assert.deepEqual(labels('[include]\nfiles = /srv/a.conf\n|\n    /srv/b.conf\n'), [], 'so does a blank one inside the value');
  assert.deepEqual(labels('[program:x]\ncommand=/bin/cat\n    |\n'), []);
});

test('an editor set to insert rather than replace replaces only what is left of the cursor; an expansion replaces its ) either way', () => {
  const itemAt = (fixture: string, label: string) => {
    const { text, position } = withCursor(fixture);
    return { position, item: completion(parse(text), position).items.find((i) => i.label === label)! };
  };
  const signal = itemAt('[program:w]\nstopsignal = T|ERM\n', 'INT');
  assert.deepEqual(signal.item.insertRange, { start: { line: 1, character: 13 }, end: signal.position });
  assert.equal(itemAt('[program:w]\nstdout_logfile=%(|)\n', '%(here)s').item.insertRange, undefined);
});

test('after %( the variables known to exist there: the section\'s own environment= where the key sees it, [supervisord] environment=, the running supervisord\'s', () => {
  const conf = (line: string) => `[supervisord]\nenvironment=DJANGO_ENV="prod"\n\n[program:w]\nenvironment=VENV="/srv/venv"\n${line}\n`;
  const expansionsOf = (fixture: string, machine?: MachineView) => {
    const { text, position } = withCursor(fixture);
    return completion(parse(text), position, { machine })
      .items.filter((i) => i.label.startsWith('%(ENV_') && i.label !== '%(ENV_X)s')
      .map((i) => `${i.label} ${i.detail}`);
  };
  assert.deepEqual(expansionsOf(conf('command=%(|')), ["%(ENV_VENV)s set by this section's environment=", '%(ENV_DJANGO_ENV)s set by [supervisord] environment=']);
  // startsecs does not see the program's own environment (supervisor 4.2.2 lends it to command, directory and log files only).
  assert.deepEqual(expansionsOf(conf('startsecs=%(|')), ['%(ENV_DJANGO_ENV)s set by [supervisord] environment=']);
  const server = { ...machineWith(), supervisordEnvironment: () => new Set(['PATH', 'DJANGO_ENV']) };
  assert.deepEqual(expansionsOf(conf('startsecs=%(|'), server), ['%(ENV_DJANGO_ENV)s set by [supervisord] environment=', '%(ENV_PATH)s in the environment of the supervisord running here']);
  assert.equal(lineAfterAccepting(conf('command=%(|)/bin/celery'), '%(ENV_VENV)s'), 'command=%(ENV_VENV)s/bin/celery');
  // [supervisord]'s own keys are read before its environment=.
  assert.deepEqual(expansionsOf('[supervisord]\nenvironment=DJANGO_ENV="prod"\nlogfile=%(|\n'), []);
});

test("after %( in a fragment: the main file's [supervisord] environment=", () => {
  const main = parse('[supervisord]\nenvironment=DJANGO_ENV="prod"\n\n[include]\nfiles=conf.d/*.conf\n');
  const { text, position } = withCursor('[program:w]\ncommand=%(|\n');
  const doc = parse(text);
  const deployment = buildDeployment(doc, { path: '/etc/supervisor/conf.d/w.conf', files: [{ path: '/etc/supervisor/supervisord.conf', doc: main }, { path: '/etc/supervisor/conf.d/w.conf', doc }], complete: true });
  const labels = completion(doc, position, { deployment }).items.filter((i) => i.label.startsWith('%(ENV_') && i.label !== '%(ENV_X)s').map((i) => `${i.label} ${i.detail}`);
  assert.deepEqual(labels, ['%(ENV_DJANGO_ENV)s set by [supervisord] environment=']);
});
