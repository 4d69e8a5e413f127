/** What the editor tells the server besides edits: workspace folders, settings per folder, closing and reopening. */
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
const WORKERS = 'conf.d/10-workers.conf';
/** The workers fragment checked alone: its memmon listener is in another file. */
const ALONE = ['celery-memory-limit-missing', 'celery-memory-limit-missing'];

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-editor-events-'));
  fs.cpSync(fixture('deployment'), root, { recursive: true });
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a workspace folder added or removed while the server runs: open files are checked with the deployments it holds', async () => {
  const server = new ServerUnderTest();
  try {
    const { capabilities } = await server.initialize({
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
      workspaceFolders: [{ uri: pathToFileURL(os.tmpdir()).href + '/elsewhere', name: 'elsewhere' }],
    });
    assert.deepEqual((capabilities.workspace as { workspaceFolders?: unknown } | undefined)?.workspaceFolders, { supported: true, changeNotifications: true });
    await server.open(uri(WORKERS), read(WORKERS));
    assert.deepEqual((await server.diagnostics(uri(WORKERS))).diagnostics.map((d) => d.code), ALONE, 'the main file is in no workspace folder yet');

    const folder = { uri: pathToFileURL(root).href, name: 'deploy' };
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    await server.nextDiagnostics(uri(WORKERS), (p) => p.diagnostics.length === 0);

    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    await server.nextDiagnostics(uri(WORKERS), (p) => p.diagnostics.length === 2);
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
  }
});

test('supervisor.mainConfig is read for each file: a folder of a multi-root workspace may set its own', async () => {
  const server = new ServerUnderTest();
  try {
    const confd = pathToFileURL(path.join(root, 'conf.d')).href;
    // As VS Code answers: the folder's .vscode/settings.json applies only when the request names a file of that folder.
    server.connection.onRequest('workspace/configuration', ({ items }: { items: { scopeUri?: string }[] }) =>
      items.map((item) => (item.scopeUri?.startsWith(`${confd}/`) ? { mainConfig: path.join(root, 'supervisord.conf') } : null)),
    );
    await server.initialize({ workspaceFolders: [{ uri: confd, name: 'conf.d' }, { uri: pathToFileURL(os.tmpdir()).href + '/other', name: 'other' }] });
    await server.open(uri(WORKERS), read(WORKERS));
    assert.deepEqual((await server.diagnostics(uri(WORKERS))).diagnostics.map((d) => d.code), [], "checked with the folder's main config");
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
  }
});

test('settings of the wrong type or out of range are each said once, in a warning, and the rest of the settings still apply', async () => {
  const server = new ServerUnderTest({
    rules: { 'celery-loglevel-missing': 'off', 'duplicate-kye': 'off' },
    celery: { serverCpuCount: '4', maxMemoryPerChildKiB: -1, version: 5.3 },
    machineChecks: true,
    mainConfig: 'deploy/supervisord.conf',
    // Read by the VS Code client: the server warns of them too, since it gets the whole section.
    detectByContent: 'false',
    inlayHints: { units: 0, processNames: false },
  });
  const messages: { type: number; message: string }[] = [];
  server.connection.onNotification('window/showMessage', (m: { type: number; message: string }) => void messages.push(m));
  try {
    await server.initialize();
    for (const name of ['a.conf', 'b.conf']) {
      await server.open(`file:///srv/${name}`, '[program:w]\ncommand=celery -A proj worker\n');
      const published = await server.diagnostics(`file:///srv/${name}`);
      assert.ok(!published.diagnostics.some((d) => d.code === 'celery-loglevel-missing'), 'the valid rule setting applies');
    }
    assert.deepEqual(
      messages.map((m) => [m.type, m.message]),
      [
        [2, 'supervisor.celery.version is 5.3, not a version such as "5.3": Celery 5.2 is assumed.'],
        [2, 'supervisor.celery.maxMemoryPerChildKiB is -1, not a whole number of 1 or more: fixes write 262144.'],
        [2, 'supervisor.celery.serverCpuCount is "4", not a whole number of 1 or more (or null): it is taken as unset.'],
        [2, 'supervisor.detectByContent is "false", not true or false: it stays on.'],
        [2, 'supervisor.inlayHints.units is 0, not true or false: it stays on.'],
        [2, 'supervisor.rules names "duplicate-kye", which is not a rule code (did you mean duplicate-key?): it changes nothing.'],
        [2, 'supervisor.mainConfig is "deploy/supervisord.conf", not an absolute path such as "/etc/supervisor/supervisord.conf": it is ignored.'],
        [2, 'supervisor.machineChecks is true, not one of auto, on, off: auto is used.'],
      ],
    );
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
  }
});

