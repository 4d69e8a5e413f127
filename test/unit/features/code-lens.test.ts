import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { codeLenses, codeLensOptionsFrom, type CodeLensOptions } from '../../../server/src/core/features/codeLens';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';

function titles(text: string, settings: Settings = DEFAULT_SETTINGS, options?: CodeLensOptions): string[] {
  const doc = parse(text);
  return codeLenses(doc, buildDeployment(doc), settings, options).map((l) => `${l.range.start.line}: ${l.title}`);
}

const PREFORK = '[program:worker]\ncommand=/srv/venv/bin/celery -A proj worker -l info -c 4 --max-memory-per-child 262144\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n';

test('catches: a prefork worker: numprocs x concurrency, the per-child limit and the worst case', () => {
  assert.deepEqual(titles(PREFORK), ['0: Celery worker · prefork · 2 × 4 pool processes · each replaced above 256 MB (at most 2 GB)']);
});

test('catches: without -c the pool is one process per core, counted when the server cores are known', () => {
  const text = '[program:w]\ncommand=celery -A proj worker --max-memory-per-child 131072\n';
  assert.deepEqual(titles(text), ['0: Celery worker · prefork · 1 pool process per CPU core · each replaced above 128 MB']);
  assert.deepEqual(titles(text, { ...DEFAULT_SETTINGS, serverCpuCount: 4 }), [
    '0: Celery worker · prefork · 4 pool processes (1 per core) · each replaced above 128 MB (at most 512 MB)',
  ]);
  assert.deepEqual(titles('[program:w]\ncommand=celery -A proj worker -c 0\n'), ['0: Celery worker · prefork · 1 pool process per CPU core · no memory limit'], '-c 0 is the default');
});

test('catches: --autoscale sets the most pool processes; --max-tasks-per-child is a limit too', () => {
  assert.deepEqual(titles('[program:w]\ncommand=celery -A p worker --autoscale=10,3 -c 2 --max-tasks-per-child 100\n'), [
    '0: Celery worker · prefork · up to 10 pool processes · each replaced after 100 tasks',
  ]);
});

test('catches: a gevent worker watched by memmon, in this file and by -g, with the sizes memmon applies', () => {
  const text = [
    '[program:worker]',
    'command=celery -A proj worker --pool=gevent --concurrency=10',
    '[program:beat]',
    'command=celery -A proj beat',
    '[eventlistener:memmon]',
    'command=memmon -p worker=512MB -g other=1GB',
    'events=TICK_60',
    '',
  ].join('\n');
  assert.deepEqual(titles(text), ['0: Celery worker · gevent · 10 greenlets · memmon restarts it above 512 MB']);
  const grouped = '[group:app]\nprograms=worker\n[program:worker]\ncommand=celery -A p worker -P threads\n[eventlistener:m]\ncommand=memmon -g app=1GB\nevents=TICK_60\n';
  assert.deepEqual(titles(grouped), ['2: Celery worker · threads · 1 thread per CPU core · memmon restarts it above 1 GB']);
});

test('catches: only the sizes memmon applies: the last -p or -g of a name, never a group:name -p (memmon reads the bare name)', () => {
  const worker = '[program:w]\ncommand=celery -A p worker -P gevent -c 10\n[eventlistener:m]\nevents=TICK_60\ncommand=';
  assert.deepEqual(titles(`${worker}memmon -p w=200MB -p w=1GB\n`), ['0: Celery worker · gevent · 10 greenlets · memmon restarts it above 1 GB']);
  assert.deepEqual(titles(`${worker}memmon -g w=200MB -g w=1GB\n`), ['0: Celery worker · gevent · 10 greenlets · memmon restarts it above 1 GB']);
  assert.deepEqual(titles(`${worker}memmon -p w=200MB -p other:w=1GB -p w:w=2GB\n`), ['0: Celery worker · gevent · 10 greenlets · memmon restarts it above 200 MB']);
  // Only the group:name form: memmon crashes looking up the bare name, and restarts nothing.
  assert.deepEqual(titles(`${worker}memmon -p w:w=2GB\n`), ['0: Celery worker · gevent · 10 greenlets · no memory limit']);
});

test('catches: memmon on a prefork worker counts the pool processes only with -c', () => {
  const worker = '[program:w]\ncommand=celery -A p worker -c 2\n[eventlistener:m]\nevents=TICK_60\ncommand=memmon -p w=512MB';
  assert.deepEqual(titles(`${worker} -c\n`), ['0: Celery worker · prefork · 2 pool processes · memmon restarts it above 512 MB']);
  assert.deepEqual(titles(`${worker}\n`), ['0: Celery worker · prefork · 2 pool processes · memmon restarts it above 512 MB (pool processes not counted: no -c)']);
});

test('catches: a memmon that exits at start protects nothing, and the lens says so (a size, another -p, a getopt error)', () => {
  const worker = '[program:w]\ncommand=celery -A p worker -P gevent -c 10\n[eventlistener:m]\nevents=TICK_60\ncommand=';
  assert.deepEqual(titles(`${worker}memmon -p w=256M\n`), ["0: Celery worker · gevent · 10 greenlets · memmon exits at start (cannot read '256M')"]);
  // memmon reads every option before its first check: another program's size stops it as well.
  assert.deepEqual(titles(`${worker}memmon -p w=512MB -p beat=1.5GB\n`), ["0: Celery worker · gevent · 10 greenlets · memmon exits at start (cannot read '1.5GB')"]);
  assert.deepEqual(titles(`${worker}memmon -p w=512MB -u 2w\n`), ["0: Celery worker · gevent · 10 greenlets · memmon exits at start (cannot read '2w')"]);
  assert.deepEqual(titles(`${worker}memmon -p w=512MB -h\n`), ['0: Celery worker · gevent · 10 greenlets · memmon exits at start (-h)']);
  assert.deepEqual(titles(`${worker}memmon -p w=512MB -p\n`), ['0: Celery worker · gevent · 10 greenlets · memmon exits at start (option -p requires argument)']);
});

