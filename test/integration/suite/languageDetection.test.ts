import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  currentDocument,
  extension,
  fixtureUri,
  LANGUAGE_ID,
  openSupervisor,
  sleep,
  supervisorDiagnostics,
  waitFor,
} from './helpers';

/** One fixture for each file name and path pattern the extension claims in its manifest. */
const CLAIMED_BY_NAME = [
  'supervisord.conf',
  'deploy/supervisor.conf',
  'etc/supervisor/conf.d/celery.conf',
  'etc/supervisor/conf.d/extra.ini',
  'deploy/supervisord/conf.d/flower.conf',
  'deploy/supervisord/conf.d/memmon.ini',
  'deploy/supervisor.d/beat.conf',
  'deploy/supervisor.d/worker.ini',
  'etc/supervisord.d/web.conf',
  'etc/supervisord.d/broken.ini',
];

/** `**` and `*` of a VS Code glob as a regular expression over a workspace-relative path. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${source}$`);
}

/** Opens a file without waiting for any language; returns the document as it is right after opening. */
async function openRaw(relative: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fixtureUri(relative));
}

async function languageAfterSettling(relative: string, ms = 1_500): Promise<string> {
  const doc = await openRaw(relative);
  await sleep(ms);
  return (currentDocument(doc.uri) ?? doc).languageId;
}

describe('language detection', () => {
  before(activateExtension);

  it('has a fixture for every file name and pattern the manifest claims', () => {
    const languages = (extension().packageJSON as { contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[] } })
      .contributes.languages.filter((l) => l.id === LANGUAGE_ID);
    const filenames = languages.flatMap((l) => l.filenames ?? []);
    const patterns = languages.flatMap((l) => l.filenamePatterns ?? []);
    assert.ok(filenames.length > 0 && patterns.length > 0);
    for (const name of filenames) {
      assert.ok(CLAIMED_BY_NAME.some((f) => f === name || f.endsWith(`/${name}`)), `no fixture named ${name}`);
    }
    for (const pattern of patterns) {
      const re = globToRegExp(pattern);
      assert.ok(CLAIMED_BY_NAME.some((f) => re.test(f)), `no fixture matches ${pattern}`);
    }
  });

  it('opens every claimed file name as supervisor at once, from its name alone @smoke', async () => {
    for (const relative of CLAIMED_BY_NAME) {
      const doc = await openRaw(relative);
      assert.equal(doc.languageId, LANGUAGE_ID, `${relative} opened as ${doc.languageId}`);
    }
  });

  it('switches a celery.conf whose first section is [program:x] to supervisor @smoke', async () => {
    const doc = await openSupervisor('detect/celery.conf');
    assert.equal(doc.languageId, LANGUAGE_ID);
    // ... and then checks it like any other supervisor config.
    await waitFor('diagnostics on the detected file', () => supervisorDiagnostics(doc.uri).length > 0);
  });

  it('switches an .ini file whose first section, after comments, is [supervisord]', async () => {
    const doc = await openSupervisor('detect/app.ini');
    assert.equal(doc.languageId, LANGUAGE_ID);
  });

  it('recognises a file without extension by its first line', async () => {
    const doc = await openRaw('detect/worker-config');
    await waitFor('worker-config to be supervisor', () => currentDocument(doc.uri)?.languageId === LANGUAGE_ID);
  });

  it('switches a template (celery.conf.j2) that no other extension claims, and reports nothing on its template lines', async () => {
    const doc = await openRaw('detect/templates/celery.conf.j2');
    await waitFor('celery.conf.j2 to be supervisor', () => currentDocument(doc.uri)?.languageId === LANGUAGE_ID);
    const ds = await waitFor('the template finding', () => supervisorDiagnostics(doc.uri).some((d) => codeOf(d) === 'template-file') && supervisorDiagnostics(doc.uri));
    // {{ ansible_managed }} and {% for %} render to text this file does not show, and to nothing.
    assert.deepEqual(ds.filter((d) => d.range.start.line === 0 || d.range.start.line === 1).map(codeOf), ['template-file']);
    assert.ok(ds.some((d) => codeOf(d) === 'celery-memory-limit-missing'), 'the worker is checked');
  });

  it('switches a detected file again when it is closed and opened again, and leaves one the user switched back', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-reopen-'));
    const uri = vscode.Uri.file(path.join(dir, 'celery.conf'));
    fs.writeFileSync(uri.fsPath, '[program:worker]\ncommand=celery -A proj worker -l info\n');
    try {
      // vscode.open, not openTextDocument: a document that API opened stays open for minutes after its editor closes.
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor('celery.conf to be supervisor', () => currentDocument(uri)?.languageId === LANGUAGE_ID);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('celery.conf to be closed', () => !currentDocument(uri), 30_000);
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor('celery.conf to be supervisor again', () => currentDocument(uri)?.languageId === LANGUAGE_ID);
      await vscode.languages.setTextDocumentLanguage(currentDocument(uri)!, 'properties');
      await sleep(1_000);
      assert.equal(currentDocument(uri)?.languageId, 'properties', 'switched back by the user');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves .conf and .ini files of other programs alone', async () => {
    const settings = await languageAfterSettling('detect/settings.conf');
    assert.notEqual(settings, LANGUAGE_ID);
    const tox = await languageAfterSettling('detect/tox.ini', 200);
    assert.notEqual(tox, LANGUAGE_ID);
  });

  it('switches an Untitled plain-text editor a supervisor config is pasted into, once: the language the user picks then stays', async function () {
    this.timeout(60_000);
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    await vscode.window.showTextDocument(doc);
    try {
      await sleep(300);
      assert.equal(currentDocument(doc.uri)?.languageId, 'plaintext', 'empty, it is left alone');
      await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(0, 0), '[program:worker]\ncommand=celery -A proj worker -l info\n'));
      await waitFor('the pasted config to be supervisor', () => currentDocument(doc.uri)?.languageId === LANGUAGE_ID);
      await vscode.languages.setTextDocumentLanguage(currentDocument(doc.uri)!, 'plaintext');
      await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(0, 0), '; edited\n'));
      await sleep(1_000);
      assert.equal(currentDocument(doc.uri)?.languageId, 'plaintext', 'switched back by the user');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('leaves a .txt file alone until the user runs "Treat This File as a Supervisor Config"', async () => {
    const doc = await openRaw('detect/manual.txt');
    await sleep(500);
    assert.equal(currentDocument(doc.uri)?.languageId, 'plaintext');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('supervisor.treatAsSupervisor');
    await waitFor('manual.txt to be supervisor', () => currentDocument(doc.uri)?.languageId === LANGUAGE_ID);
  });
});
