import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { highlightsAt, isValidProgramName, nameUses, renameClash, renameEdits } from '../../../server/src/core/features/programNames';
import { withCursor } from '../../support/cursor';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { analyzeText } from '../../../server/src/core/analyze';

function rename(text: string, name: string, kind: 'program' | 'group', newName: string): string {
  const doc = parse(text);
  const changes = renameEdits([{ uri: 'a', doc, deployment: buildDeployment(doc) }], { name, kind }, newName);
  return applyEdits(text, changes.a ?? []);
}

test('renames the header, group items and memmon -p/-g that spell the name', () => {
  const text = '[program:worker]\ncommand=celery -A p worker\n\n[group:app]\nprograms=web, worker\n\n[eventlistener:memmon]\ncommand=memmon -c -p worker=512MB\nevents=TICK_60\n';
  assert.equal(
    rename(text, 'worker', 'program', 'tasks'),
    '[program:tasks]\ncommand=celery -A p worker\n\n[group:app]\nprograms=web, tasks\n\n[eventlistener:memmon]\ncommand=memmon -c -p tasks=512MB\nevents=TICK_60\n',
  );
});

test('a program that is its own group takes memmon -g along; memmon -p follows the process names', () => {
  const text = '[program:worker]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n\n[eventlistener:memmon]\ncommand=memmon -c -g worker=1GB -p worker_00=512MB -p worker_01=512MB\nevents=TICK_60\n';
  const renamed = rename(text, 'worker', 'program', 'tasks');
  assert.match(renamed, /^\[program:tasks\]/);
  assert.match(renamed, /-g tasks=1GB -p tasks_00=512MB -p tasks_01=512MB/);
  assert.equal(analyzeText(renamed).findings.filter((f) => f.code === 'memmon-unknown-process').length, 0, 'memmon still watches both processes');
});

test('catches: a qualified -p group:process, with the group renamed too when the program is its own group', () => {
  const own = '[program:worker]\ncommand=x\nprocess_name=%(program_name)s_%(process_num)d\nnumprocs=2\n[eventlistener:m]\ncommand=memmon -p worker:worker_1=1GB\nevents=TICK_60\n';
  assert.match(rename(own, 'worker', 'program', 'tasks'), /-p tasks:tasks_1=1GB/);
  const grouped = '[group:app]\nprograms=worker\n[program:worker]\ncommand=x\nprocess_name=%(program_name)s_%(process_num)d\nnumprocs=2\n[eventlistener:m]\ncommand=memmon -p app:worker_1=1GB\nevents=TICK_60\n';
  assert.match(rename(grouped, 'worker', 'program', 'tasks'), /-p app:tasks_1=1GB/);
});

test('catches: memmon -p in another file of the deployment follows the process names', () => {
  const workers = '[program:worker]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n';
  const memmon = '[eventlistener:memmon]\ncommand=memmon -c -p worker_01=512MB\nevents=TICK_60\n';
  const files = [{ path: '/etc/a.conf', doc: parse(workers) }, { path: '/etc/b.conf', doc: parse(memmon) }];
  const docs = files.map((f) => ({ uri: f.path, doc: f.doc, deployment: buildDeployment(f.doc, { files, path: f.path, complete: true }) }));
  const changes = renameEdits(docs, { name: 'worker', kind: 'program' }, 'tasks');
  assert.equal(applyEdits(workers, changes['/etc/a.conf'] ?? []), workers.replace('[program:worker]', '[program:tasks]'));
  assert.equal(applyEdits(memmon, changes['/etc/b.conf'] ?? []), memmon.replace('worker_01', 'tasks_01'));
});

test('does not catch: process names that do not contain the program name, and other programs\' processes', () => {
  const text = '[program:worker]\ncommand=x\nprocess_name=celery_%(process_num)d\nnumprocs=2\n[program:web]\ncommand=y\n[eventlistener:m]\ncommand=memmon -p celery_0=1GB -p web=256MB\nevents=TICK_60\n';
  const renamed = rename(text, 'worker', 'program', 'tasks');
  assert.match(renamed, /^\[program:tasks\]/);
  assert.match(renamed, /-p celery_0=1GB -p web=256MB/);
});

test('valid names exclude what supervisor or memmon would split', () => {
  for (const ok of ['worker', 'celery-default', 'w_1']) assert.ok(isValidProgramName(ok), ok);
  for (const bad of ['', 'two words', 'a:b', 'a,b', 'a]', '100%', 'a=b']) assert.ok(!isValidProgramName(bad), bad);
});

