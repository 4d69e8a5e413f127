import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsWhen, fixtureUri, openSupervisor, sleep, waitFor } from './helpers';

/** multi/: a main file that includes conf.d/*.conf, with workers, a web group and a memmon listener in three fragments. */
describe('one deployment, many files', () => {
  before(activateExtension);

  it('a memmon listener in another fragment protects the workers of this one', async () => {
    const doc = await openSupervisor('multi/conf.d/10-workers.conf', true);
    // The fragment is clean, so nothing shows when it has been analysed: an unknown key (unsaved) does.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === doc);
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), 'probe=1\n'));
    const ds = await diagnosticsWhen(doc.uri, 'the fragment to be analysed with its deployment', (d) => d.some((x) => codeOf(x) === 'unknown-key'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.deepEqual(
      ds.filter((d) => codeOf(d) === 'celery-memory-limit-missing').map((d) => d.range.start.line),
      [],
      'memmon -c in 30-memmon.conf watches both workers',
    );
  });

  it('the language status says which files a document was checked with', async () => {
    const api = (await activateExtension()).exports as { deploymentStatus(): { text: string; detail?: string; command?: string } };
    await openSupervisor('multi/conf.d/20-web.conf', true);
    const fragment = await waitFor('the status of a fragment', () => {
      const s = api.deploymentStatus();
      return s.text.startsWith('Included by') ? s : undefined;
    });
    assert.equal(fragment.text, 'Included by supervisord.conf');
    assert.equal(fragment.detail, fixtureUri('multi').fsPath, "the main config's folder");
    assert.equal(fragment.command, 'supervisor.showDeploymentFiles');
    await openSupervisor('multi/supervisord.conf', true);
    await waitFor('the status of the main config', () => api.deploymentStatus().text === 'Main config · includes 3 files' || undefined);
  });

  it('a main config whose [include] reaches outside the workspace: the status counts what was not read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-unread-'));
    const main = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    try {
      const api = (await activateExtension()).exports as { deploymentStatus(): { text: string; detail?: string; command?: string } };
      await openSupervisor(vscode.Uri.file(main), true);
      const status = await waitFor('the status of the main config', () => {
        const s = api.deploymentStatus();
        return s.detail?.includes('not read') ? s : undefined;
      });
      assert.deepEqual(status, { text: 'Main config', detail: '1 include not read', command: 'supervisor.showDeploymentFiles' });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Show Files of This Deployment lists the files in read order and opens the chosen one', async () => {
    await openSupervisor('multi/conf.d/30-memmon.conf', true);
    const api = (await activateExtension()).exports as { deploymentStatus(): { text: string } };
    await waitFor('the status of the fragment', () => api.deploymentStatus().text === 'Included by supervisord.conf' || undefined);
    const shown = vscode.commands.executeCommand('supervisor.showDeploymentFiles');
    // The quick pick opens with the first file, the main config, selected: accept it once it is there.
    await waitFor('the main config to open from the quick pick', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(100);
      return vscode.window.activeTextEditor?.document.uri.path.endsWith('/multi/supervisord.conf') || undefined;
    });
    await shown;
  });

  it('goes from a memmon -p name to the [program:x] header in another file', async () => {
    const doc = await openSupervisor('multi/conf.d/30-memmon.conf');
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('command='));
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('celery-reports') + 3);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, at);
    assert.ok(locations && locations.length > 0, 'no definition');
    const first = locations[0];
    const uri = 'targetUri' in first ? first.targetUri : first.uri;
    const range = 'targetUri' in first ? first.targetRange : first.range;
    assert.equal(uri.toString(), fixtureUri('multi/conf.d/10-workers.conf').toString());
    const target = await vscode.workspace.openTextDocument(uri);
    assert.match(target.lineAt(range.start.line).text, /^\[program:celery-reports\]/);
  });

  it('highlights a program name where the file names it: the header as the write, programs= as a read', async () => {
    const doc = await openSupervisor('multi/conf.d/20-web.conf');
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('programs='));
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('gunicorn') + 2);
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, at);
    assert.deepEqual(
      (highlights ?? []).map((h) => [h.kind, doc.getText(h.range), h.range.start.line]).sort(),
      [
        [vscode.DocumentHighlightKind.Read, 'gunicorn', line],
        [vscode.DocumentHighlightKind.Write, 'gunicorn', doc.getText().split('\n').indexOf('[program:gunicorn]')],
      ].sort(),
    );
  });

  it('finds a section in a file that is not open with Go to Symbol in Workspace', async () => {
    await activateExtension();
    const symbols = await waitFor('workspace symbols for gunicorn', async () => {
      const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'program:gunic');
      const ours = (found ?? []).filter((s) => s.name === 'program:gunicorn');
      return ours.length ? ours : undefined;
    });
    assert.ok(
      symbols.some((s) => s.location.uri.path.endsWith('/multi/conf.d/20-web.conf') && s.location.range.start.line === 1),
      symbols.map((s) => `${s.location.uri.path}:${s.location.range.start.line}`).join(', '),
    );
  });

  it('hears of a config created on disk whatever the case of its extension (LATE.CONF), and lists its sections', async function () {
    this.timeout(60_000);
    await activateExtension();
    const named = async (query: string) =>
      ((await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', query)) ?? []).filter((s) => s.name === query);
    // The folder first: a file written into a folder the watcher has not taken in yet can go unseen (a CI
    // run under load missed it). Then the server has looked at the workspace's configs; it looks again when
    // the watcher tells it of a change.
    const file = fixtureUri('watched/LATE.CONF').fsPath;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await waitFor('workspace symbols', async () => (await named('program:gunicorn')).length > 0);
    await sleep(1_000);
    fs.writeFileSync(file, '[program:late-upper]\ncommand=/bin/true\n');
    try {
      const found = await waitFor(
        'program:late-upper among the workspace symbols',
        async () => {
          const symbols = await named('program:late-upper');
          return symbols.length ? symbols : undefined;
        },
        30_000,
      );
      assert.ok(found[0].location.uri.path.endsWith('/watched/LATE.CONF'), found[0].location.uri.toString());
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('links the [include] pattern to the files it matches', async () => {
    const doc = await openSupervisor('multi/supervisord.conf');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    assert.ok(links && links.some((l) => l.target?.path.endsWith('/multi/conf.d/10-workers.conf')), JSON.stringify(links?.map((l) => l.target?.path)));
  });

  it('links a log file that exists, after expanding %(here)s and %(program_name)s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-logs-'));
    try {
      fs.writeFileSync(path.join(dir, 'web.log'), 'Booting worker with pid: 4242\n');
      fs.writeFileSync(path.join(dir, 'supervisord.conf'), '[program:web]\ncommand=/srv/venv/bin/gunicorn app\nstdout_logfile=%(here)s/%(program_name)s.log\nstderr_logfile=%(here)s/web.err\n');
      const doc = await openSupervisor(vscode.Uri.file(path.join(dir, 'supervisord.conf')));
      const links = await waitFor('a link on the log file', async () => {
        const found = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
        return found?.length ? found : undefined;
      });
      assert.deepEqual(
        links.map((l) => [doc.getText(l.range), l.target?.fsPath]),
        [['%(here)s/%(program_name)s.log', path.join(dir, 'web.log')]],
        'web.err does not exist: no link',
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
