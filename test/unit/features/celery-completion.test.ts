import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { completion } from '../../../server/src/core/features/completion';
import { withCursor } from '../../support/cursor';
import { lineAfterAccepting } from '../../support/completion';
import { celeryUnavailable, clickParse } from '../../support/celeryClick';

function complete(fixture: string) {
  const { text, position } = withCursor(fixture);
  return completion(parse(text), position).items;
}

test('offers worker options not given yet after the worker sub-command', () => {
  const items = complete('[program:w]\ncommand=celery -A proj worker -l info |\n');
  const labels = items.map((i) => i.label);
  for (const l of ['--max-memory-per-child', '--concurrency', '--pool', '--hostname']) assert.ok(labels.includes(l), l);
  assert.ok(!labels.includes('--loglevel'), 'already given as -l');
  const mem = items.find((i) => i.label === '--max-memory-per-child')!;
  assert.match(mem.detail, /KiB/);
  assert.equal(mem.insertText, '--max-memory-per-child=');
  assert.ok(mem.documentation && mem.documentation.length > 20);
});

test('completes a partly typed option on a continuation line, replacing what was typed', () => {
  const items = complete('[program:w]\ncommand=celery -A proj worker\n    --max-m|\n');
  const mem = items.find((i) => i.label === '--max-memory-per-child')!;
  assert.deepEqual(mem.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 11 } });
});

test('the option being typed is not one given already: -l| completes to --loglevel', () => {
  for (const [typed, option] of [['-l', '--loglevel'], ['--loglevel', '--loglevel'], ['-P', '--pool'], ['--pool', '--pool'], ['-c', '--concurrency']]) {
    assert.equal(lineAfterAccepting(`[program:w]\ncommand=celery -A proj worker ${typed}|\n`, option), `command=celery -A proj worker ${option}=`, typed);
  }
  // On a continuation line, and before the options given after it.
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker\n    -P| -l info\n', '--pool'), '    --pool= -l info');
  const labels = complete('[program:w]\ncommand=celery -A proj worker -l info -P|\n').map((i) => i.label);
  assert.ok(labels.includes('--pool') && !labels.includes('--loglevel'), 'given before the word typed');
});

test('catches: an option name the cursor is inside is replaced whole, and keeps the value written after it', () => {
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc|urrency=4\n', '--concurrency'), 'command=celery -A proj worker --concurrency=4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --max-m|emry-per-child 262144\n', '--max-memory-per-child'), 'command=celery -A proj worker --max-memory-per-child 262144');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc|urrency=4 -l info\n', '--autoscale'), 'command=celery -A proj worker --autoscale=4 -l info');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker\n    -|-pool=gevent\n', '--pool'), '    --pool=gevent', 'on a continuation line');
  // A short option's value may follow it in the same word: only the letter is the name.
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -c|4\n', '--concurrency'), 'command=celery -A proj worker --concurrency=4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -O|fair\n', '-O'), 'command=celery -A proj worker -Ofair');
  // An editor set to insert rather than replace replaces only what is left of the cursor.
  const { text, position } = withCursor('[program:w]\ncommand=celery -A proj worker --conc|urrency=4\n');
  const item = completion(parse(text), position).items.find((i) => i.label === '--concurrency')!;
  assert.deepEqual([item.range.start.character, item.range.end.character], [30, 43]);
  assert.deepEqual(item.insertRange, { start: item.range.start, end: position });
});

