import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runConfig } from '../runner';
import { SERVER_NODE_FLAGS } from '../../../server/src/serverProcess';
import { activateExtension, extension, LANGUAGE_ID, openSupervisor, REPO_ROOT, waitFor } from './helpers';

describe('activation @smoke', () => {
  it('activates when a supervisor config is opened', async () => {
    await openSupervisor('supervisord.conf');
    const ext = await activateExtension();
    assert.equal(ext.isActive, true);
  });

  it('contributes the supervisor language and its commands', async () => {
    await activateExtension();
    assert.ok((await vscode.languages.getLanguages()).includes(LANGUAGE_ID));
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['supervisor.treatAsSupervisor', 'supervisor.showReloadCommands', 'supervisor.openRuleDocs']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });

  it('ships every file its manifest points to', () => {
    const ext = extension();
    const manifest = ext.packageJSON as {
      main: string;
      contributes: { grammars: { path: string }[]; languages: { configuration?: string }[] };
    };
    const referenced = [
      manifest.main,
      'dist/server.js',
      ...manifest.contributes.grammars.map((g) => g.path),
      ...manifest.contributes.languages.flatMap((l) => (l.configuration ? [l.configuration] : [])),
    ];
    for (const file of referenced) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, file)), `${file} is missing from ${ext.extensionPath}`);
    }
  });

  it('starts the language server with its node flags', async function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc
    await openSupervisor('supervisord.conf');
    const server = fs.realpathSync(path.join((await activateExtension()).extensionPath, 'dist', 'server.js'));
    const isServer = (arg: string) => arg.endsWith('server.js') && fs.existsSync(arg) && fs.realpathSync(arg) === server;
    const commandLines = await waitFor('the language server process', () => {
      const found = fs
        .readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid) && parentOf(pid) === process.pid) // ours: other servers may run on this machine
        .map((pid) => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          } catch {
            return []; // the process ended meanwhile
          }
        })
        .filter((args) => args.some(isServer));
      return found.length ? found : undefined;
    });
    for (const args of commandLines) {
      const flags = args.slice(1, args.findIndex(isServer));
      for (const flag of SERVER_NODE_FLAGS) assert.ok(flags.includes(flag), `${flag} missing from ${JSON.stringify(args)}`);
    }
  });

  it('runs from the copy under test (installed .vsix or development folder)', function () {
    const ext = extension();
    if (!runConfig.expectInstalledCopy) {
      // The development run: the folder the suite was built in.
      assert.equal(path.resolve(ext.extensionPath), path.resolve(REPO_ROOT));
      return;
    }
    const extensionsDir = process.env.SUPERVISOR_VSCODE_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'SUPERVISOR_VSCODE_EXTENSIONS_DIR is not set: the runner must say where it installed the .vsix');
    const relative = path.relative(path.resolve(extensionsDir), path.resolve(ext.extensionPath));
    assert.ok(
      relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative),
      `the extension runs from ${ext.extensionPath}, not from the installed copy in ${extensionsDir}`,
    );
    assert.equal(ext.extensionUri.scheme, 'file');
  });
});

/** The parent process id of a process (field 4 of /proc/PID/stat, after the command name in parentheses). */
function parentOf(pid: string): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // the process ended meanwhile
  }
}
