import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { completion, type CompletionInfo } from '../../../server/src/core/features/completion';
import { withCursor } from '../../support/cursor';
import { settingsWith } from '../../support/rules';
import { lineAfterAccepting, textAfterAccepting } from '../../support/completion';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

function itemsAt(fixture: string, memmonDefaultLimit?: string): { items: CompletionInfo[]; text: string } {
  const { text, position } = withCursor(fixture);
  const doc = parse(text);
  const settings = memmonDefaultLimit ? settingsWith({ memmonDefaultLimit }) : undefined;
  return { items: completion(doc, position, { deployment: buildDeployment(doc), settings }).items, text };
}

const labels = (fixture: string) => itemsAt(fixture).items.map((i) => i.label);

const PROGRAMS = '[program:worker]\ncommand=celery -A p worker\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n\n[program:web]\ncommand=gunicorn\n\n[fcgi-program:php]\ncommand=php-cgi\nsocket=tcp://127.0.0.1:9000\n\n';

test('catches: [group:x] programs= offers the programs and fcgi-programs not listed yet', () => {
  assert.deepEqual(labels(`${PROGRAMS}[group:app]\nprograms=|\n`), ['worker', 'web', 'php']);
  assert.deepEqual(labels(`${PROGRAMS}[group:app]\nprograms=worker, w|\n`), ['web', 'php']);
  const { items } = itemsAt(`${PROGRAMS}[group:app]\nprograms=web,  wor|ker\n`);
  assert.deepEqual(items.map((i) => [i.label, i.detail]), [['worker', '[program:worker], 2 processes'], ['php', '[fcgi-program:php]']]);
  // The whole item under the cursor is replaced, from its first character after the comma and spaces.
  assert.equal(lineAfterAccepting(`${PROGRAMS}[group:app]\nprograms=web,  wor|ker\n`, 'worker'), 'programs=web,  worker');
  assert.equal(lineAfterAccepting(`${PROGRAMS}[group:app]\nprograms=|web\n`, 'worker'), 'programs=worker');
  assert.equal(lineAfterAccepting(`${PROGRAMS}[group:app]\nprograms=worker,|web , php\n`, 'web'), 'programs=worker,web , php');
  assert.equal(lineAfterAccepting(`${PROGRAMS}[group:app]\nprograms=worker,\n  |web\n`, 'php'), '  php', 'on a continuation line');
});

/** Texts with a programs= list completed, for supervisor to read once all tests ran (skipped where it is not installed). */
const completedGroups: string[] = [];

after(() => {
  if (oracleUnavailable() || !completedGroups.length) return;
  verdictsOf(completedGroups).forEach((verdict, i) => assert.equal(verdict, 'ok', completedGroups[i]));
});

/** The members of [group:app] as the engine reads them (supervisor's list_of_strings) after accepting `label`. */
function membersAfterAccepting(fixture: string, label: string): { members: string[]; text: string } {
  const { text } = textAfterAccepting(fixture, label, { deployment: buildDeployment(parse(withCursor(fixture).text)) });
  completedGroups.push(text);
  return { members: buildDeployment(parse(text)).groups.find((g) => g.name === 'app')!.programs, text };
}

test('catches: programs= on a blank line that continues it offers the programs not listed yet, with the comma the line above lacks', () => {
  const group = `${PROGRAMS}[group:app]\nprograms=web`;
  assert.deepEqual(labels(`${group}\n  |\n`), ['worker', 'php']);
  assert.deepEqual(labels(`${group},\n\t|\n[program:x]\ncommand=y\n`), ['worker', 'php', 'x']);
  // supervisor splits at commas only: web above worker would be one name, "web\nworker".
  const { items } = itemsAt(`${group}\n  |\n`);
  assert.deepEqual(items[0].additionalTextEdits, [{ range: { start: { line: 13, character: 12 }, end: { line: 13, character: 12 } }, newText: ',' }]);
  assert.deepEqual(membersAfterAccepting(`${group}\n  |\n`, 'worker'), { members: ['web', 'worker'], text: `${group},\n  worker\n` });
  assert.equal(itemsAt(`${group},\n  |\n`).items[0].additionalTextEdits, undefined, 'a comma ends the line above already');
  assert.deepEqual(membersAfterAccepting(`${group},\n  |\n`, 'worker').members, ['web', 'worker']);
  assert.deepEqual(membersAfterAccepting(`${group} ; the site\n  ; more below\n\n  |\n`, 'php'), { members: ['web', 'php'], text: `${group}, ; the site\n  ; more below\n\n  php\n` }, 'the comma goes before the comment');
  const crlf = `${group}\n  |\n`.replace(/\n/g, '\r\n');
  assert.deepEqual(membersAfterAccepting(crlf, 'worker'), { members: ['web', 'worker'], text: `${group},\n  worker\n`.replace(/\n/g, '\r\n') }, 'CRLF kept');
});

