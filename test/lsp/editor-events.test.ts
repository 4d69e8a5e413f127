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