test('catches: a Celery 4 spelling stops Celery 5, so the lens says it does not start and counts no limit from it', () => {
  const text = '[program:w]\ncommand=celery -A p worker -c 4 --maxtasksperchild=100 --autoreload\n';
  assert.deepEqual(titles(text), ['0: Celery worker · prefork · 4 pool processes · does not start: Celery 5 has no --maxtasksperchild, --autoreload · no memory limit']);
  assert.deepEqual(titles('[program:w]\ncommand=celery -A p worker -c 4 --max-tasks-per-child=100\n'), ['0: Celery worker · prefork · 4 pool processes · each replaced after 100 tasks']);
});

test('catches: django-celery\'s manage.py celeryd does not start with Celery 5; arguments the file does not show are named', () => {
  assert.deepEqual(titles('[program:worker]\ncommand=/v/bin/python /srv/app/manage.py celeryd -c 2\n'), [
    "0: Celery worker · prefork · 2 pool processes · does not start with Celery 4 or 5: manage.py celeryd is django-celery's · no memory limit",
  ]);
  assert.deepEqual(titles('[program:worker]\ncommand=celery -A proj worker -c 2 %(ENV_CELERY_OPTS)s\n'), [
    '0: Celery worker · prefork · 2 pool processes · no memory limit · and whatever %(ENV_CELERY_OPTS)s adds',
  ]);
});

test('catches: the solo pool runs one task at a time; numprocs=0 starts nothing', () => {
  assert.deepEqual(titles('[program:w]\ncommand=celery -A p worker -P solo\n'), ['0: Celery worker · solo · 1 task at a time · no memory limit']);
  assert.deepEqual(titles('[program:w]\ncommand=celery -A p worker\nnumprocs=0\n'), ['0: Celery worker · prefork · numprocs=0: supervisor starts no process']);
});

test('does not catch: beat, flower, programs that do not run Celery; a limit a thread pool ignores', () => {
  assert.deepEqual(titles('[program:b]\ncommand=celery -A p beat\n[program:f]\ncommand=celery -A p flower\n[program:web]\ncommand=gunicorn app\n'), []);
  assert.deepEqual(titles('[program:w]\ncommand=celery -A p worker -P gevent -c 10 --max-memory-per-child 262144\n'), [
    '0: Celery worker · gevent · 10 greenlets · no memory limit',
  ]);
});

test('does not catch: turned off by supervisor.codeLens.celeryWorkers (a missing or odd value keeps it on)', () => {
  assert.deepEqual(titles(PREFORK, DEFAULT_SETTINGS, codeLensOptionsFrom({ codeLens: { celeryWorkers: false } })), []);
  assert.equal(codeLensOptionsFrom(null).celeryWorkers, true);
  assert.deepEqual(codeLensOptionsFrom({ codeLens: { processStatus: false } }), { celeryWorkers: true, processStatus: false }, 'the process status lenses have their own switch');
  assert.equal(codeLensOptionsFrom({ codeLens: 'yes' }).celeryWorkers, true);
  assert.equal(codeLensOptionsFrom({ codeLens: { celeryWorkers: 0 } }).celeryWorkers, true);
});

test('catches: the pool CELERY_WORKER_POOL chooses where -P is not given', () => {
  const [lens] = titles('[program:w]\ncommand=celery -A proj worker -c 50\nenvironment=CELERY_WORKER_POOL="gevent"\n');
  assert.match(lens, /^0: Celery worker · gevent · /);
  assert.match(titles('[program:w]\ncommand=celery -A proj worker -P prefork -c 2\nenvironment=CELERY_WORKER_POOL="gevent"\n')[0], /^0: Celery worker · prefork · /);
});

test('catches: the pool size and limits CELERY_WORKER_CONCURRENCY and CELERY_WORKER_MAX_*_PER_CHILD give where the command does not', () => {
  const environment = 'environment=CELERY_WORKER_CONCURRENCY="4",CELERY_WORKER_MAX_MEMORY_PER_CHILD="262144",CELERY_WORKER_MAX_TASKS_PER_CHILD="100"\n';
  assert.deepEqual(titles(`[program:w]\ncommand=celery -A proj worker\n${environment}`), [
    '0: Celery worker · prefork · 4 pool processes · each replaced above 256 MB (at most 1 GB) · each replaced after 100 tasks',
  ]);
  assert.deepEqual(titles(`[supervisord]\n${environment}[program:w]\ncommand=celery -A proj worker\n`).slice(-1), [
    '2: Celery worker · prefork · 4 pool processes · each replaced above 256 MB (at most 1 GB) · each replaced after 100 tasks',
  ]);
  // The command's options win: click reads the variable only for an option not given.
  assert.deepEqual(titles(`[program:w]\ncommand=celery -A proj worker -c 2 --max-memory-per-child 131072 --max-tasks-per-child 5\n${environment}`), [
    '0: Celery worker · prefork · 2 pool processes · each replaced above 128 MB (at most 256 MB) · each replaced after 5 tasks',
  ]);
});