/** The section a rename would collide with (`program:worker`), or undefined when the rename may go ahead. */
function clashOf(text: string, name: string, kind: 'program' | 'group', newName: string): string | undefined {
  const doc = parse(text);
  return renameClash([{ uri: 'a', doc, deployment: buildDeployment(doc) }], { name, kind }, newName)?.sectionName;
}

const alliance =
  '[program:worker]\ncommand=celery -A myauth worker -l info\n[program:worker-esi]\ncommand=celery -A myauth worker -l info -P gevent -c 10\n' +
  '[group:myauth]\nprograms=worker,worker-esi\n[eventlistener:memmon]\ncommand=memmon -p worker-esi=512MB\nevents=TICK_60\n';

test('refuses: renaming a program onto another program, fcgi-program or event listener, grouped or not', () => {
  assert.equal(clashOf(alliance, 'worker-esi', 'program', 'worker'), 'program:worker');
  assert.equal(clashOf(alliance, 'worker-esi', 'program', 'memmon'), 'eventlistener:memmon');
  assert.equal(clashOf('[program:a]\ncommand=x\n[fcgi-program:b]\ncommand=y\nsocket=tcp://localhost:9000\n', 'a', 'program', 'b'), 'fcgi-program:b');
});

test('refuses a program onto a group only when the program is its own process group; a group onto its like', () => {
  // worker-esi stays in [group:myauth]: a group may share a member's name, as [group:worker] programs=worker.
  assert.equal(clashOf(alliance, 'worker-esi', 'program', 'myauth'), undefined);
  assert.equal(clashOf(alliance, 'memmon', 'program', 'myauth'), 'group:myauth', 'a listener is always its own group');
  const ungrouped = '[program:web]\ncommand=gunicorn\n[program:worker]\ncommand=celery -A p worker\n[group:app]\nprograms=web\n[eventlistener:m]\ncommand=memmon -g worker=1GB\nevents=TICK_60\n';
  assert.equal(clashOf(ungrouped, 'worker', 'program', 'app'), 'group:app');
  assert.equal(clashOf(ungrouped, 'worker', 'group', 'app'), 'group:app', 'memmon -g of a program that is its own group');
  assert.equal(clashOf(ungrouped, 'app', 'group', 'worker'), 'program:worker');
  assert.equal(clashOf(ungrouped, 'app', 'group', 'web'), undefined, 'web is in the group: no group of its own');
  assert.equal(clashOf(alliance + '[group:other]\nprograms=\n', 'myauth', 'group', 'other'), 'group:other');
});

test('does not refuse: renaming to the same name (no edit), or to a name nothing has', () => {
  assert.equal(clashOf(alliance, 'worker-esi', 'program', 'worker-esi'), undefined);
  assert.equal(rename(alliance, 'worker-esi', 'program', 'worker-esi'), alliance);
  assert.equal(clashOf(alliance, 'worker-esi', 'program', 'worker-gevent'), undefined);
  assert.equal(clashOf(alliance, 'myauth', 'group', 'auth'), undefined);
});

test('refuses a name another file of the deployment has', () => {
  const workers = '[program:worker]\ncommand=celery -A p worker\n';
  const other = '[group:web]\nprograms=gunicorn\n[program:gunicorn]\ncommand=gunicorn\n';
  const files = [{ path: '/etc/a.conf', doc: parse(workers) }, { path: '/etc/b.conf', doc: parse(other) }];
  const docs = files.map((f) => ({ uri: f.path, doc: f.doc, deployment: buildDeployment(f.doc, { files, path: f.path, complete: true }) }));
  assert.deepEqual(renameClash(docs, { name: 'worker', kind: 'program' }, 'gunicorn'), { uri: '/etc/b.conf', sectionName: 'program:gunicorn', line: 2 });
  assert.equal(renameClash(docs, { name: 'worker', kind: 'program' }, 'web')?.sectionName, 'group:web');
  assert.equal(renameClash(docs, { name: 'gunicorn', kind: 'program' }, 'web'), undefined, 'gunicorn is in [group:web]');
});

/** The programs memmon's -p options name, in command order. */
function memmonProgramNames(doc: ReturnType<typeof parse>, deployment: ReturnType<typeof buildDeployment>): string[] {
  const listener = doc.sections.findIndex((s) => s.kind === 'eventlistener');
  return nameUses(doc, deployment)
    .filter((u) => !u.definition && u.range.start.line > doc.sections[listener].headerLine)
    .map((u) => `${u.kind}:${u.name}`);
}

