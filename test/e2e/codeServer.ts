/**
 * code-server (Coder's VS Code server, published on npm) as a test host: install it into a cache
 * folder outside the repository, start it on a free loopback port, stop it again.
 *
 * The workarounds for installing it offline and as root are those of
 * shared/notes/vscode-in-chromium.md; each is commented where it is applied.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The newest code-server whose `engines` accepts Node 20; it ships VS Code 1.100. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The ripgrep archive @vscode/ripgrep (a code-server dependency) would download in its postinstall. */
const RIPGREP_CACHE = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function codeServerCacheDir(): string {
  return (
    process.env.SUPERVISOR_CODE_SERVER_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'supervisor-celery', 'code-server')
  );
}

function entryPoint(dir: string): string {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installedVersion(dir: string): string | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, 'installed.json'), 'utf8')) as { version?: string };
    return fs.existsSync(entryPoint(dir)) ? marker.version : undefined;
  } catch {
    return undefined;
  }
}

function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, program);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Gives every missing system package at once, with the command that installs them. */
function checkSystemPackages(): void {
  const missing: string[] = [];
  if (!which('rg')) missing.push('ripgrep');
  // code-server's native module `kerberos` compiles against the GSSAPI headers.
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) missing.push('libkrb5-dev');
  if (missing.length) {
    throw new Error(`installing code-server needs: ${missing.join(' ')} (apt-get install ${missing.join(' ')})`);
  }
}

/**
 * Pitfall 3: @vscode/ripgrep downloads `rg` from GitHub unless it finds this archive first.
 * An archive holding the system's rg makes the install work offline.
 */
function seedRipgrepCache(log: (line: string) => void): void {
  const archive = path.join(RIPGREP_CACHE, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive)) return;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: apt-get install ripgrep');
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-staging-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    fs.mkdirSync(RIPGREP_CACHE, { recursive: true });
    execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
    log(`seeded the ripgrep download cache with ${rg}: ${archive}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Installs code-server into the cache folder when it is not there yet; returns its entry script. */
export function ensureCodeServer(log: (line: string) => void = console.log): string {
  const dir = codeServerCacheDir();
  if (installedVersion(dir) === CODE_SERVER_VERSION) return entryPoint(dir);

  checkSystemPackages();
  seedRipgrepCache(log);
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about a minute)...`);
  const started = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up into whatever project is above the cache.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true', // pitfall 1: the postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // pitfall 2: the postinstall's `npx node-gyp` would be cancelled (yes=false)
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  try {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const output = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`;
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed:\n${output.slice(-6000)}`);
  }
  if (!fs.existsSync(entryPoint(dir))) throw new Error(`code-server installed, but ${entryPoint(dir)} is missing`);
  fs.writeFileSync(path.join(dir, 'installed.json'), JSON.stringify({ version: CODE_SERVER_VERSION }, null, 2));
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return entryPoint(dir);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServerOptions {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  /** Extra environment for code-server and so for its extension host. */
  env?: Record<string, string>;
  /** Where code-server's own output goes. */
  logFile: string;
  /** code-server's config file; one of the test's own, so that ~/.config/code-server is neither read nor written. */
  configFile: string;
}

/** Installs a .vsix into an extensions folder with code-server's command line. */
export function installExtension(options: CodeServerOptions, vsix: string): string {
  return execFileSync(
    process.execPath,
    [
      options.entry,
      '--config',
      options.configFile,
      '--user-data-dir',
      options.userDataDir,
      '--extensions-dir',
      options.extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
}

export class CodeServer {
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `vscode-remote://` URI of a path on this server, as the workbench's payload wants it. */
  remoteUri(fsPath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${fsPath.split(path.sep).map(encodeURIComponent).join('/')}`;
  }

  /** Workbench URL that opens `folder`, optionally with a test payload (see vscode-in-chromium.md). */
  url(folder: string, payload?: [string, string][]): string {
    let url = `${this.origin}/?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return url;
  }

  static async start(options: CodeServerOptions, timeoutMs = 60_000): Promise<CodeServer> {
    const port = await freePort();
    const out = fs.openSync(options.logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        options.entry,
        '--config',
        options.configFile,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--user-data-dir',
        options.userDataDir,
        '--extensions-dir',
        options.extensionsDir,
      ],
      // Its own process group, so that stop() ends the extension hosts it forks as well.
      { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...options.env } },
    );
    fs.closeSync(out);
    const server = new CodeServer(child, port);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`code-server exited at start (${child.exitCode ?? child.signalCode}); see ${options.logFile}`);
      }
      if (await answers(server.origin)) return server;
      await sleep(250);
    }
    await server.stop();
    throw new Error(`code-server did not answer on ${server.origin} within ${timeoutMs / 1000} s; see ${options.logFile}`);
  }

  /** Ends code-server and every process of its group: SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    const pid = this.process.pid;
    if (pid === undefined) return;
    const alive = (): boolean => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + graceMs;
    while (alive() && Date.now() < deadline) await sleep(100);
    if (alive()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** For exit handlers, which cannot wait. */
  killNow(): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function answers(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(origin, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2_000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