/** The warnings the server shows while it checks the workers fragment with `mainConfig` set. */
async function mainConfigWarnings(mainConfig: string): Promise<string[]> {
  const server = new ServerUnderTest({ mainConfig });
  const messages: string[] = [];
  server.connection.onNotification('window/showMessage', (m: { message: string }) => void messages.push(m.message));
  try {
    await server.initialize();
    await server.open(uri(WORKERS), read(WORKERS));
    await server.diagnostics(uri(WORKERS));
    assert.equal(await server.shutdown(), 0);
    return messages;
  } finally {
    server.kill();
  }
}

test('a supervisor.mainConfig that names no file is said in a warning: the fragments are checked without it', async () => {
  const missing = path.join(root, 'no-such-dir', 'supervisord.conf');
  assert.deepEqual(await mainConfigWarnings(missing), [`supervisor.mainConfig is ${JSON.stringify(missing)}, which is no file on this machine: fragments are checked without it.`]);
});

test('a supervisor.mainConfig behind a file (ENOTDIR) is warned of too, and the file is still checked (review: the stat threw)', async () => {
  const blocked = path.join(root, WORKERS, 'supervisord.conf');
  assert.deepEqual(await mainConfigWarnings(blocked), [`supervisor.mainConfig is ${JSON.stringify(blocked)}, which is no file on this machine: fragments are checked without it.`]);
});

test('a file closed while its check waits, and opened again with other text: only the new text is reported', async () => {
  const server = new ServerUnderTest();
  // The first settings request waits until released: the check of the first text is still pending when it closes.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  server.connection.onRequest('workspace/configuration', async ({ items }: { items: unknown[] }) => {
    if (asked++ === 0) await gate;
    return items.map(() => null);
  });
  try {
    await server.initialize();
    const file = 'file:///srv/reopened.conf';
    await server.open(file, '[program:w]\ncommand=ls\nthis line is not valid\n', 1);
    for (let i = 0; i < 100 && asked === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await server.close(file);
    // Reopened as a new document: the editor numbers its versions from 1 again (the file changed on disk meanwhile).
    await server.open(file, '[program:w]\ncommand=ls\n', 1);
    await server.nextDiagnostics(file, (p) => p.version === 1);
    release();
    await new Promise((r) => setTimeout(r, 300));
    const last = await server.diagnostics(file);
    assert.deepEqual(last.diagnostics.map((d) => d.code), [], 'the findings of the closed text');
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
  }
});

test('a file outside the workspace saved as UTF-8 loses invalid-utf8 at once: the save is heard, no watcher reaches there', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-saved-'));
  const file = path.join(dir, 'celery.conf');
  const fileUri = pathToFileURL(file).href;
  const latin1 = Buffer.from('[program:worker]\ncommand=/bin/echo caf\xe9\n', 'latin1');
  fs.writeFileSync(file, latin1);
  const server = new ServerUnderTest();
  try {
    const { capabilities } = await server.initialize({ workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'deploy' }] });
    assert.ok((capabilities.textDocumentSync as { save?: unknown }).save, 'the client is asked to tell of saves');
    const text = latin1.toString('latin1'); // as an editor that guessed Latin-1 shows it
    await server.open(fileUri, text);
    const opened = await server.diagnostics(fileUri, (p) => p.version === 1);
    assert.ok(opened.diagnostics.some((d) => d.code === 'invalid-utf8'));
    // "Save with Encoding: UTF-8": the same text, other bytes; no edit, and the file is in no watched folder.
    fs.writeFileSync(file, text, 'utf8');
    await server.connection.sendNotification('textDocument/didSave', { textDocument: { uri: fileUri } });
    const saved = await server.nextDiagnostics(fileUri, () => true, 5000);
    assert.deepEqual(saved.diagnostics.filter((d) => d.code === 'invalid-utf8'), []);
    assert.equal(await server.shutdown(), 0);
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
