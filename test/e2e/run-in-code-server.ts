/**
 * Runs the extension in a real VS Code workbench: code-server (VS Code 1.100) in Debian's headless
 * Chromium, driven by Playwright. See shared/notes/vscode-in-chromium.md for why and how.
 *
 *   node out/test/e2e/run-in-code-server.js [--only integration,vsix,ui] [--vsix FILE] [--keep]
 *                                           [--update-docs-images]
 *
 * Three parts, on one code-server:
 *   integration  the extension-host mocha suite (test/integration) against the development folder
 *   vsix         its @smoke part against the packaged .vsix, installed with --install-extension
 *   ui           Playwright UI tests (test/e2e/ui): squiggles, hovers, quick-fix menu, screenshots
 *
 * code-server is installed into ~/.cache/supervisor-celery/code-server when missing. Everything this
 * script starts (code-server and the extension hosts it forks, Chromium) is stopped when it ends,
 * also on failure or Ctrl+C. Exit status: 0 when every part passed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import { chromium, type Browser } from 'playwright-core';
import { CodeServer, ensureCodeServer, installExtension, sleep, type CodeServerOptions } from './codeServer';
import { ARTIFACTS, compiledTests, copyFixtureWorkspace, DEFAULT_VSIX, EXAMPLE, INTEGRATION_OUT, REPO_ROOT, seconds } from './paths';
import { setUiContext } from './ui/context';

const CHROMIUM = process.env.SUPERVISOR_CHROMIUM ?? '/usr/bin/chromium';
const PARTS = ['integration', 'vsix', 'ui'] as const;
type Part = (typeof PARTS)[number];

/** A whole suite run in the extension host must end within this. */
const SUITE_TIMEOUT_MS = 5 * 60_000;

export interface PartResult {
  part: Part;
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  /** Set when the part could not run at all. */
  error?: string;
}

interface Options {
  parts: Part[];
  vsix: string;
  keep: boolean;
  updateDocsImages: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { parts: [...PARTS], vsix: DEFAULT_VSIX, keep: false, updateDocsImages: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg.startsWith('--only')) {
      const wanted = value().split(',').map((s) => s.trim());
      for (const w of wanted) if (!PARTS.includes(w as Part)) throw new Error(`--only: unknown part ${w} (${PARTS.join(', ')})`);
      options.parts = PARTS.filter((p) => wanted.includes(p));
    } else if (arg.startsWith('--vsix')) options.vsix = path.resolve(value());
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--update-docs-images') options.updateDocsImages = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function log(line: string): void {
  console.log(`[test:vscode] ${line}`);
}

/** Follows a file another process appends to and echoes the new lines. */
class FileFollower {
  private offset = 0;
  constructor(private readonly file: string) {}
  flush(): void {
    if (!fs.existsSync(this.file)) return;
    const size = fs.statSync(this.file).size;
    if (size < this.offset) this.offset = 0;
    if (size === this.offset) return;
    const fd = fs.openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      process.stdout.write(buffer.toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Opens the workbench with a test payload, so that it runs `testsModule`'s run() in the extension
 * host, and waits for the workbench to report the result through window.codeAutomationExit.
 */
async function runSuiteInWorkbench(
  browser: Browser,
  server: CodeServer,
  name: string,
  extensionDevelopmentPath: string,
  testsModule: string,
  workspace: string,
  logDir: string,
  consoleLog: string,
): Promise<{ exitCode: number; counts?: { passes: number; failures: number; pending: number } }> {
  const page = await browser.newPage();
  const browserConsole = fs.createWriteStream(consoleLog);
  let consoleOpen = true;
  const record = (line: string): void => {
    if (consoleOpen) browserConsole.write(`${line}\n`);
  };
  page.on('console', (m) => record(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => record(`pageerror: ${e.stack ?? e.message}`));
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  const follower = new FileFollower(path.join(logDir, `${name}.log`));
  const ticker = setInterval(() => follower.flush(), 500);
  try {
    await page.goto(
      server.url(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)],
        ['extensionTestsPath', server.remoteUri(testsModule)],
        ['skipWelcome', 'true'],
      ]),
    );
    const exitCode = await Promise.race([
      exited,
      sleep(SUITE_TIMEOUT_MS).then(() => {
        throw new Error(`the ${name} suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} min (browser console: ${consoleLog})`);
      }),
    ]);
    const countsFile = path.join(logDir, `${name}.json`);
    const counts = fs.existsSync(countsFile) ? (JSON.parse(fs.readFileSync(countsFile, 'utf8')) as PartResult) : undefined;
    return { exitCode, counts };
  } finally {
    clearInterval(ticker);
    follower.flush();
    await page.close().catch(() => undefined);
    consoleOpen = false;
    browserConsole.end();
  }
}

/** An extension with no code: a development path for the .vsix run that is not the repository. */
function writeHostStub(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'vsix-test-host', publisher: 'supervisor-celery-tests', version: '0.0.0', engines: { vscode: '*' } }, null, 2),
  );
  return dir;
}

async function runUiTests(): Promise<{ passes: number; failures: number; pending: number }> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  for (const file of compiledTests(path.join(__dirname, 'ui'), path.join(REPO_ROOT, 'test', 'e2e', 'ui'))) mocha.addFile(file);
  return new Promise((resolve) => {
    const runner = mocha.run(() =>
      resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }),
    );
  });
}

function userSettings(): Record<string, unknown> {
  return {
    // Workspace trust asks with a dialog, which test mode refuses (vscode-in-chromium.md, pitfall 5).
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    // The suite edits fixtures and puts them back; a save in between must come from the suite only.
    'files.autoSave': 'off',
    'supervisor.reloadReminder': false,
    // The DOM renderer, whose rows hold the text a test looks for (the GPU renderer draws on a canvas).
    'terminal.integrated.gpuAcceleration': 'off',
  };
}

