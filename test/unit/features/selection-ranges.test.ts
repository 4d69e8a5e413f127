import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { selectionRanges } from '../../../server/src/core/features/selectionRanges';
import type { Range } from '../../../server/src/core/model/types';
import { withCursor } from '../../support/cursor';

/** The text each step of Expand Selection selects at the `|` marker, innermost first. */
function steps(fixture: string, marker = '|'): string[] {
  const { text, position } = withCursor(fixture, marker);
  const doc = parse(text);
  const lines = text.split(/\r?\n/);
  const slice = (r: Range) => {
    if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
    return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
  };
  return selectionRanges(doc, buildDeployment(doc), position).map(slice);
}

const WORKER = '[program:worker]\ncommand=/srv/venv/bin/celery -A proj worker --max-memory-per-child 262|144 -l info\nnumprocs=1\n';

test('catches: a Celery option value grows to the option, the invocation, the value, the entry, the section', () => {
  const command = '/srv/venv/bin/celery -A proj worker --max-memory-per-child 262144 -l info';
  assert.deepEqual(steps(WORKER), [
    '262144',
    '--max-memory-per-child 262144',
    command,
    `command=${command}`,
    `[program:worker]\ncommand=${command}\nnumprocs=1`,
  ]);
});

test('catches: the option name, and every spelling of an option with its value', () => {
  assert.deepEqual(steps('[program:w]\ncommand=celery -A p worker -l| info\n').slice(0, 2), ['-l', '-l info']);
  assert.deepEqual(steps('[program:w]\ncommand=celery -A p worker --loglevel=IN|FO\n').slice(0, 2), ['INFO', '--loglevel=INFO']);
});

test('catches: inside bash -c, the option, then the Celery invocation, then the quoted script', () => {
  const got = steps('[program:w]\ncommand=bash -c "exec celery -A p worker -c |4"\n');
  assert.deepEqual(got.slice(0, 4), ['4', '-c 4', 'celery -A p worker -c 4', '"exec celery -A p worker -c 4"']);
});

test('catches: memmon NAME and SIZE of -p, then the pair, then the option', () => {
  const text = '[eventlistener:memmon]\ncommand=memmon -p worker=51|2MB -c\nevents=TICK_60\n';
  assert.deepEqual(steps(text).slice(0, 4), ['512MB', 'worker=512MB', '-p worker=512MB', 'memmon -p worker=512MB -c']);
  const name = '[eventlistener:memmon]\ncommand=memmon -p wor|ker=512MB\nevents=TICK_60\n';
  assert.deepEqual(steps(name).slice(0, 3), ['worker', 'worker=512MB', '-p worker=512MB']);
});

test('catches: one argument of a command that is not Celery, as shlex splits it', () => {
  assert.deepEqual(steps('[program:web]\ncommand=gunicorn --bind "0.0.0.0:80|00" app:wsgi\n').slice(0, 2), [
    '"0.0.0.0:8000"',
    'gunicorn --bind "0.0.0.0:8000" app:wsgi',
  ]);
});

test('catches: an item of programs=, events= and environment= (KEY, value, pair; quoted commas stay inside)', () => {
  assert.deepEqual(steps('[group:g]\nprograms=web, wor|ker ,beat\n').slice(0, 2), ['worker', 'web, worker ,beat']);
  assert.deepEqual(steps('[eventlistener:m]\ncommand=memmon -a 1GB\nevents=TICK_60,PROCESS_STATE_|EXITED\n').slice(0, 1), ['PROCESS_STATE_EXITED']);
  assert.deepEqual(steps('[program:w]\ncommand=x\nenvironment=A="1,2",DJANGO_SETTINGS_|MODULE="proj.settings"\n').slice(0, 3), [
    'DJANGO_SETTINGS_MODULE',
    'DJANGO_SETTINGS_MODULE="proj.settings"',
    'A="1,2",DJANGO_SETTINGS_MODULE="proj.settings"',
  ]);
  assert.deepEqual(steps('[program:w]\ncommand=x\nenvironment=A="1,|2",B=3\n').slice(0, 3), ['"1,2"', 'A="1,2"', 'A="1,2",B=3']);
});

test('catches: a pattern of [include] files=, separated by spaces', () => {
  assert.deepEqual(steps('[include]\nfiles=conf.d/*.conf /etc/super|visor/*.ini\n').slice(0, 2), ['/etc/supervisor/*.ini', 'conf.d/*.conf /etc/supervisor/*.ini']);
});

test('catches: an %(name)s expansion inside a value', () => {
  assert.deepEqual(steps('[program:w]\ncommand=x\nnumprocs=2\nprocess_name=%(program_name)s_%(process_n|um)02d\n').slice(0, 2), [
    '%(process_num)02d',
    '%(program_name)s_%(process_num)02d',
  ]);
});

test('catches: a value continued over lines is selected whole, then with its key', () => {
  const got = steps('[program:w]\ncommand=celery -A p worker\n    -l in|fo\n    -c 4\n');
  assert.deepEqual(got.slice(0, 4), ['info', '-l info', 'celery -A p worker\n    -l info\n    -c 4', 'command=celery -A p worker\n    -l info\n    -c 4']);
});

test('catches: on a header, the program name, the text in brackets, the header, the section with its comments', () => {
  assert.deepEqual(steps('[program:wor|ker]\ncommand=x\n; trailing note\n\n[program:b]\ncommand=y\n'), [
    'worker',
    'program:worker',
    '[program:worker]',
    '[program:worker]\ncommand=x\n; trailing note',
  ]);
});

test('catches: a key grows to its entry; a comment is a step of its own; CRLF lines', () => {
  assert.deepEqual(steps('[program:w]\r\nnum|procs=2\r\ncommand=x\r\n').slice(0, 2), ['numprocs', 'numprocs=2']);
  assert.deepEqual(steps('[program:w]\ncommand=x ; the w|orker\n').slice(0, 2), ['; the worker', '[program:w]\ncommand=x ; the worker']);
});

test('does not catch: a blank line before the first section gets the empty range at the cursor', () => {
  assert.deepEqual(steps('|\n[program:w]\ncommand=x\n'), ['']);
  assert.deepEqual(steps('; only a comment|\n'), ['; only a comment']);
});

test('does not catch: every step contains the one before, on every position of a real-looking file', () => {
  const text = [
    '; deployment',
    '[program:worker]',
    'command=bash -c "exec /srv/venv/bin/celery -A proj worker -l info --max-memory-per-child=262144 -c 4"',
    'process_name=%(program_name)s_%(process_num)02d',
    'numprocs=2',
    'environment=A="1,2",B=x',
    '[eventlistener:memmon]',
    'command=memmon -p worker_00=512MB -g grp=1GB -c',
    'events=TICK_60',
    '',
  ].join('\n');
  const doc = parse(text);
  const deployment = buildDeployment(doc);
  const lines = text.split('\n');
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (let line = 0; line < lines.length; line++) {
    for (let character = 0; character <= lines[line].length; character++) {
      const position = { line, character };
      const ranges = selectionRanges(doc, deployment, position);
      assert.ok(ranges.length > 0);
      assert.ok(before(ranges[0].start, position) && before(position, ranges[0].end), `innermost range contains ${line}:${character}`);
      for (let k = 1; k < ranges.length; k++) {
        assert.ok(before(ranges[k].start, ranges[k - 1].start) && before(ranges[k - 1].end, ranges[k].end), `step ${k} contains step ${k - 1} at ${line}:${character}`);
      }
    }
  }
});