test('catches: programs= after the spaces that end a line offers the programs not listed, with the comma the name before lacks', () => {
  const group = `${PROGRAMS}[group:app]\nprograms=web`;
  assert.deepEqual(labels(`${group}  |\n`), ['worker', 'php']);
  assert.deepEqual(membersAfterAccepting(`${group}  |\n`, 'worker'), { members: ['web', 'worker'], text: `${group},  worker\n` });
  assert.deepEqual(membersAfterAccepting(`${group}, |\n`, 'worker').text, `${group}, worker\n`, 'a comma ends the list already');
  assert.deepEqual(membersAfterAccepting(`${group} |\n  php\n`, 'worker'), { members: ['web', 'worker', 'php'], text: `${group}, worker,\n  php\n` });
});

test('catches: a name typed on a line of its own in programs= replaces only that line\'s name, and brings the commas around it', () => {
  const group = `${PROGRAMS}[group:app]\nprograms=web`;
  assert.deepEqual(labels(`${group}\n  w|\n`), ['worker', 'php'], 'web is listed on the line above, not typed over');
  assert.deepEqual(membersAfterAccepting(`${group}\n  wor|\n`, 'worker'), { members: ['web', 'worker'], text: `${group},\n  worker\n` });
  // Between two names: the one below needs a comma after the new one too.
  assert.deepEqual(labels(`${group},\n  |\n  php\n`), ['worker']);
  assert.deepEqual(membersAfterAccepting(`${group}\n  |\n  php\n`, 'worker'), { members: ['web', 'worker', 'php'], text: `${group},\n  worker,\n  php\n` });
  assert.deepEqual(membersAfterAccepting(`${group},\n  |\n  , php\n`, 'worker').text, `${group},\n  worker\n  , php\n`);
  assert.deepEqual(membersAfterAccepting(`${PROGRAMS}[group:app]\nprograms=|\n  php\n`, 'web'), { members: ['web', 'php'], text: `${PROGRAMS}[group:app]\nprograms=web,\n  php\n` });
  assert.deepEqual(membersAfterAccepting(`${group}\n  p|hp\n  worker\n`, 'php').members, ['web', 'php', 'worker']);
  // At the margin a blank line is no part of the list: what is typed there starts a key.
  assert.ok(!labels(`${group}\n|\n  php\n`).includes('worker'));
  assert.ok(!labels(`${group}\n|\n`).includes('worker'));
});

test('does not catch: event listeners in programs=, other keys of a group', () => {
  assert.deepEqual(labels('[eventlistener:memmon]\ncommand=memmon\nevents=TICK_60\n[group:app]\nprograms=|\n'), []);
  assert.ok(!labels(`${PROGRAMS}[group:app]\npriority=|\n`).includes('worker'));
});

