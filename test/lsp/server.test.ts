/** The built server over stdio, as any editor would drive it. Run `npm run build` first (npm test does). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerUnderTest } from '../support/lspClient';

const URI = 'file:///srv/app/supervisor/conf.d/celery.conf';
const BROKEN = '[program:worker]\ncommand=celery -A proj worker\nthis line is not valid\n';
const FIXED = '[program:worker]\ncommand=celery -A proj worker\n';

test('initialize announces the features the server implements', async () => {
  const server = new ServerUnderTest();
  const { capabilities } = await server.initialize();
  assert.equal((capabilities.textDocumentSync as { change: number }).change, 1, 'full document sync');
  for (const cap of ['hoverProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'completionProvider', 'codeActionProvider']) {
    assert.ok(capabilities[cap], `${cap} missing`);
  }
  assert.equal(await server.shutdown(), 0);
});

test('diagnostics on open, on change (with the version), and cleared on close', async () => {
  const server = new ServerUnderTest();
  await server.initialize();
  await server.open(URI, BROKEN, 1, 'ini'); // another editor's language id: analysed all the same
  const first = await server.diagnostics(URI, (p) => p.version === 1);
  const parseError = first.diagnostics.find((d) => d.code === 'invalid-line');
  assert.ok(parseError, JSON.stringify(first.diagnostics));
  assert.equal(parseError.severity, 1);
  assert.equal(parseError.source, 'supervisor');
  assert.deepEqual(parseError.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 22 } });
  assert.match(parseError.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/invalid-line\.md$/);

  await server.change(URI, FIXED, 2);
  const second = await server.diagnostics(URI, (p) => p.version === 2);
  assert.equal(second.diagnostics.filter((d) => d.code === 'invalid-line').length, 0);

  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
  const closed = await server.diagnostics(URI, (p) => p.version === undefined && p.diagnostics.length === 0);
  assert.deepEqual(closed.diagnostics, []);
  assert.equal(await server.shutdown(), 0);
});

test('rapid changes publish diagnostics for the latest version', async () => {
  const server = new ServerUnderTest();
  await server.initialize();
  await server.open(URI, FIXED, 1);
  for (let v = 2; v <= 40; v++) await server.change(URI, v % 2 ? BROKEN : FIXED, v);
  const last = await server.diagnostics(URI, (p) => p.version === 40);
  assert.equal(last.diagnostics.filter((d) => d.code === 'invalid-line').length, 0);
  assert.equal(await server.shutdown(), 0);
});

test('document symbols: one per section named as in its brackets, keys as children', async () => {
  const server = new ServerUnderTest();
  await server.initialize();
  await server.open(URI, '[supervisord]\nlogfile=/tmp/s.log\n\n[program:worker]\ncommand=celery -A proj worker\n  -l info\nuser=app\n');
  const symbols = await server.connection.sendRequest<{ name: string; children: { name: string }[] }[]>('textDocument/documentSymbol', {
    textDocument: { uri: URI },
  });
  assert.deepEqual(
    symbols.map((s) => [s.name, s.children.map((c) => c.name)]),
    [
      ['supervisord', ['logfile']],
      ['program:worker', ['command', 'user']],
    ],
  );
  const folds = await server.connection.sendRequest<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
  assert.ok(folds.some((f) => f.startLine === 3 && f.endLine === 6), JSON.stringify(folds));
  assert.equal(await server.shutdown(), 0);
});

test('a null configuration answer means defaults, and requests for unopened documents get an answer', async () => {
  const server = new ServerUnderTest(null);
  await server.initialize();
  const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope.conf' }, position: { line: 0, character: 0 } });
  assert.equal(hover, null);
  await server.open(URI, BROKEN);
  const d = await server.diagnostics(URI);
  assert.ok(d.diagnostics.length > 0);
  assert.equal(await server.shutdown(), 0);
});

test('an opened document is checked at once; only edits wait for a pause in typing', async () => {
  const server = new ServerUnderTest();
  try {
    // A typing delay far longer than the test may take: diagnostics that arrive came without it.
    await server.initialize({ initializationOptions: { validateDelayMs: 600_000 } });
    await server.open(URI, BROKEN, 1);
    const opened = await server.diagnostics(URI, (p) => p.version === 1, 5000);
    assert.ok(opened.diagnostics.some((d) => d.code === 'invalid-line'));
    await server.change(URI, FIXED, 2);
    await assert.rejects(server.diagnostics(URI, (p) => p.version === 2, 1000), /no matching diagnostics/);
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
  }
});

test('"Fix all" actions leave their edit to codeAction/resolve when the client can resolve it', async () => {
  const text = '[program:w]\ncommand=ls\nuser=a\nuser=b\nuser=c\nuser=d\n';
  type Action = { title: string; edit?: unknown; data?: unknown; diagnostics?: unknown[] };
  const request = (server: ServerUnderTest) =>
    server.connection.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
      context: { diagnostics: [] },
    });
  const fixAll = (actions: Action[]) => actions.find((a) => a.title.startsWith('Fix all duplicate-key'))!;

  const eager = new ServerUnderTest();
  await eager.initialize();
  await eager.open(URI, text);
  const full = fixAll(await request(eager));
  assert.ok(full.edit, 'a client without resolve support gets the edit at once');
  assert.equal(await eager.shutdown(), 0);

  const lazy = new ServerUnderTest();
  await lazy.initialize({
    capabilities: { workspace: { configuration: true }, textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } },
  });
  await lazy.open(URI, text);
  const offered = fixAll(await request(lazy));
  assert.equal(offered.title, full.title);
  assert.equal(offered.edit, undefined, 'no edit until the action is chosen');
  assert.equal(offered.diagnostics?.length, 1, 'only the findings in the requested range');
  const resolved = await lazy.connection.sendRequest<{ edit?: unknown }>('codeAction/resolve', offered);
  assert.deepEqual(resolved.edit, full.edit);

  await lazy.change(URI, `${text}user=e\n`, 2);
  const stale = await lazy.connection.sendRequest<{ edit?: unknown }>('codeAction/resolve', offered);
  assert.equal(stale.edit, undefined, 'an action offered for an older version resolves to no edit');
  assert.equal(await lazy.shutdown(), 0);
});

test('inlay hints: units and process names in the requested range, each kind off by its setting', async () => {
  const text = '[program:worker]\ncommand=celery -A proj worker --max-memory-per-child 262144\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\nstopwaitsecs=600\n';
  const request = (server: ServerUnderTest, endLine = 10) =>
    server.connection.sendRequest<{ position: { line: number; character: number }; label: string; paddingLeft?: boolean }[]>('textDocument/inlayHint', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: endLine, character: 0 } },
    });

  const server = new ServerUnderTest();
  const { capabilities } = await server.initialize();
  assert.ok(capabilities.inlayHintProvider, 'inlayHintProvider missing');
  await server.open(URI, text);
  assert.deepEqual(
    (await request(server)).map((h) => [h.position.line, h.position.character, h.label, h.paddingLeft]),
    [
      [1, 59, '= 256 MB', true],
      [3, 45, '→ worker_0, worker_1', true],
      [4, 16, '= 10 min', true],
    ],
  );
  assert.deepEqual((await request(server, 2)).map((h) => h.label), ['= 256 MB'], 'only the lines asked for');
  assert.equal(await server.shutdown(), 0);

  const configured = new ServerUnderTest({ inlayHints: { units: false, processNames: true } });
  await configured.initialize();
  await configured.open(URI, text);
  assert.deepEqual((await request(configured)).map((h) => h.label), ['→ worker_0, worker_1']);
  assert.equal(await configured.shutdown(), 0);
});

test('related locations: sent to a client that shows them, left out for one that does not', async () => {
  const text = '[program:w]\ncommand=x\nuser=a\nuser=b\n';
  const capabilities = { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } } };
  const server = new ServerUnderTest();
  await server.initialize({ capabilities });
  await server.open(URI, text);
  const published = await server.diagnostics(URI);
  const duplicate = published.diagnostics.find((d) => d.code === 'duplicate-key') as { relatedInformation?: { location: { uri: string; range: unknown }; message: string }[] };
  assert.deepEqual(duplicate.relatedInformation, [
    { location: { uri: URI, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } } }, message: 'The earlier user=, which supervisor ignores' },
  ]);
  assert.equal(await server.shutdown(), 0);

  const plain = new ServerUnderTest();
  await plain.initialize();
  await plain.open(URI, text);
  const without = await plain.diagnostics(URI);
  assert.equal((without.diagnostics.find((d) => d.code === 'duplicate-key') as { relatedInformation?: unknown }).relatedInformation, undefined);
  assert.equal(await plain.shutdown(), 0);
});

test('completion in a word: an insert and a replace range for a client that takes both, the whole word for one that does not', async () => {
  const text = '[program:w]\ncommand=celery -A proj worker --conc=4\n';
  const ask = async (server: ServerUnderTest) => {
    await server.open(URI, text);
    const { items } = await server.connection.sendRequest<{ items: { label: string; textEdit: Record<string, unknown> }[] }>('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 1, character: 35 }, // --con|c=4
    });
    return items.find((i) => i.label === '--concurrency')!.textEdit;
  };
  const capabilities = {
    workspace: { configuration: true },
    textDocument: { publishDiagnostics: { versionSupport: true }, completion: { completionItem: { insertReplaceSupport: true } } },
  };
  const server = new ServerUnderTest();
  await server.initialize({ capabilities });
  assert.deepEqual(await ask(server), {
    newText: '--concurrency',
    insert: { start: { line: 1, character: 30 }, end: { line: 1, character: 35 } },
    replace: { start: { line: 1, character: 30 }, end: { line: 1, character: 36 } },
  });
  assert.equal(await server.shutdown(), 0);

  const plain = new ServerUnderTest();
  await plain.initialize();
  assert.deepEqual(await ask(plain), { newText: '--concurrency', range: { start: { line: 1, character: 30 }, end: { line: 1, character: 36 } } });
  assert.equal(await plain.shutdown(), 0);
});

test('completion on a line of its own in programs=: the comma after the name above arrives as an additional edit', async () => {
  const text = '[program:beat]\ncommand=celery -A proj beat\n\n[program:worker]\ncommand=celery -A proj worker\n\n[group:celery]\nprograms=beat\n    \n';
  const server = new ServerUnderTest();
  await server.initialize();
  await server.open(URI, text);
  const { items } = await server.connection.sendRequest<{ items: { label: string; textEdit: unknown; additionalTextEdits?: unknown }[] }>('textDocument/completion', {
    textDocument: { uri: URI },
    position: { line: 8, character: 4 },
  });
  assert.deepEqual(items.map((i) => [i.label, i.textEdit, i.additionalTextEdits]), [
    ['worker', { range: { start: { line: 8, character: 4 }, end: { line: 8, character: 4 } }, newText: 'worker' }, [{ range: { start: { line: 7, character: 13 }, end: { line: 7, character: 13 } }, newText: ',' }]],
  ]);
  assert.equal(await server.shutdown(), 0);
});

test('diagnostic tags: faded and struck-through text for a client that draws them, none for one that does not', async () => {
  const text = '[program:w]\ncommand=celery -A proj worker --maxtasksperchild=100 -l info\nstartsects=5\n';
  const tagsOf = (published: { diagnostics: { code?: unknown; tags?: number[] }[] }) =>
    Object.fromEntries(published.diagnostics.filter((d) => d.code === 'unknown-key' || d.code === 'celery-removed-option').map((d) => [String(d.code), d.tags]));
  const server = new ServerUnderTest();
  await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { tagSupport: { valueSet: [1, 2] } } } } });
  await server.open(URI, text);
  assert.deepEqual(tagsOf(await server.diagnostics(URI)), { 'celery-removed-option': [2], 'unknown-key': [1] });
  assert.equal(await server.shutdown(), 0);

  const fadesOnly = new ServerUnderTest();
  await fadesOnly.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { tagSupport: { valueSet: [1] } } } } });
  await fadesOnly.open(URI, text);
  assert.deepEqual(tagsOf(await fadesOnly.diagnostics(URI)), { 'celery-removed-option': undefined, 'unknown-key': [1] });
  assert.equal(await fadesOnly.shutdown(), 0);

  const plain = new ServerUnderTest();
  await plain.initialize();
  await plain.open(URI, text);
  assert.deepEqual(tagsOf(await plain.diagnostics(URI)), { 'celery-removed-option': undefined, 'unknown-key': undefined });
  assert.equal(await plain.shutdown(), 0);
});

test('a finding that a setting would resolve offers to change it, through the client command the client names', async () => {
  const text = '[program:w]\ncommand=celery -A proj --skip-checks worker -l info\n';
  const ask = (server: ServerUnderTest) =>
    server.connection.sendRequest<{ title: string; command?: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 1, character: 24 }, end: { line: 1, character: 24 } },
      context: { diagnostics: [] },
    });
  const server = new ServerUnderTest();
  await server.initialize({ initializationOptions: { setSettingCommand: 'client.setSetting' } });
  await server.open(URI, text);
  const actions = await ask(server);
  const set = actions.find((a) => a.command?.command === 'client.setSetting');
  assert.ok(set, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(set.title, 'Set supervisor.celery.version to 5.3 (if the workers run Celery 5.3 or later)');
  // With the document: in a multi-root workspace the client writes the setting where that file's value comes from.
  assert.deepEqual(set.command!.arguments, ['celery.version', '5.3', URI]);
  assert.equal(await server.shutdown(), 0);

  const plain = new ServerUnderTest();
  await plain.initialize();
  await plain.open(URI, text);
  assert.ok(!(await ask(plain)).some((a) => a.title.startsWith('Set supervisor.')), 'no client command, no action');
  assert.equal(await plain.shutdown(), 0);
});

test('selection ranges: one chain per position, innermost first, each a parent of the one before', async () => {
  const server = new ServerUnderTest();
  const { capabilities } = await server.initialize();
  assert.ok(capabilities.selectionRangeProvider);
  await server.open(URI, '[program:worker]\ncommand=celery -A proj worker -l info\nnumprocs=1\n');
  type Chain = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; parent?: Chain };
  const chains = await server.connection.sendRequest<Chain[]>('textDocument/selectionRange', {
    textDocument: { uri: URI },
    positions: [
      { line: 1, character: 34 },
      { line: 0, character: 12 },
    ],
  });
  const flat = (c: Chain | undefined): string[] => (c ? [`${c.range.start.line}:${c.range.start.character}-${c.range.end.line}:${c.range.end.character}`, ...flat(c.parent)] : []);
  assert.deepEqual(flat(chains[0]), ['1:33-1:37', '1:30-1:37', '1:8-1:37', '1:0-1:37', '0:0-2:10']);
  assert.deepEqual(flat(chains[1]), ['0:9-0:15', '0:1-0:15', '0:0-0:16', '0:0-2:10']);
  assert.equal(await server.shutdown(), 0);
});

test('code lenses: a summary above each Celery worker, off with supervisor.codeLens.celeryWorkers', async () => {
  const text = '[program:worker]\ncommand=celery -A proj worker -c 4 --max-memory-per-child 262144\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n[program:web]\ncommand=gunicorn app\n';
  type Lens = { range: { start: { line: number } }; command: { title: string; command: string } };
  const server = new ServerUnderTest();
  const { capabilities } = await server.initialize();
  assert.ok(capabilities.codeLensProvider);
  await server.open(URI, text);
  const lenses = await server.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command.title, l.command.command]),
    [[0, 'Celery worker · prefork · 2 × 4 pool processes · each replaced above 256 MB (at most 2 GB)', '']],
  );
  assert.equal(await server.shutdown(), 0);

  const off = new ServerUnderTest({ codeLens: { celeryWorkers: false } });
  await off.initialize();
  await off.open(URI, text);
  assert.deepEqual(await off.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: URI } }), []);
  assert.equal(await off.shutdown(), 0);
});

test("django-celery's manage.py celeryd: struck through, its rewrite offered as a quick fix that Fix All leaves alone", async () => {
  const text = '[program:w]\ncommand=/v/bin/python /srv/app/manage.py celeryd -l info\nuser=app\n';
  type Action = { title: string; kind?: string; isPreferred?: boolean; edit?: { changes?: Record<string, { newText: string }[]> } };
  const server = new ServerUnderTest();
  await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { tagSupport: { valueSet: [1, 2] } } } } });
  await server.open(URI, text);
  const published = await server.diagnostics(URI);
  const found = published.diagnostics.find((d) => d.code === 'celery-django-celery-command');
  assert.ok(found, published.diagnostics.map((d) => d.code).join());
  assert.deepEqual((found as { tags?: number[] }).tags, [2]);
  assert.deepEqual(found.range, { start: { line: 1, character: 41 }, end: { line: 1, character: 48 } });
  const actions = await server.connection.sendRequest<Action[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: found.range, context: { diagnostics: [found] } });
  const rewrite = actions.find((a) => a.title.startsWith("Run '/v/bin/celery -A app worker'"));
  assert.ok(rewrite, actions.map((a) => a.title).join(' | '));
  assert.equal(rewrite.kind, 'quickfix');
  assert.ok(!rewrite.isPreferred, 'the project needs a Celery app first');
  assert.deepEqual(rewrite.edit?.changes?.[URI].map((e) => e.newText), ['/v/bin/celery -A app worker']);
  const whole = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const fixAll = await server.connection.sendRequest<Action[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } });
  for (const a of fixAll) assert.ok(!JSON.stringify(a.edit ?? {}).includes('celery -A app'), a.title);
  assert.equal(await server.shutdown(), 0);
});

/** A VS Code glob (`**`, `*`, `{a,b}`, `[xX]`) as a RegExp over '/'-separated paths, case-sensitive as VS Code's globs are on Linux. */
function vscodeGlob(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) (source += '(?:[^/]*/)*'), (i += 2);
    else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') (source += '(?:'), braces++;
    else if (c === '}') (source += ')'), braces--;
    else if (c === ',' && braces > 0) source += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      source += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
      i = end;
    } else source += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