test('catches the program of a memmon -p process name: the first program in file order, `group:` ignored', () => {
  const text =
    '[program:first]\ncommand=celery -A p worker\nprocess_name=same\n\n[program:second]\ncommand=celery -A p worker\nprocess_name=same\n\n' +
    '[program:multi]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)s\nnumprocs=2\n\n' +
    '[eventlistener:memmon]\ncommand=memmon -p same=1GB -p other:multi_1=1GB -p a:b:multi_0=1GB -p gone=1GB -p x:gone=1GB -g multi=1GB\nevents=TICK_60\n';
  const doc = parse(text);
  assert.deepEqual(memmonProgramNames(doc, buildDeployment(doc)), ['program:first', 'program:multi', 'program:b:multi_0', 'program:gone', 'program:gone', 'group:multi']);
});

test('does not catch a program of another file before this file\'s own; names follow the deployment asked about', () => {
  const listener = '[program:local]\ncommand=celery -A p worker\nprocess_name=shared\n\n[eventlistener:memmon]\ncommand=memmon -p shared=1GB -p remote_0=1GB\nevents=TICK_60\n';
  const other = '[program:remote]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)s\n\n[program:elsewhere]\ncommand=celery -A p worker\nprocess_name=shared\n';
  const files = [{ path: '/etc/a.conf', doc: parse(listener) }, { path: '/etc/b.conf', doc: parse(other) }];
  const doc = files[0].doc;
  const withContext = buildDeployment(doc, { files, path: '/etc/a.conf', complete: true });
  assert.deepEqual(memmonProgramNames(doc, withContext), ['program:local', 'program:remote']);
  // The same document alone: remote_0 is no known process, so it stays as written.
  assert.deepEqual(memmonProgramNames(doc, buildDeployment(doc)), ['program:local', 'program:remote_0']);
  assert.deepEqual(memmonProgramNames(doc, withContext), ['program:local', 'program:remote']);
});

test('maps every -p of a listener naming thousands of programs (memmonPKnown shape)', () => {
  const n = 15_000;
  let text = '[supervisord]\n\n';
  for (let i = 0; i < n; i++) text += `[program:w${i}]\ncommand=celery -A p worker\nprocess_name=%(program_name)s_%(process_num)s\n\n`;
  text += '[eventlistener:memmon]\ncommand=memmon';
  for (let i = 0; i < n; i++) text += ` -p g:w${i}_0=200MB`;
  text += '\nevents=TICK_60\n';
  const doc = parse(text);
  const names = memmonProgramNames(doc, buildDeployment(doc));
  assert.equal(names.length, n);
  names.forEach((name, i) => assert.equal(name, `program:w${i}`));
});

/** The texts highlighted for the name at the `|` marker, each with W (definition) or R (use). */
function highlighted(fixture: string): string[] {
  const { text, position } = withCursor(fixture);
  const doc = parse(text);
  const lines = text.split('\n');
  return highlightsAt(doc, buildDeployment(doc), position).map((u) => `${u.definition ? 'W' : 'R'} ${u.range.start.line}:${lines[u.range.start.line].slice(u.range.start.character, u.range.end.character)}`);
}

test('highlights: a program name under the cursor marks its header, group items and memmon -p', () => {
  const text = '[program:wor|ker]\ncommand=celery -A p worker\n\n[group:app]\nprograms=web,worker\n\n[eventlistener:memmon]\ncommand=memmon -c -p worker=512MB -g app=1GB\nevents=TICK_60\n';
  assert.deepEqual(highlighted(text), ['W 0:worker', 'R 4:worker', 'R 7:worker']);
  // From a use, the same set; the command's own "worker" sub-command is not a name.
  assert.deepEqual(highlighted(text.replace('[program:wor|ker]', '[program:worker]').replace('-p worker=', '-p wo|rker=')), ['W 0:worker', 'R 4:worker', 'R 7:worker']);
});

test('highlights: a group marks its header and memmon -g, not the programs it lists; nothing off a name', () => {
  const text = '[program:web]\ncommand=gunicorn\n\n[group:a|pp]\nprograms=web\n\n[eventlistener:memmon]\ncommand=memmon -g app=1GB\nevents=TICK_60\n';
  assert.deepEqual(highlighted(text), ['W 3:app', 'R 7:app']);
  assert.deepEqual(highlighted('[program:web]\ncomm|and=gunicorn\n'), []);
});

