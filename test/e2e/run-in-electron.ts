/**
 * The standard runner: @vscode/test-electron downloads VS Code (desktop) and runs the same
 * extension-host suite as run-in-code-server.ts. It needs internet access to download VS Code, so it
 * cannot run on the project's machines; it is kept thin on purpose.
 *
 *   node out/test/e2e/run-in-electron.js        (VSCODE_TEST_VERSION picks the VS Code version)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ARTIFACTS, copyFixtureWorkspace, INTEGRATION_OUT, REPO_ROOT } from './paths';

export async function runInElectron(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-celery-electron-'));
  const userDataDir = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'supervisor.reloadReminder': false }));
  const logDir = path.join(ARTIFACTS, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(INTEGRATION_OUT, 'index'),
      extensionTestsEnv: { SUPERVISOR_VSCODE_TEST_LOG_DIR: logDir },
      launchArgs: [
        copyFixtureWorkspace(path.join(tmp, 'workspace')),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir',
        userDataDir,
      ],
    });
    return 0;
  } catch (err) {
    console.error(`[test:vscode] ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runInElectron().then((code) => process.exit(code));
}