test('catches: memmon -p offers process names with a size to fill in; -g offers groups', () => {
  const { items } = itemsAt(`${PROGRAMS}[group:app]\nprograms=web\n\n[eventlistener:memmon]\ncommand=memmon -c -p |\nevents=TICK_60\n`);
  assert.deepEqual(items.map((i) => i.label), ['worker_00', 'worker_01', 'web', 'php']);
  assert.equal(items[0].insertText, 'worker_00=512MB');
  assert.equal(items[0].snippet, 'worker_00=${1:512MB}');
  assert.equal(items[0].detail, 'a process of [program:worker]');
  assert.deepEqual(labels(`${PROGRAMS}[group:app]\nprograms=web\n\n[eventlistener:memmon]\ncommand=memmon -g |\nevents=TICK_60\n`), ['worker', 'app', 'php']);
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon --group=w|\nevents=TICK_60\n`), ['worker', 'web', 'php']);
  assert.equal(itemsAt(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon --program=|\nevents=TICK_60\n`, '1GB').items[2].insertText, 'web=1GB');
  // A name typed over is replaced whole, not only what is left of the cursor; the size written after it stays.
  assert.equal(lineAfterAccepting(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p w|eb=1GB -c\nevents=TICK_60\n`, 'worker_01'), 'command=memmon -p worker_01=1GB -c');
  assert.equal(lineAfterAccepting(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -g |web=1GB\nevents=TICK_60\n`, 'php'), 'command=memmon -g php=1GB');
  assert.equal(lineAfterAccepting(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p w|eb -c\nevents=TICK_60\n`, 'worker_01'), 'command=memmon -p worker_01=512MB -c', 'no size yet: one to fill in');
});

test('catches: a process name completed before the size written already keeps that size, in each way an editor accepts it', () => {
  const fixture = '[program:w]\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\ncommand=celery -A p worker\n[eventlistener:m]\ncommand=memmon -p w_0|=1GB\nevents=TICK_60\n';
  for (const how of [{}, { snippet: true }, { insert: true }, { insert: true, snippet: true }]) {
    assert.equal(lineAfterAccepting(fixture, 'w_00', undefined, how), 'command=memmon -p w_00=1GB', JSON.stringify(how));
  }
  const { items } = itemsAt(fixture);
  const item = items.find((i) => i.label === 'w_01')!;
  assert.equal(item.snippet, undefined, 'no size to fill in: it is there');
  assert.deepEqual(item.range, { start: { line: 5, character: 18 }, end: { line: 5, character: 21 } }, 'the name, not the size');
  assert.equal(lineAfterAccepting(fixture.replace('w_0|=1GB', 'w|_0=1GB'), 'w_01'), 'command=memmon -p w_01=1GB', 'inside the name');
  assert.equal(lineAfterAccepting(fixture.replace('-p w_0|=1GB', '--program=w_0|=1GB'), 'w_01'), 'command=memmon --program=w_01=1GB');
  assert.equal(lineAfterAccepting(fixture.replace('-p w_0|=1GB', '-g |=2GB'), 'w'), 'command=memmon -g w=2GB', 'a group');
});

test('catches: the size filled in after memmon -c -p is enough for a prefork worker\'s main process and pool (memmon-limit-too-low)', () => {
  const prefork = '[program:worker]\ncommand=celery -A p worker -c 10\n\n[program:web]\ncommand=gunicorn\n\n';
  const sizes = (command: string, memmonDefaultLimit?: string) =>
    itemsAt(`${prefork}[eventlistener:memmon]\ncommand=${command}\nevents=TICK_60\n`, memmonDefaultLimit).items.map((i) => i.insertText);
  assert.deepEqual(sizes('memmon -c -p |'), ['worker=1408MB', 'web=512MB'], '11 processes of 128 MB');
  assert.deepEqual(sizes('memmon -c -g |'), ['worker=1408MB', 'web=512MB']);
  assert.deepEqual(sizes('memmon -p |'), ['worker=512MB', 'web=512MB'], 'without -c memmon measures one process');
  assert.deepEqual(sizes('memmon -c -p |', '2GB'), ['worker=2GB', 'web=2GB']);
  assert.deepEqual(sizes('memmon -p |', '64MB'), ['worker=128MB', 'web=64MB'], 'the floor is for Celery workers');
});

test('catches: memmon -p and -g on the lines that continue the command, a blank one below a -p too', () => {
  const memmon = `${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p worker_00=512MB`;
  assert.deepEqual(labels(`${memmon}\n    -p |\nevents=TICK_60\n`), ['worker_01', 'web', 'php']);
  assert.deepEqual(labels(`${memmon}\n    -g |\n`), ['worker', 'web', 'php']);
  assert.deepEqual(labels(`${memmon} -p\n    |\nevents=TICK_60\n`), ['worker_01', 'web', 'php'], 'a blank line below a -p');
  assert.deepEqual(labels(`${memmon} -c\n\t|\nevents=TICK_60\n`), [], 'no -p before the blank line');
  assert.deepEqual(labels(`${memmon} -p\r\n\t|\r\nevents=TICK_60\r\n`.replace(/(?<!\r)\n/g, '\r\n')), ['worker_01', 'web', 'php'], 'CRLF, a tab');
  assert.equal(lineAfterAccepting(`${memmon} -p\n    |\nevents=TICK_60\n`, 'web'), '    web=512MB');
  assert.ok(!labels(`${memmon} -p\n|\nevents=TICK_60\n`).includes('web'), 'a line at the margin is no part of the command: keys go there');
});

test('does not catch: a name the listener already has a limit for', () => {
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p worker_00=1GB -p |\nevents=TICK_60\n`), ['worker_01', 'web', 'php']);
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -g web=1GB -g |\nevents=TICK_60\n`), ['worker', 'php']);
  // The name being typed over is not one it has already.
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p worker_00=1GB -p |worker_01=1GB\nevents=TICK_60\n`), ['worker_01', 'web', 'php']);
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon --group=w|eb=1GB\nevents=TICK_60\n`), ['worker', 'web', 'php']);
});

test('does not catch: a size being typed, an option, a command that is not memmon', () => {
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p worker_00=|\nevents=TICK_60\n`), []);
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:memmon]\ncommand=memmon -p -|\nevents=TICK_60\n`), []);
  assert.deepEqual(labels(`${PROGRAMS}[eventlistener:other]\ncommand=python listener.py -p |\nevents=TICK_60\n`), []);
});

test('catches: a program\'s user= offers the accounts the deployment\'s programs run as, most used first, not root', () => {
  const programs = '[supervisord]\nuser=supervisor\n[program:a]\ncommand=x\nuser=app\n[program:b]\ncommand=y\nuser=app\n[program:c]\ncommand=z\nuser=deploy\n[program:d]\ncommand=z\nuser=root\n';
  const { items } = itemsAt(`${programs}[program:worker]\ncommand=celery -A p worker\nuser=|\n`);
  assert.deepEqual(items.map((i) => [i.label, i.detail]), [['app', 'user of 2 programs in this deployment'], ['deploy', 'user of 1 program in this deployment']]);
  assert.deepEqual(labels(`${programs}[program:worker]\nuser=de|\n`), ['app', 'deploy'], 'the value being typed is not an account of its own');
  assert.deepEqual(labels('[program:worker]\nuser=|\n'), [], 'nothing to offer');
  assert.equal(lineAfterAccepting(`${programs}[program:worker]\nuser=|root ; for now\n`, 'app'), 'user=app ; for now');
});