test('highlights: memmon -g of a program that is its own group marks the program header', () => {
  assert.deepEqual(highlighted('[program:worker]\ncommand=x\n\n[eventlistener:m]\ncommand=memmon -g wor|ker=1GB\nevents=TICK_60\n'), ['W 0:worker', 'R 4:worker']);
});

test('highlights: a program that is its own group marks memmon -g too, from its header or -p as from -g', () => {
  const text = '[program:wor|ker]\ncommand=x\n\n[eventlistener:m]\ncommand=memmon -p worker=512MB -g worker=1GB\nevents=TICK_60\n';
  const all = ['W 0:worker', 'R 4:worker', 'R 4:worker'];
  assert.deepEqual(highlighted(text), all);
  assert.deepEqual(highlighted(text.replace('wor|ker]', 'worker]').replace('-p worker', '-p wo|rker')), all);
  assert.deepEqual(highlighted(text.replace('wor|ker]', 'worker]').replace('-g worker', '-g wo|rker')), all);
  // In a [group:x], -g with the program's name selects no process of it.
  const grouped = `${text}[group:app]\nprograms=worker\n`;
  assert.deepEqual(highlighted(grouped), ['W 0:worker', 'R 7:worker', 'R 4:worker']);
});

test('[program: worker] is the program worker, as supervisor strips the name: names, highlights and rename', () => {
  const text = '[program: worker]\ncommand=celery -A p worker\n\n[eventlistener:memmon]\ncommand=memmon -c -p worker=512MB\nevents=TICK_60\n';
  const doc = parse(text);
  const d = buildDeployment(doc);
  assert.deepEqual(d.programs.map((p) => [p.name, p.group, p.processNames]), [
    ['worker', 'worker', ['worker']],
    ['memmon', 'memmon', ['memmon']],
  ]);
  assert.deepEqual(highlighted(text.replace('-p worker=', '-p wor|ker=')), ['W 0:worker', 'R 4:worker']);
  assert.equal(
    rename(text, 'worker', 'program', 'tasks'),
    '[program: tasks]\ncommand=celery -A p worker\n\n[eventlistener:memmon]\ncommand=memmon -c -p tasks=512MB\nevents=TICK_60\n',
  );
});

test('a group lists a program by its exact section name: [program: w] is in no group, [program:w] is', () => {
  const spaced = buildDeployment(parse('[program: w]\ncommand=x\n[group:g]\nprograms=w\n'));
  assert.equal(spaced.byName.get('w')!.group, 'w', 'supervisor looks for [program:w], which does not exist');
  const exact = buildDeployment(parse('[program:w]\ncommand=x\n[group: g ]\nprograms=w\n'));
  assert.deepEqual([exact.byName.get('w')!.group, exact.groups[0].name], ['g', 'g']);
  // So programs=w names no program there: no link for definition, references or rename (found by a features hunt).
  const text = '[program: w ]\ncommand=/bin/cat\n[group:g]\nprograms= w \n';
  assert.deepEqual(nameUses(parse(text), buildDeployment(parse(text))).map((u) => [u.kind, u.name, u.definition]), [['program', 'w', true], ['group', 'g', true]]);
  assert.equal(rename(text, 'w', 'program', 'x'), '[program: x ]\ncommand=/bin/cat\n[group:g]\nprograms= w \n');
});

test('renamed from memmon -g, a program that is its own group is renamed with its -p too (found by a features hunt)', () => {
  const text = '[program:a]\ncommand=/bin/cat\n[eventlistener:m]\ncommand=memmon -p a=200MB -g a=1GB\nevents=TICK_60\n';
  const renamed = '[program:zz]\ncommand=/bin/cat\n[eventlistener:m]\ncommand=memmon -p zz=200MB -g zz=1GB\nevents=TICK_60\n';
  assert.equal(rename(text, 'a', 'group', 'zz'), renamed);
  assert.equal(rename(text, 'a', 'program', 'zz'), renamed, 'the same as from the header');
  const grouped = '[program:a]\ncommand=/bin/cat\n[group:a]\nprograms=a\n[eventlistener:m]\ncommand=memmon -p a=200MB -g a=1GB\nevents=TICK_60\n';
  assert.match(rename(grouped, 'a', 'group', 'zz'), /\[group:zz\][^]*-p a=200MB -g zz=1GB/, 'a [group:a] of its own is the group');
});
