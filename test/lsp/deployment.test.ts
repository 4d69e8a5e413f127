/** The server finds a fragment's deployment in the workspace and answers across its files. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerUnderTest } from '../support/lspClient';
import { fixture } from '../support/paths';

let root = '';
const uri = (name: string) => pathToFileURL(path.join(root, name)).href;
const read = (name: string) => fs.readFileSync(path.join(root, name), 'utf8');

before(() => {
  // A copy of the fixture workspace, so that tests may change files on disk.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-deployment-'));
  fs.cpSync(fixture('deployment'), root, { recursive: true });
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function start(): Promise<ServerUnderTest> {
  const server = new ServerUnderTest();
  await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'deploy' }] });
  return server;
}

interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

test('a fragment opened alone is checked with its deployment: the memmon in another file counts', async () => {
  const server = await start();
  await server.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const published = await server.diagnostics(uri('conf.d/10-workers.conf'));
  assert.deepEqual(published.diagnostics.map((d) => d.code), []);
  assert.equal(await server.shutdown(), 0);
});

test('code lenses show the memmon of another file, and the client is asked for them again when it changes', async () => {
  const server = new ServerUnderTest();
  await server.initialize({
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'deploy' }],
    capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } } },
  });
  const workers = uri('conf.d/10-workers.conf');
  const lenses = async () =>
    (await server.connection.sendRequest<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: workers } })).map((l) => l.command.title);
  await server.open(workers, read('conf.d/10-workers.conf'));
  assert.deepEqual(await lenses(), [
    'Celery worker · prefork · 4 pool processes · memmon restarts it above 1 GB',
    'Celery worker · prefork · 2 pool processes · memmon restarts it above 512 MB',
  ]);
  await server.open(uri('conf.d/30-memmon.conf'), read('conf.d/30-memmon.conf'));
  await server.change(uri('conf.d/30-memmon.conf'), read('conf.d/30-memmon.conf').replace(' -p celery-reports=512MB', ''), 2);
  await server.diagnostics(workers, (p) => p.diagnostics.length > 0);
  for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
    for (let i = 0; i < 100 && !server.refreshes.includes(method); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(server.refreshes.includes(method), `${method} after the memmon fragment changed: ${server.refreshes.join(', ')}`);
  }
  assert.deepEqual((await lenses())[1], 'Celery worker · prefork · 2 pool processes · no memory limit');
  assert.equal(await server.shutdown(), 0);
});

test('without a workspace folder the fragment is checked alone', async () => {
  const server = new ServerUnderTest();
  await server.initialize();
  await server.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const published = await server.diagnostics(uri('conf.d/10-workers.conf'));
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['celery-memory-limit-missing', 'celery-memory-limit-missing']);
  assert.equal(await server.shutdown(), 0);
});

test('editing the memmon fragment re-checks the open workers fragment', async () => {
  const server = await start();
  await server.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  await server.diagnostics(uri('conf.d/10-workers.conf'), (p) => p.diagnostics.length === 0);
  await server.open(uri('conf.d/30-memmon.conf'), read('conf.d/30-memmon.conf'));
  await server.change(uri('conf.d/30-memmon.conf'), read('conf.d/30-memmon.conf').replace(' -p celery-reports=512MB', ''), 2);
  const after = await server.diagnostics(uri('conf.d/10-workers.conf'), (p) => p.diagnostics.length > 0);
  assert.deepEqual(after.diagnostics.map((d) => d.code), ['celery-memory-limit-missing']);
  assert.match(after.diagnostics[0].message, /'celery-reports'/);
  assert.equal(await server.shutdown(), 0);
});

test('closing an edited fragment without saving re-checks the open workers fragment against the file on disk', async () => {
  const server = await start();
  const workers = uri('conf.d/10-workers.conf');
  const memmon = uri('conf.d/30-memmon.conf');
  await server.open(workers, read('conf.d/10-workers.conf'));
  await server.diagnostics(workers, (p) => p.diagnostics.length === 0);
  await server.open(memmon, read('conf.d/30-memmon.conf'));
  await server.change(memmon, read('conf.d/30-memmon.conf').replace(' -p celery-reports=512MB', ''), 2);
  await server.diagnostics(workers, (p) => p.diagnostics.length > 0);
  // The edit is discarded: on disk memmon still watches celery-reports.
  await server.close(memmon);
  const after = await server.nextDiagnostics(workers);
  assert.deepEqual(after.diagnostics.map((d) => d.code), []);
  assert.equal(await server.shutdown(), 0);
});

test('go to definition from memmon -p and -g, and from [group:x] programs=, into other files', async () => {
  const server = await start();
  const memmon = read('conf.d/30-memmon.conf');
  await server.open(uri('conf.d/30-memmon.conf'), memmon);
  const line = memmon.split('\n').findIndex((l) => l.startsWith('command='));
  const at = (needle: string) => ({ line, character: memmon.split('\n')[line].indexOf(needle) + 2 });
  const toWorker = await server.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uri('conf.d/30-memmon.conf') }, position: at('celery-reports') });
  assert.deepEqual(toWorker, [{ uri: uri('conf.d/10-workers.conf'), range: { start: { line: 12, character: 0 }, end: { line: 12, character: 24 } } }]);
  const toGroup = await server.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uri('conf.d/30-memmon.conf') }, position: at('web=') });
  assert.deepEqual(toGroup.map((l) => [path.basename(l.uri), l.range.start.line]), [['20-web.conf', 7]]);
  const web = read('conf.d/20-web.conf');
  await server.open(uri('conf.d/20-web.conf'), web);
  const toProgram = await server.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uri('conf.d/20-web.conf') }, position: { line: 8, character: 11 } });
  assert.deepEqual(toProgram.map((l) => [path.basename(l.uri), l.range.start.line]), [['20-web.conf', 1]]);
  assert.equal(await server.shutdown(), 0);
});

test('find references of a program: its header, the memmon -p in another file', async () => {
  const server = await start();
  await server.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const refs = await server.connection.sendRequest<Location[]>('textDocument/references', {
    textDocument: { uri: uri('conf.d/10-workers.conf') },
    position: { line: 1, character: 12 },
    context: { includeDeclaration: true },
  });
  assert.deepEqual(refs.map((l) => [path.basename(l.uri), l.range.start.line]).sort(), [['10-workers.conf', 1], ['30-memmon.conf', 2]]);
  assert.equal(await server.shutdown(), 0);
});

test('references and rename reach a memmon -p in another file that names a process of the program by its process_name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-process-refs-'));
  try {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    const workers = '[program:worker]\ncommand=celery -A proj worker\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\n';
    fs.writeFileSync(path.join(dir, 'supervisord.conf'), '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    fs.writeFileSync(path.join(dir, 'conf.d', '10-workers.conf'), workers);
    fs.writeFileSync(path.join(dir, 'conf.d', '30-memmon.conf'), '[eventlistener:memmon]\ncommand=memmon -c -p worker_00=1GB -p worker_01=1GB\nevents=TICK_60\n');
    const server = new ServerUnderTest();
    await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'refs' }] });
    const workersUri = pathToFileURL(path.join(dir, 'conf.d', '10-workers.conf')).href;
    await server.open(workersUri, workers);
    const at = { textDocument: { uri: workersUri }, position: { line: 0, character: 11 } };
    const refs = await server.connection.sendRequest<Location[]>('textDocument/references', { ...at, context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((l) => [path.basename(l.uri), l.range.start.line, l.range.start.character]).sort(), [
      ['10-workers.conf', 0, 9],
      ['30-memmon.conf', 1, 21],
      ['30-memmon.conf', 1, 38],
    ]);
    const renamed = await server.connection.sendRequest<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', { ...at, newName: 'tasks' });
    assert.deepEqual(renamed.changes[pathToFileURL(path.join(dir, 'conf.d', '30-memmon.conf')).href].map((e) => e.newText), ['tasks_00', 'tasks_01']);
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('document links on [include] files= patterns that match files', async () => {
  const server = await start();
  const main = read('supervisord.conf');
  await server.open(uri('supervisord.conf'), main);
  const all = await server.connection.sendRequest<{ target: string; range: Location['range'] }[]>('textDocument/documentLink', { textDocument: { uri: uri('supervisord.conf') } });
  // Its logfile= is linked too where /var/log/supervisor/supervisord.log exists (a machine running supervisord).
  const links = all.filter((l) => l.target.startsWith(pathToFileURL(root).href));
  assert.equal(links.length, 1);
  assert.equal(links[0].target, uri('conf.d/10-workers.conf'));
  const line = main.split('\n')[links[0].range.start.line];
  assert.equal(line.slice(links[0].range.start.character, links[0].range.end.character), 'conf.d/*.conf');
  assert.equal(await server.shutdown(), 0);
});

test('document links on [include] files= patterns with %(here)s: the folder of the main file, as supervisor expands it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-include-here-'));
  try {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'conf.d', 'worker.conf'), '[program:worker]\ncommand=celery -A proj worker\n');
    const text = '[supervisord]\nlogfile=/tmp/supervisord.log\n\n[include]\nfiles = %(here)s/conf.d/*.conf %(here)s/conf.d/worker.conf\n';
    const main = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(main, text);
    const server = new ServerUnderTest();
    await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'here' }] });
    await server.open(pathToFileURL(main).href, text);
    const links = await server.connection.sendRequest<{ target: string; range: Location['range'] }[]>('textDocument/documentLink', { textDocument: { uri: pathToFileURL(main).href } });
    const line = text.split('\n')[4];
    assert.deepEqual(
      links.filter((l) => l.range.start.line === 4).map((l) => [line.slice(l.range.start.character, l.range.end.character), l.target]),
      [
        ['%(here)s/conf.d/*.conf', pathToFileURL(path.join(dir, 'conf.d', 'worker.conf')).href],
        ['%(here)s/conf.d/worker.conf', pathToFileURL(path.join(dir, 'conf.d', 'worker.conf')).href],
      ],
    );
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('document links on log files that exist: the first process whose file is there, not a missing one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-logs-'));
  try {
    fs.mkdirSync(path.join(dir, 'log'));
    fs.writeFileSync(path.join(dir, 'log', 'worker_01.log'), 'celery@worker_01 ready.\n');
    const text =
      '[program:worker]\ncommand=celery -A proj worker\nnumprocs=2\nnumprocs_start=0\nprocess_name=%(program_name)s_%(process_num)02d\n' +
      'stdout_logfile=%(here)s/log/%(program_name)s_%(process_num)02d.log\nstderr_logfile=%(here)s/log/missing.err\n';
    const conf = pathToFileURL(path.join(dir, 'app.conf')).href;
    const server = await start();
    await server.open(conf, text);
    const links = await server.connection.sendRequest<{ target: string; range: Location['range']; tooltip?: string }[]>('textDocument/documentLink', { textDocument: { uri: conf } });
    assert.deepEqual(
      links.map((l) => [l.range.start.line, l.target, l.tooltip]),
      [[5, pathToFileURL(path.join(dir, 'log', 'worker_01.log')).href, `Open the log ${path.join(dir, 'log', 'worker_01.log')}`]],
    );
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('outside the workspace only supervisor.mainConfig is read', async () => {
  const confd = { workspaceFolders: [{ uri: pathToFileURL(path.join(root, 'conf.d')).href, name: 'conf.d' }] };
  const alone = new ServerUnderTest();
  await alone.initialize(confd);
  await alone.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const unaware = await alone.diagnostics(uri('conf.d/10-workers.conf'));
  assert.equal(unaware.diagnostics.filter((d) => d.code === 'celery-memory-limit-missing').length, 2, 'the main file is outside the workspace');
  assert.equal(await alone.shutdown(), 0);

  const told = new ServerUnderTest({ mainConfig: path.join(root, 'supervisord.conf') });
  await told.initialize(confd);
  await told.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const aware = await told.diagnostics(uri('conf.d/10-workers.conf'));
  assert.deepEqual(aware.diagnostics.map((d) => d.code), []);
  assert.equal(await told.shutdown(), 0);
});

test('a main file whose includes lie outside the workspace is not judged as complete', async () => {
  const server = new ServerUnderTest();
  await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(path.join(root, 'conf.d')).href, name: 'conf.d' }] });
  const text = '[supervisord]\n\n[group:g]\nprograms=somewhere\n\n[include]\nfiles = /etc/elsewhere/*.conf\n';
  await server.open(uri('conf.d/main.conf'), text);
  const published = await server.diagnostics(uri('conf.d/main.conf'));
  const group = published.diagnostics.filter((d) => d.code === 'group-unknown-program');
  assert.equal(group.length, 1);
  assert.notEqual(group[0].severity, 1, 'not an error: /etc/elsewhere was not read');
  assert.equal(await server.shutdown(), 0);
});

test('rename a program everywhere the deployment names it, and refuse names supervisor cannot take', async () => {
  const server = await start();
  await server.open(uri('conf.d/10-workers.conf'), read('conf.d/10-workers.conf'));
  const position = { line: 1, character: 12 }; // in [program:celery-default]
  const prepared = await server.connection.sendRequest<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri('conf.d/10-workers.conf') }, position });
  assert.equal(prepared.placeholder, 'celery-default');
  const edit = await server.connection.sendRequest<{ changes: Record<string, { range: Location['range']; newText: string }[]> }>('textDocument/rename', {
    textDocument: { uri: uri('conf.d/10-workers.conf') },
    position,
    newName: 'celery-main',
  });
  const files = Object.keys(edit.changes).map((u) => path.basename(u)).sort();
  assert.deepEqual(files, ['10-workers.conf', '30-memmon.conf']);
  for (const [u, edits] of Object.entries(edit.changes)) {
    const text = fs.readFileSync(new URL(u), 'utf8').split('\n');
    for (const e of edits) {
      assert.equal(text[e.range.start.line].slice(e.range.start.character, e.range.end.character), 'celery-default');
      assert.equal(e.newText, 'celery-main');
    }
  }
  await assert.rejects(
    server.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri('conf.d/10-workers.conf') }, position, newName: 'two words' }),
    /cannot be a program name/,
  );
  // A name the deployment already has would merge two programs (or groups): refused, naming the other section.
  const taken = [
    ['celery-reports', /\[program:celery-reports\] \(line 13\)/],
    ['memmon', /\[eventlistener:memmon\] \(30-memmon\.conf, line 2\)/],
    ['web', /\[group:web\] \(20-web\.conf, line 8\)/],
  ] as const;
  for (const [newName, other] of taken) {
    await assert.rejects(
      server.connection.sendRequest('textDocument/rename', { textDocument: { uri: uri('conf.d/10-workers.conf') }, position, newName }),
      (e: Error) => other.test(e.message) && /is already the name of/.test(e.message),
      newName,
    );
  }
  const same = await server.connection.sendRequest<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri: uri('conf.d/10-workers.conf') }, position, newName: 'celery-default' });
  assert.deepEqual(same.changes, {}, 'renaming to the same name changes nothing');
  assert.equal(await server.shutdown(), 0);
});

test('a files= pattern of the main file that matches nothing in conf.d is reported there, and the finding goes when it is fixed', async () => {
  const server = await start();
  const typo = read('supervisord.conf').replace('files = conf.d/*.conf', 'files = conf.d/*.conf conf.d/*.cnf');
  await server.open(uri('supervisord.conf'), typo);
  const published = await server.diagnostics(uri('supervisord.conf'));
  const found = published.diagnostics.filter((d) => d.code === 'include-matches-nothing');
  assert.equal(found.length, 1);
  const range = found[0].range as Location['range'];
  assert.equal(typo.split('\n')[range.start.line].slice(range.start.character, range.end.character), 'conf.d/*.cnf');
  await server.change(uri('supervisord.conf'), read('supervisord.conf'), 2);
  const fixed = await server.diagnostics(uri('supervisord.conf'), (p) => p.version === 2);
  assert.deepEqual(fixed.diagnostics.filter((d) => d.code === 'include-matches-nothing'), []);
  assert.equal(await server.shutdown(), 0);
});

test('document highlights: the program under the cursor, its header as the write, uses as reads', async () => {
  const server = await start();
  const web = read('conf.d/20-web.conf');
  await server.open(uri('conf.d/20-web.conf'), web);
  const highlights = await server.connection.sendRequest<{ range: Location['range']; kind: number }[]>('textDocument/documentHighlight', {
    textDocument: { uri: uri('conf.d/20-web.conf') },
    position: { line: 8, character: 11 },
  });
  const lines = web.split('\n');
  assert.deepEqual(
    highlights.map((h) => [h.kind, h.range.start.line, lines[h.range.start.line].slice(h.range.start.character, h.range.end.character)]),
    [
      [3, 1, 'gunicorn'],
      [2, 8, 'gunicorn'],
    ],
  );
  assert.equal(await server.shutdown(), 0);
});

test('workspace symbols: sections of files that are not open, found through the workspace', async () => {
  const server = await start();
  const symbols = await server.connection.sendRequest<{ name: string; kind: number; location: Location; containerName: string }[]>('workspace/symbol', { query: 'gunic' });
  assert.deepEqual(
    symbols.map((s) => [s.name, path.basename(s.location.uri), s.location.range.start.line, s.containerName]),
    [['program:gunicorn', '20-web.conf', 1, '20-web.conf']],
  );
  assert.equal(await server.shutdown(), 0);
});

test('workspace symbols: each file once however its URI is written, open documents as edited, what an edited [include] reads', async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-symbols-'));
  const server = new ServerUnderTest();
  try {
    fs.writeFileSync(path.join(workspace, 'celery [old] (1).conf'), '[program:old]\ncommand=x\n');
    fs.writeFileSync(path.join(workspace, 'supervisord.conf'), '[supervisord]\n[include]\nfiles = conf.d/*.conf\n');
    fs.mkdirSync(path.join(workspace, 'parts'));
    fs.writeFileSync(path.join(workspace, 'parts', 'web.txt'), '[program:web]\ncommand=x\n');
    await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'w' }] });
    const symbols = async (query: string) =>
      (await server.connection.sendRequest<{ name: string; location: Location }[]>('workspace/symbol', { query })).map((s) => [s.name, path.basename(decodeURIComponent(s.location.uri)), s.location.uri]);
    assert.deepEqual((await symbols('old')).map((s) => s.slice(0, 2)), [['program:old', 'celery [old] (1).conf']]);
    // VS Code's URI for the file encodes the brackets, the space and the parentheses (Node's leaves the parentheses).
    const editorUri = `${pathToFileURL(workspace).href}/celery%20%5Bold%5D%20%281%29.conf`;
    await server.open(editorUri, '[program:new]\ncommand=x\n');
    await server.change(editorUri, '[program:newer]\ncommand=x\n', 2);
    assert.deepEqual(await symbols('program:'), [['program:newer', 'celery [old] (1).conf', editorUri]]);
    // The main file edited, not saved: the symbols follow what its [include] reads now.
    const main = pathToFileURL(path.join(workspace, 'supervisord.conf')).href;
    await server.open(main, '[supervisord]\n[include]\nfiles = conf.d/*.conf parts/*.txt\n');
    assert.deepEqual((await symbols('web')).map((s) => s.slice(0, 2)), [['program:web', 'web.txt']]);
    await server.change(main, '[supervisord]\n[include]\nfiles = conf.d/*.conf\n', 2);
    assert.deepEqual(await symbols('web'), []);
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('completion after memmon -p offers the process names of the other files that it does not watch yet, with a size to fill in', async () => {
  const server = await start();
  const memmon = read('conf.d/30-memmon.conf').replace(' -g web=300MB', ' -p ');
  await server.open(uri('conf.d/30-memmon.conf'), memmon);
  const lines = memmon.split('\n');
  const line = lines.findIndex((l) => l.startsWith('command='));
  const { items } = await server.connection.sendRequest<{ items: { label: string; textEdit: { newText: string } }[] }>('textDocument/completion', {
    textDocument: { uri: uri('conf.d/30-memmon.conf') },
    position: { line, character: lines[line].length },
  });
  assert.deepEqual(
    items.map((i) => [i.label, i.textEdit.newText]),
    [['gunicorn', 'gunicorn=512MB']],
    'celery-default and celery-reports have a -p already',
  );
  assert.equal(await server.shutdown(), 0);
});

test('supervisor/deployment names the files a document was checked with: a fragment, its main config, an unsaved file', async () => {
  const server = await start();
  const ask = (u: string) => server.connection.sendRequest<{ role: string; mainFile?: string; files: string[]; complete: boolean } | null>('supervisor/deployment', { textDocument: { uri: u } });
  const files = ['supervisord.conf', 'conf.d/10-workers.conf', 'conf.d/20-web.conf', 'conf.d/30-memmon.conf'].map((f) => path.join(root, f));
  await server.open(uri('conf.d/20-web.conf'), read('conf.d/20-web.conf'));
  assert.deepEqual(await ask(uri('conf.d/20-web.conf')), { role: 'fragment', isMainFile: false, mainFile: files[0], files, complete: true, machineChecked: false });
  await server.open(uri('supervisord.conf'), read('supervisord.conf'));
  assert.deepEqual(await ask(uri('supervisord.conf')), { role: 'main', isMainFile: true, files, complete: true, machineChecked: false });
  await server.open('untitled:Untitled-1', '[program:x]\ncommand=celery -A proj worker\n');
  assert.deepEqual(await ask('untitled:Untitled-1'), { role: 'alone', isMainFile: false, files: [], complete: true, machineChecked: false });
  assert.equal(await ask(uri('conf.d/10-workers.conf')), null, 'a document the server does not have');
  assert.equal(await server.shutdown(), 0);
});

test('a fragment with an [include] of its own is checked as a fragment of the main file that includes it, not as a main file', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-nested-')));
  try {
    const main = path.join(dir, 'supervisord.conf');
    const fragment = path.join(dir, 'conf.d', 'a.conf');
    fs.mkdirSync(path.join(dir, 'conf.d', 'sub'), { recursive: true });
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    // supervisor never reads sub/b.conf: it follows the main file's [include] only, and refuses [group:g].
    const text = '[include]\nfiles = sub/*.conf\n\n[program:a]\ncommand=/bin/cat\n\n[group:g]\nprograms=a,b\n';
    fs.writeFileSync(fragment, text);
    fs.writeFileSync(path.join(dir, 'conf.d', 'sub', 'b.conf'), '[program:b]\ncommand=/bin/cat\n');
    // A file with [include] and no [supervisord] that nothing includes is still a main file (its [supervisord] may be in what it includes).
    const alone = path.join(dir, 'alone', 'main.conf');
    fs.mkdirSync(path.dirname(alone));
    fs.writeFileSync(alone, '[include]\nfiles = *.ini\n');
    fs.writeFileSync(path.join(dir, 'alone', 'x.ini'), '[supervisord]\n');
    const server = new ServerUnderTest();
    await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'nested' }] });
    const ask = (file: string) => server.connection.sendRequest<{ role: string; mainFile?: string; files: string[] }>('supervisor/deployment', { textDocument: { uri: pathToFileURL(file).href } });
    await server.open(pathToFileURL(fragment).href, text);
    const published = await server.diagnostics(pathToFileURL(fragment).href);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity]), [['include-in-fragment', 2], ['group-unknown-program', 1]]);
    assert.deepEqual(await ask(fragment), { role: 'fragment', isMainFile: false, mainFile: main, files: [main, fragment], complete: true, machineChecked: false });
    await server.open(pathToFileURL(alone).href, fs.readFileSync(alone, 'utf8'));
    assert.deepEqual(await ask(alone), { role: 'main', isMainFile: false, files: [alone, path.join(dir, 'alone', 'x.ini')], complete: true, machineChecked: false });
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('supervisor.machineChecks: on checks commands, directories and accounts against this machine, off does not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-paths-'));
  try {
    fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'venv', 'bin', 'celery'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'venv', 'bin', 'venv-only-beat'), '#!/bin/sh\n', { mode: 0o755 });
    const text = `[program:worker]\ncommand=${dir}/venv/bin/celry -A proj worker -l info\ndirectory=${dir}\nuser=no-such-account-here\n\n[program:beat]\ncommand=venv-only-beat -A proj\nstdout_logfile=${dir}/logs/beat.log\n`;
    const conf = pathToFileURL(path.join(dir, 'worker.conf')).href;
    const codes = async (machineChecks: string) => {
      const server = new ServerUnderTest({ machineChecks });
      await server.initialize();
      await server.open(conf, text);
      const published = await server.diagnostics(conf);
      const status = await server.connection.sendRequest<{ machineChecked: boolean }>('supervisor/deployment', { textDocument: { uri: conf } });
      assert.equal(status.machineChecked, machineChecks === 'on', 'the language status says whether the machine is checked');
      assert.equal(await server.shutdown(), 0);
      return published.diagnostics.filter((d) => d.code === 'path-not-found' || d.code === 'user-not-found' || d.code === 'folder-not-found').map((d) => d.message);
    };
    const [message, user, onPath, logFolder, ...more] = await codes('on');
    assert.match(logFolder, /supervisor refuses the file: "The directory named as part of the path .*\/logs\/beat\.log does not exist"/);
    assert.deepEqual(more, []);
    assert.match(user, /This machine has no account no-such-account-here/);
    assert.match(message, /can't find command '.*\/venv\/bin\/celry'.*Did you mean .*\/venv\/bin\/celery\?/);
    // Without a folder: the PATH of supervisord here (none runs in the tests: systemd's), and the worker's folder as the guess.
    assert.match(onPath, /can't find command 'venv-only-beat'.*It looks only in the PATH .*Did you mean .*\/venv\/bin\/venv-only-beat\?/);
    assert.deepEqual(await codes('off'), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a project file that the main config's conf.d links to is part of that deployment (Alliance Auth's layout)", async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-linked-')));
  try {
    const main = path.join(dir, 'etc', 'supervisord.conf');
    fs.mkdirSync(path.join(dir, 'etc', 'conf.d'), { recursive: true });
    fs.writeFileSync(main, read('supervisord.conf'));
    fs.copyFileSync(path.join(root, 'conf.d', '30-memmon.conf'), path.join(dir, 'etc', 'conf.d', '30-memmon.conf'));
    // ln -s /home/allianceserver/myauth/supervisor.conf /etc/supervisor/conf.d/10-workers.conf
    const project = path.join(dir, 'myauth', 'supervisor.conf');
    fs.mkdirSync(path.dirname(project));
    fs.writeFileSync(project, read('conf.d/10-workers.conf'));
    fs.symlinkSync(project, path.join(dir, 'etc', 'conf.d', '10-workers.conf'));
    const server = new ServerUnderTest({ mainConfig: main });
    await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(path.dirname(project)).href, name: 'myauth' }] });
    const projectUri = pathToFileURL(project).href;
    await server.open(projectUri, read('conf.d/10-workers.conf'));
    const published = await server.diagnostics(projectUri);
    assert.deepEqual(published.diagnostics.map((d) => d.code), [], 'the memmon listener of the other fragment counts');
    const summary = await server.connection.sendRequest<{ role: string; mainFile?: string; files: string[] }>('supervisor/deployment', { textDocument: { uri: projectUri } });
    assert.deepEqual(summary, { role: 'fragment', isMainFile: false, mainFile: main, files: [main, project, path.join(dir, 'etc', 'conf.d', '30-memmon.conf')], complete: true, machineChecked: false });
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("%(here)s in a project file that conf.d links to is the link's folder, as supervisor expands it (Alliance Auth's layout)", async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-linked-here-')));
  try {
    const main = path.join(dir, 'etc', 'supervisord.conf');
    const confd = path.join(dir, 'etc', 'conf.d');
    fs.mkdirSync(confd, { recursive: true });
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    const project = path.join(dir, 'myauth', 'supervisor.conf');
    fs.mkdirSync(path.dirname(project));
    const text = '[program:web]\ncommand=/bin/cat\ndirectory=%(here)s/app\nstdout_logfile=%(here)s/logs/web.log\n';
    fs.writeFileSync(project, text);
    // supervisor globs conf.d/*.conf and expands %(here)s to the folder of the path it matched: etc/conf.d, not myauth.
    fs.symlinkSync('../../myauth/supervisor.conf', path.join(confd, 'myauth.conf'));
    const projectUri = pathToFileURL(project).href;
    const open = async (edited = text) => {
      const server = new ServerUnderTest({ mainConfig: main, machineChecks: 'on' });
      await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(path.dirname(project)).href, name: 'myauth' }] });
      await server.open(projectUri, edited);
      const published = await server.diagnostics(projectUri);
      return { server, found: published.diagnostics.filter((d) => d.code === 'folder-not-found' || d.code === 'path-not-found').map((d) => [d.code, d.message]) };
    };

    // The project's own app/ and logs/ are not what supervisor looks for: it refuses the file.
    fs.mkdirSync(path.join(dir, 'myauth', 'app'));
    fs.mkdirSync(path.join(dir, 'myauth', 'logs'));
    const refused = await open();
    assert.deepEqual(refused.found.map(([code]) => code), ['path-not-found', 'folder-not-found']);
    assert.match(refused.found[0][1], new RegExp(`couldn't chdir to ${confd}/app`));
    assert.match(refused.found[1][1], new RegExp(`The directory named as part of the path ${confd}/logs/web\\.log does not exist`));
    assert.equal(await refused.server.shutdown(), 0);

    // Those of conf.d are: no finding, and the log's link and the completion after %(here)s/ are there.
    fs.rmSync(path.join(dir, 'myauth', 'app'), { recursive: true });
    fs.rmSync(path.join(dir, 'myauth', 'logs'), { recursive: true });
    fs.mkdirSync(path.join(confd, 'app'));
    fs.mkdirSync(path.join(confd, 'logs'));
    fs.writeFileSync(path.join(confd, 'logs', 'web.log'), '');
    const edited = `${text}\n[program:other]\ndirectory=%(here)s/\n`;
    const runs = await open(edited);
    assert.deepEqual(runs.found, []);
    const links = await runs.server.connection.sendRequest<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri: projectUri } });
    assert.deepEqual(links.map((l) => l.target), [pathToFileURL(path.join(confd, 'logs', 'web.log')).href]);
    const lines = edited.split('\n');
    const line = lines.length - 2;
    const { items } = await runs.server.connection.sendRequest<{ items: { label: string }[] }>('textDocument/completion', {
      textDocument: { uri: projectUri },
      position: { line, character: lines[line].length },
      context: { triggerKind: 2, triggerCharacter: '/' },
    });
    assert.deepEqual(items.map((i) => i.label), ['app/', 'logs/']);
    const summary = await runs.server.connection.sendRequest<{ files: string[] }>('supervisor/deployment', { textDocument: { uri: projectUri } });
    assert.deepEqual(summary.files, [main, project], 'the file edited is still the project file');
    assert.equal(await runs.server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("path completion from this machine's disk (after %(here)s/ too); '/' elsewhere opens no popup; a list cut short is incomplete", async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-complete-')));
  try {
    fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'venv', 'bin', 'celery'), '#!/bin/sh\n', { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'project'));
    // A folder like /usr/bin: more programs than a list holds, python3 sorted last.
    fs.mkdirSync(path.join(dir, 'project', 'bin'), { recursive: true });
    for (const name of [...Array.from({ length: 500 }, (_, i) => `a${String(i).padStart(3, '0')}`), 'python3']) fs.writeFileSync(path.join(dir, 'project', 'bin', name), '', { mode: 0o755 });
    const text = `[program:worker]\ncommand=${dir}/venv/bin/\ndirectory=${dir}/\nstartsecs=/\n[program:big]\ncommand=${dir}/project/bin/\n[program:python]\ncommand=${dir}/project/bin/pyth\n[program:here]\ndirectory=%(here)s/\n`;
    const conf = pathToFileURL(path.join(dir, 'worker.conf')).href;
    const server = await start();
    await server.open(conf, text);
    const ask = (line: number, triggerCharacter?: string) =>
      server.connection.sendRequest<{ isIncomplete: boolean; items: { label: string; kind: number; textEdit: { newText: string } }[] }>('textDocument/completion', {
        textDocument: { uri: conf },
        position: { line, character: text.split('\n')[line].length },
        context: triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 },
      });
    const complete = async (line: number, triggerCharacter?: string) => (await ask(line, triggerCharacter)).items.map((i) => [i.label, i.kind, i.textEdit.newText]);
    assert.deepEqual(await complete(1, '/'), [['celery', 17, 'celery']]); // CompletionItemKind.File
    assert.deepEqual(await complete(2, '/'), [['project/', 19, 'project/'], ['venv/', 19, 'venv/']]); // Folder
    assert.deepEqual(await complete(3, '/'), [], 'startsecs is not a path');
    const big = await ask(5, '/');
    assert.deepEqual([big.isIncomplete, big.items.length, big.items.some((i) => i.label === 'python3')], [true, 500, false], 'cut short, and says so');
    assert.deepEqual([(await ask(7)).isIncomplete, await complete(7)], [false, [['python3', 17, 'python3']]], 'asked again as the name is typed');
    assert.deepEqual((await ask(1, '/')).isIncomplete, false);
    assert.deepEqual(await complete(9, '/'), [['project/', 19, 'project/'], ['venv/', 19, 'venv/']], "%(here)s/: the document's folder");
    assert.equal(await server.shutdown(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