test('catches: an option name completed right before its = keeps that = and brings none of its own', () => {
  const completed = [
    lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --concurrency|=4\n', '--concurrency'),
    lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc|=4 -l info\n', '--concurrency'),
  ];
  assert.deepEqual(completed, ['command=celery -A proj worker --concurrency=4', 'command=celery -A proj worker --concurrency=4 -l info']);
  // Celery's own parser refused the `--concurrency==4` this used to leave: '=4' is not a valid integer.
  if (!celeryUnavailable()) assert.deepEqual(clickParse(completed.map((line) => line.split(' ').slice(1))).map((r) => r.ok), [true, true]);
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker\n    --pool|=gevent\n', '--pool'), '    --pool=gevent', 'on a continuation line');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=bash -c "exec celery -A proj worker --concurrency|=4"\n', '--concurrency'), 'command=bash -c "exec celery -A proj worker --concurrency=4"');
  const { text, position } = withCursor('[program:w]\ncommand=celery -A proj worker --concurrency|=4\n');
  const item = completion(parse(text), position).items.find((i) => i.label === '--concurrency')!;
  assert.deepEqual(item.insertRange, item.range, 'the name ends at the cursor: both modes replace the same');
  // A short option keeps its value however it is written.
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -c|4\n', '--concurrency'), 'command=celery -A proj worker --concurrency=4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -|c 4\n', '--concurrency'), 'command=celery -A proj worker --concurrency 4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -|P gevent\n', '--pool'), 'command=celery -A proj worker --pool gevent');
  // The value written as the next word already: no `=` (celery: '' is not a valid integer).
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -c| 4\n', '--concurrency'), 'command=celery -A proj worker --concurrency 4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc| 4 -l info\n', '--concurrency'), 'command=celery -A proj worker --concurrency 4 -l info');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -P| gevent\n', '--pool'), 'command=celery -A proj worker --pool gevent');
});

test('does not change: an option name the cursor ends still brings its = or blank', () => {
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc|\n', '--concurrency'), 'command=celery -A proj worker --concurrency=');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --conc| -l info\n', '--concurrency'), 'command=celery -A proj worker --concurrency= -l info');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --pur|\n', '--purge'), 'command=celery -A proj worker --purge');
});

test('offers pool names after -P and --pool=, log levels after -l', () => {
  assert.ok(complete('[program:w]\ncommand=celery -A proj worker -P |\n').some((i) => i.label === 'gevent'));
  const eq = complete('[program:w]\ncommand=celery -A proj worker --pool=ge|\n');
  const gevent = eq.find((i) => i.label === 'gevent')!;
  assert.deepEqual(gevent.range.start, { line: 1, character: 37 });
  assert.ok(complete('[program:w]\ncommand=celery -A proj worker -l |\n').some((i) => i.label === 'info'));
});

test('a pool or log level replaces the whole value the cursor is in', () => {
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -P |gevent -c 4\n', 'prefork'), 'command=celery -A proj worker -P prefork -c 4');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --pool=ge|vnt\n', 'gevent'), 'command=celery -A proj worker --pool=gevent');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker --loglevel=|INFO\n', 'debug'), 'command=celery -A proj worker --loglevel=debug');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker\n    -l w|arn\n', 'warning'), '    -l warning');
  // The script's closing quote stays.
  assert.equal(lineAfterAccepting('[program:w]\ncommand=bash -c "exec celery -A proj worker -P |solo"\n', 'threads'), 'command=bash -c "exec celery -A proj worker -P threads"');
});

test('beat gets beat options; nothing before the sub-command or in non-Celery commands', () => {
  const beat = complete('[program:b]\ncommand=celery -A proj beat |\n').map((i) => i.label);
  assert.ok(beat.includes('--schedule') && !beat.includes('--concurrency'));
  // The options beat shares with the worker are described for beat.
  const level = complete('[program:b]\ncommand=celery -A proj beat |\n').find((i) => i.label === '--loglevel');
  assert.match(String(level?.documentation), /log messages beat writes/);
  assert.deepEqual(complete('[program:w]\ncommand=celery -A pr|oj worker\n').filter((i) => i.label.startsWith('--')), []);
  assert.deepEqual(complete('[program:g]\ncommand=gunicorn app |\n'), []);
  assert.deepEqual(complete('[program:w]\ncommand=celery -A proj worker --hostname=w|\n'), [], "an option's value is no place for options");
});