export async function runInCodeServer(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  const started = Date.now();
  for (const part of options.parts) {
    if (part !== 'ui' && !fs.existsSync(path.join(INTEGRATION_OUT, 'index.js'))) {
      throw new Error(`${INTEGRATION_OUT}/index.js is missing: compile the suite first (tsc -p test/integration)`);
    }
  }
  if (options.parts.includes('vsix') && !fs.existsSync(options.vsix)) {
    throw new Error(`${options.vsix} is missing: build it with npm run package`);
  }
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: npm run build');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set SUPERVISOR_CHROMIUM)`);

  const entry = ensureCodeServer((line) => log(line));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-celery-vscode-'));
  const logDir = path.join(ARTIFACTS, 'logs');
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const userDataDir = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir);

  const serverOptions: CodeServerOptions = {
    entry,
    userDataDir,
    extensionsDir,
    logFile: path.join(logDir, 'code-server.log'),
    configFile: path.join(tmp, 'code-server.yaml'),
    env: {
      SUPERVISOR_VSCODE_TEST_LOG_DIR: logDir,
      SUPERVISOR_VSCODE_EXTENSIONS_DIR: extensionsDir,
      // No extension gallery: nothing to fetch from outside this machine.
      EXTENSIONS_GALLERY: '{}',
    },
  };

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const emergencyStop = (): void => server?.killNow();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping code-server`);
    emergencyStop();
    // Playwright closes the Chromium it launched when this process exits.
    if (!options.keep) fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('exit', emergencyStop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: PartResult[] = [];
  try {
    if (options.parts.includes('vsix')) {
      const size = fs.statSync(options.vsix).size;
      log(`installing ${path.relative(REPO_ROOT, options.vsix)} (${(size / 1024).toFixed(0)} KiB) with code-server --install-extension`);
      const output = installExtension(serverOptions, options.vsix);
      if (!/successfully installed/i.test(output)) throw new Error(`--install-extension did not install the .vsix:\n${output}`);
    }

    let t = Date.now();
    server = await CodeServer.start(serverOptions);
    log(`code-server ${server.origin} ready in ${seconds(Date.now() - t)} (log: ${serverOptions.logFile})`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });

    const suites: { part: Part; name: string; devPath: () => string; module: string }[] = [
      { part: 'integration', name: 'integration', devPath: () => REPO_ROOT, module: path.join(INTEGRATION_OUT, 'index') },
      { part: 'vsix', name: 'vsix-smoke', devPath: () => writeHostStub(path.join(tmp, 'vsix-test-host')), module: path.join(INTEGRATION_OUT, 'smoke') },
    ];
    for (const suite of suites) {
      if (!options.parts.includes(suite.part)) continue;
      log(`${suite.part}: running the extension-host suite (${suite.name}) in the workbench`);
      t = Date.now();
      const workspace = copyFixtureWorkspace(path.join(tmp, `workspace-${suite.name}`));
      try {
        const { exitCode, counts } = await runSuiteInWorkbench(
          browser,
          server,
          suite.name,
          suite.devPath(),
          suite.module,
          workspace,
          logDir,
          path.join(logDir, `${suite.name}.browser-console.log`),
        );
        const result: PartResult = {
          part: suite.part,
          passes: counts?.passes ?? 0,
          failures: counts?.failures ?? (exitCode === 0 ? 0 : 1),
          pending: counts?.pending ?? 0,
          durationMs: Date.now() - t,
        };
        if (exitCode !== 0 && result.failures === 0) result.error = `the workbench exited with ${exitCode} (see ${logDir})`;
        results.push(result);
      } catch (err) {
        results.push({ part: suite.part, passes: 0, failures: 0, pending: 0, durationMs: Date.now() - t, error: (err as Error).message });
      }
    }

    if (options.parts.includes('ui')) {
      log('ui: Playwright drives the workbench');
      t = Date.now();
      const workspace = path.join(tmp, 'workspace-ui');
      fs.mkdirSync(workspace);
      fs.copyFileSync(EXAMPLE, path.join(workspace, 'supervisor.conf'));
      setUiContext({
        browser,
        server,
        workspace,
        extensionDevelopmentPath: REPO_ROOT,
        screenshotsDir: path.join(ARTIFACTS, 'screenshots'),
        docsImagesDir: options.updateDocsImages ? path.join(REPO_ROOT, 'docs', 'images') : undefined,
      });
      try {
        const counts = await runUiTests();
        results.push({ part: 'ui', ...counts, durationMs: Date.now() - t });
        log(`screenshots: ${path.join(ARTIFACTS, 'screenshots')}`);
      } catch (err) {
        results.push({ part: 'ui', passes: 0, failures: 0, pending: 0, durationMs: Date.now() - t, error: (err as Error).message });
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    process.off('exit', emergencyStop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (options.keep) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }

  return report(results, Date.now() - started);
}

function report(results: PartResult[], totalMs: number): number {
  console.log('');
  log('summary');
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    const status = r.error ? `ERROR ${r.error}` : `${r.passes} passed, ${r.failures} failed, ${r.pending} skipped`;
    log(`  ${r.part.padEnd(12)} ${status} (${seconds(r.durationMs)})`);
    passed += r.passes;
    failed += r.failures + (r.error ? 1 : 0);
    skipped += r.pending;
  }
  const broken = results.some((r) => r.error || r.failures > 0 || r.passes === 0);
  log(`total ${seconds(totalMs)}`);
  console.log(`vscode: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return broken ? 1 : 0;
}

if (require.main === module) {
  runInCodeServer(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`[test:vscode] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
