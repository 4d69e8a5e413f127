/** A minimal LSP client that drives the built server (dist/server.js --stdio) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { REPO_ROOT } from './paths';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: unknown; severity: number; code: string; source: string; message: string; codeDescription?: { href: string } }[];
}

/** Servers not yet shut down: a test that fails before its shutdown() would otherwise keep the run alive. */
const running = new Set<ServerUnderTest>();
after(() => {
  for (const server of running) server.kill();
});

export class ServerUnderTest {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  private readonly waiters: { pred: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  stderr = '';
  /** The refresh requests the server sent (workspace/codeLens/refresh ...), in order. */
  readonly refreshes: string[] = [];

  constructor(configuration: unknown = null) {
    this.child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    this.child.once('exit', () => running.delete(this));
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      const i = this.waiters.findIndex((w) => w.pred(p));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(p);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => configuration));
    this.connection.onRequest('client/registerCapability', () => null);
    for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
      this.connection.onRequest(method, () => {
        this.refreshes.push(method);
        return null;
      });
    }
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  /** `extra` is merged into the initialize params (e.g. workspaceFolders). */
  async initialize(extra: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      ...extra,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The next publishDiagnostics for `uri` that satisfies `pred` (also one already received). */
  diagnostics(uri: string, pred: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 10000): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics) => p.uri === uri && pred(p);
    const already = [...this.published].reverse().find(match);
    if (already) return Promise.resolve(already);
    return this.nextDiagnostics(uri, pred, timeoutMs);
  }

  /** The next publishDiagnostics for `uri` that satisfies `pred`, ignoring those already received. */
  nextDiagnostics(uri: string, pred: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 10000): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics) => p.uri === uri && pred(p);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ pred: match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  open(uri: string, text: string, version = 1, languageId = 'supervisor'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Stops the server without the protocol's goodbye (after a failed assertion, so the run does not hang). */
  kill(): void {
    this.connection.dispose();
    this.child.kill();
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