test('offers the sub-commands supervisor runs after the global options, however celery is started', () => {
  for (const [fixture, line] of [
    ['[program:w]\ncommand=celery -A proj |\n', 'command=celery -A proj worker'],
    ['[program:w]\ncommand=celery |\n', 'command=celery worker'],
    ['[program:w]\ncommand=/srv/venv/bin/celery |\n', 'command=/srv/venv/bin/celery worker'],
    ['[program:w]\ncommand=python -m celery --app=proj |\n', 'command=python -m celery --app=proj worker'],
    ['[program:w]\ncommand=celery -A proj wor|\n', 'command=celery -A proj worker'],
    ['[program:w]\ncommand=bash -c "exec celery -A proj w|"\n', 'command=bash -c "exec celery -A proj worker"'],
    ['[program:w]\ncommand=celery -A proj w|\n    -l info\n', 'command=celery -A proj worker'],
  ]) {
    assert.equal(lineAfterAccepting(fixture, 'worker'), line, fixture);
  }
  const items = complete('[program:w]\ncommand=celery -A proj |\n');
  assert.deepEqual(items.map((i) => i.label), ['worker', 'beat', 'flower']);
  assert.ok(items.every((i) => i.detail.length > 10), 'each says what it runs');
  assert.equal(lineAfterAccepting('[program:b]\ncommand=celery -A proj b|\n', 'beat'), 'command=celery -A proj beat');
});

test('does not offer sub-commands where one is written already, nor where the app or an option goes', () => {
  const subcommands = (fixture: string) => complete(fixture).filter((i) => ['worker', 'beat', 'flower'].includes(i.label));
  for (const fixture of [
    '[program:w]\ncommand=celery -A proj worker |\n',
    '[program:w]\ncommand=celery -A proj inspect |\n',
    '[program:w]\ncommand=celery -A proj |worker -l info\n',
    '[program:w]\ncommand=celery |-A proj worker\n',
    '[program:w]\ncommand=celery -A |\n',
    '[program:w]\ncommand=celery -A pr|\n',
    '[program:w]\ncommand=celery -A proj -|\n',
    '[program:w]\ncommand=celery|\n',
    '[program:w]\ncommand=nice |celery -A proj\n',
    '[program:w]\ncommand=celeryd |\n',
    '[program:w]\ncommand=flower |\n',
    '[program:w]\ncommand=gunicorn app |\n',
  ]) {
    assert.deepEqual(subcommands(fixture), [], fixture);
  }
});

test('a blank line indented below a Celery command continues it: the options, pools and sub-commands as on its first line', () => {
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -l info\n    |\n', '--concurrency'), '    --concurrency=');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker\n    -c 4\n\t|\nuser=app\n', '--pool'), '\t--pool=');
  // Blank and comment lines between do not end the value (configparser keeps reading it).
  assert.equal(lineAfterAccepting('[program:w]\r\ncommand=celery -A proj worker\r\n\r\n    ; limits\r\n    |\r\n', '--max-memory-per-child'), '    --max-memory-per-child=');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj worker -P\n  |\n', 'gevent'), '  gevent');
  assert.equal(lineAfterAccepting('[program:w]\ncommand=celery -A proj\n    |\n', 'worker'), '    worker');
  const labels = complete('[program:w]\ncommand=celery -A proj worker\n    -c 4 -l info\n    |\n').map((i) => i.label);
  assert.ok(labels.includes('--pool') && !labels.includes('--concurrency') && !labels.includes('--loglevel'), 'the options of every line count as given');
});

test('no Celery options on a line that does not continue the command', () => {
  for (const fixture of [
    '[program:w]\ncommand=celery -A proj worker\n|\n', // not indented: a new key
    '[program:w]\n  command=celery -A proj worker\n  |\n', // indented no more than the key
    '[program:w]\ncommand=celery -A proj worker\nuser=app\n    |\n', // continues user=
    '[program:w]\ncommand=celery -A proj worker\n[program:b]\n    |\n',
  ]) {
    assert.deepEqual(complete(fixture).filter((i) => i.label.startsWith('-')), [], fixture);
  }
});

test('does not offer --detach (-D): supervisor takes a worker or beat that forks into the background for one that exited', () => {
  for (const fixture of ['[program:w]\ncommand=celery -A proj worker -l info |\n', '[program:b]\ncommand=celery -A proj beat |\n', '[program:w]\ncommand=celery -A proj worker --de|\n']) {
    const labels = complete(fixture).map((i) => i.label);
    assert.ok(labels.length > 0, fixture);
    assert.ok(!labels.includes('--detach') && !labels.includes('-D'), `${fixture}: ${labels.join(' ')}`);
  }
});