test('the server asks to hear of changes to .conf and .ini files in any case (SUPERVISORD.CONF, worker.CONF)', async () => {
  const server = new ServerUnderTest();
  const registered = new Promise<{ method: string; registerOptions: { watchers: { globPattern: string }[] } }[]>((resolve) =>
    server.connection.onRequest('client/registerCapability', (params: { registrations: [] }) => (resolve(params.registrations), null)),
  );
  await server.initialize({ capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } } });
  const watchers = (await registered).find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions.watchers;
  const watched = (file: string) => watchers.some((w) => vscodeGlob(w.globPattern).test(file));
  for (const file of ['/etc/supervisor/supervisord.conf', '/etc/SUPERVISORD.CONF', '/srv/app/deploy/worker.CONF', '/srv/app/celery.Ini', '/a.ini']) assert.ok(watched(file), file);
  for (const file of ['/srv/app/notes.txt', '/srv/app/celery.confx', '/srv/app/celery.conf.j2']) assert.ok(!watched(file), file);
  assert.equal(await server.shutdown(), 0);
});

test('a file whose bytes on disk are not UTF-8 gets invalid-utf8, however the editor decoded it, until it is saved as UTF-8', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-latin1-'));
  const file = path.join(dir, 'celery.conf');
  const uri = pathToFileURL(file).href;
  // "café" saved as Latin-1 by some other editor: supervisord stops with a UnicodeDecodeError.
  const latin1 = Buffer.from('[program:worker]\ncommand=/bin/echo caf\xe9\n', 'latin1');
  fs.writeFileSync(file, latin1);
  const server = new ServerUnderTest();
  await server.initialize();
  try {
    const codes = async (version: number) => (await server.diagnostics(uri, (p) => p.version === version)).diagnostics.filter((d) => d.code === 'invalid-utf8');
    await server.open(uri, new TextDecoder().decode(latin1)); // decoded as UTF-8: U+FFFD for the byte
    const [asUtf8] = await codes(1);
    assert.deepEqual(asUtf8?.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 22 } });
    assert.match(asUtf8.message, /0xE9.*save it as UTF-8/);
    await server.change(uri, latin1.toString('latin1'), 2); // as an editor that guessed Latin-1 shows it
    assert.deepEqual((await codes(2))[0]?.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 22 } });
    // Saved as UTF-8: the watcher tells the server, and the finding goes.
    fs.writeFileSync(file, latin1.toString('latin1'), 'utf8');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    const after = await server.nextDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'invalid-utf8'), []);
  } finally {
    assert.equal(await server.shutdown(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
