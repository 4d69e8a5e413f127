/**
 * Protocol stress over stdio against the built server (run `npm run build` first; npm test does):
 * thousands of rapid changes with requests in between (for versions already replaced, for documents
 * never opened, cancelled ones, malformed ones), a document closed while it is being validated, and a
 * 20 MB document. The server must answer every request (a result or a proper JSON-RPC error), never
 * exit, log no error, and end with diagnostics that are those of the latest version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { ServerUnderTest, type PublishedDiagnostics } from '../support/lspClient';
import { analyzeText } from '../../server/src/core/analyze';

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;

/** Counts what was sent and how it was answered; every request must settle with a result or a ResponseError. */
class Tally {
  notifications = 0;
  requests = 0;
  results = 0;
  errors = 0;
  cancelled = 0;
  private readonly pending: Promise<void>[] = [];

  request<T>(server: ServerUnderTest, method: string, params: unknown, token?: CancellationTokenSource): void {
    this.requests++;
    const p = token ? server.connection.sendRequest<T>(method, params, token.token) : server.connection.sendRequest<T>(method, params);
    this.pending.push(
      p.then(
        () => void this.results++,
        (err: unknown) => {
          assert.ok(err instanceof ResponseError, `${method}: not a JSON-RPC error response: ${String(err)}`);
          if (err.code === -32800) this.cancelled++;
          else this.errors++;
        },
      ),
    );
  }

  notify(server: ServerUnderTest, method: string, params: unknown): void {
    this.notifications++;
    void server.connection.sendNotification(method, params);
  }

  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  get answered(): number {
    return this.results + this.errors + this.cancelled;
  }
}

/** A small config that differs per version: which findings appear depends on v. */
function version(v: number): string {
  const loglevel = v % 3 === 0 ? ' -l info' : '';
  const broken = v % 5 === 0 ? 'this line is broken\n' : '';
  const dup = v % 7 === 0 ? 'user=b\n' : '';
  return `[supervisord]\n[program:worker${v % 11}]\ncommand=celery -A proj worker${loglevel} -c ${v % 9}\nuser=a\n${dup}${broken}; version ${v}\n`;
}

/** The diagnostics the server must publish for `text`, as the core computes them. */
function expected(text: string): unknown[] {
  return analyzeText(text).findings.map((f) => ({ code: f.code, severity: SEVERITY[f.severity], range: f.range, message: f.message }));
}

function published(p: PublishedDiagnostics): unknown[] {
  return p.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range, message: d.message }));
}

/** A realistic 20 MB config: a thousand Celery workers and long comment blocks. */
function twentyMegabytes(): string {
  const parts = ['[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n'];
  for (let i = 0; i < 1000; i++) {
    parts.push(
      `[program:worker${i}]\ncommand=/srv/venv/bin/celery -A proj${i} worker -l info --concurrency=4 -Q q${i}\n    --max-memory-per-child 262144\n` +
        `directory=/srv/app\nuser=app\nautostart=true\nautorestart=true\nstartsecs=10\nstopwaitsecs=600 ; long tasks\nkillasgroup=true\n`,
    );
  }
  const comment = `; ${'padding so the file weighs 20 MB, as generated configs sometimes do '.repeat(2)}\n`;
  let size = parts.reduce((n, p) => n + p.length, 0);
  const filler: string[] = [];
  while (size < 20 * 1024 * 1024) {
    filler.push(comment);
    size += comment.length;
  }
  parts.splice(500, 0, filler.join(''));
  return parts.join('');
}

test('protocol stress: rapid changes, stale and unopened and cancelled requests, close during validation, 20 MB', async () => {
  const started = performance.now();
  const server = new ServerUnderTest(null);
  let exited: number | null | undefined;
  server.child.once('exit', (code) => (exited = code));
  const logged: string[] = [];
  server.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) logged.push(p.message);
  });
  // Answer configuration requests late for one document, so that it is still being validated when it is closed.
  const SLOW = 'file:///srv/stress/closed-while-validating.conf';
  server.connection.onRequest('workspace/configuration', async (params: { items: { scopeUri?: string }[] }) => {
    if (params.items.some((i) => i.scopeUri === SLOW)) await new Promise((r) => setTimeout(r, 300));
    return params.items.map(() => null);
  });
  await server.initialize();
  const tally = new Tally();

  // 1. Rapid changes with requests in between.
  const URI = 'file:///srv/stress/supervisord.conf';
  const CHANGES = 3000;
  tally.notify(server, 'textDocument/didOpen', { textDocument: { uri: URI, languageId: 'supervisor', version: 1, text: version(1) } });
  const first = await server.diagnostics(URI, (p) => p.version === 1);
  const staleDiagnostics = first.diagnostics;
  const whole = { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } };
  for (let v = 2; v <= CHANGES + 1; v++) {
    tally.notify(server, 'textDocument/didChange', { textDocument: { uri: URI, version: v }, contentChanges: [{ text: version(v) }] });
    if (v % 10 === 0) {
      const doc = { uri: URI };
      tally.request(server, 'textDocument/hover', { textDocument: doc, position: { line: 2, character: 30 } });
      tally.request(server, 'textDocument/documentSymbol', { textDocument: doc });
      // Diagnostics of version 1, long replaced: the server answers from the current text.
      tally.request(server, 'textDocument/codeAction', { textDocument: doc, range: whole, context: { diagnostics: staleDiagnostics } });
      tally.request(server, 'textDocument/completion', { textDocument: doc, position: { line: 3, character: 0 } });
      // Positions past the end of a shorter version.
      tally.request(server, 'textDocument/hover', { textDocument: doc, position: { line: 99, character: 999 } });
      tally.request(server, 'textDocument/inlayHint', { textDocument: doc, range: whole });
      tally.request(server, 'textDocument/documentHighlight', { textDocument: doc, position: { line: 1, character: 12 } });
      tally.request(server, 'workspace/symbol', { query: 'work' });
      tally.request(server, 'textDocument/codeLens', { textDocument: doc });
      tally.request(server, 'textDocument/selectionRange', { textDocument: doc, positions: [{ line: 2, character: 30 }, { line: 99, character: 999 }] });
      tally.request(server, 'textDocument/documentLink', { textDocument: doc });
    }
    if (v % 50 === 0) {
      const nowhere = { uri: `file:///srv/stress/never-opened-${v}.conf` };
      tally.request(server, 'textDocument/hover', { textDocument: nowhere, position: { line: 0, character: 0 } });
      tally.request(server, 'textDocument/documentSymbol', { textDocument: nowhere });
      tally.request(server, 'textDocument/codeAction', { textDocument: nowhere, range: whole, context: { diagnostics: [] } });
      tally.request(server, 'textDocument/completion', { textDocument: nowhere, position: { line: 0, character: 0 } });
      tally.request(server, 'textDocument/inlayHint', { textDocument: nowhere, range: whole });
      tally.request(server, 'textDocument/documentHighlight', { textDocument: nowhere, position: { line: 0, character: 0 } });
      tally.request(server, 'textDocument/codeLens', { textDocument: nowhere });
      tally.request(server, 'textDocument/selectionRange', { textDocument: nowhere, positions: [{ line: 0, character: 0 }] });
      tally.request(server, 'textDocument/documentLink', { textDocument: nowhere });
    }
    if (v % 25 === 0) {
      const source = new CancellationTokenSource();
      tally.request(server, 'textDocument/codeAction', { textDocument: { uri: URI }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } }, source);
      tally.request(server, 'textDocument/documentSymbol', { textDocument: { uri: URI } }, source);
      source.cancel();
    }
    if (v % 500 === 0) tally.request(server, 'textDocument/hover', {}); // malformed: must get an error, not kill the server
  }
  const lastVersion = CHANGES + 1;
  const changesSent = performance.now();
  const last = await server.diagnostics(URI, (p) => p.version === lastVersion, 30000);
  const latency = performance.now() - changesSent;
  assert.deepEqual(published(last), expected(version(lastVersion)), 'diagnostics of the latest version');
  await tally.settle();

  // 2. A document closed while it is being validated (its settings arrive only after the close).
  tally.notify(server, 'textDocument/didOpen', { textDocument: { uri: SLOW, languageId: 'supervisor', version: 1, text: version(5) } });
  tally.request(server, 'textDocument/documentSymbol', { textDocument: { uri: SLOW } });
  await new Promise((r) => setTimeout(r, 50));
  tally.notify(server, 'textDocument/didClose', { textDocument: { uri: SLOW } });
  tally.request(server, 'textDocument/hover', { textDocument: { uri: SLOW }, position: { line: 0, character: 1 } });
  await server.diagnostics(SLOW, (p) => p.diagnostics.length === 0 && p.version === undefined);
  await new Promise((r) => setTimeout(r, 600)); // past the delayed settings and any validation they allowed

  // 3. A 20 MB document: diagnostics, then requests on it.
  const BIG = 'file:///srv/stress/huge.conf';
  const big = twentyMegabytes();
  const bigStart = performance.now();
  tally.notify(server, 'textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'supervisor', version: 1, text: big } });
  const bigDiagnostics = await server.diagnostics(BIG, (p) => p.version === 1, 45000);
  const bigMs = performance.now() - bigStart;
  assert.equal(bigDiagnostics.diagnostics.length, analyzeText(big).findings.length, 'every finding of the 20 MB file');
  const middle = big.slice(0, big.length / 2).split('\n').length;
  tally.request(server, 'textDocument/hover', { textDocument: { uri: BIG }, position: { line: 3, character: 40 } });
  tally.request(server, 'textDocument/codeAction', { textDocument: { uri: BIG }, range: { start: { line: middle, character: 0 }, end: { line: middle + 20, character: 0 } }, context: { diagnostics: [] } });
  tally.request(server, 'textDocument/completion', { textDocument: { uri: BIG }, position: { line: middle, character: 0 } });
  tally.request(server, 'textDocument/documentSymbol', { textDocument: { uri: BIG } });
  tally.request(server, 'textDocument/inlayHint', { textDocument: { uri: BIG }, range: { start: { line: middle, character: 0 }, end: { line: middle + 60, character: 0 } } });
  tally.request(server, 'workspace/symbol', { query: 'worker99' });
  tally.notify(server, 'textDocument/didClose', { textDocument: { uri: BIG } });
  await tally.settle();

  // Still alive, no late diagnostics for closed documents, the last word on URI is its latest version.
  const probe = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
  assert.notEqual(probe, undefined);
  const all = (server as unknown as { published: PublishedDiagnostics[] }).published;
  const lastFor = (uri: string) => [...all].reverse().find((p) => p.uri === uri)!;
  assert.equal(lastFor(URI).version, lastVersion, 'nothing published for an older version after the latest one');
  const ofUri = all.filter((p) => p.uri === URI);
  for (const p of ofUri) assert.deepEqual(published(p), expected(version(p.version!)), `diagnostics published for version ${p.version} are that version's`);
  const versions = ofUri.map((p) => p.version!);
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'versions are published in order');
  assert.deepEqual(lastFor(SLOW).diagnostics, [], 'no diagnostics published for the document after it was closed');
  assert.deepEqual(lastFor(BIG).diagnostics, [], 'the 20 MB document is cleared when closed');
  assert.equal(tally.answered, tally.requests, 'every request answered');
  assert.ok(tally.errors >= CHANGES / 500, 'the malformed requests were answered with errors');
  assert.deepEqual(logged, [], 'the server logged errors');
  assert.equal(exited, undefined, `the server exited (${exited}); stderr:\n${server.stderr}`);
  assert.equal(await server.shutdown(), 0);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `stress: ${tally.notifications} notifications and ${tally.requests} requests sent; ${tally.answered} answered ` +
      `(${tally.results} results, ${tally.cancelled} cancelled, ${tally.errors} errors); ` +
      `${ofUri.length} publications for ${CHANGES} changes, the latest ${latency.toFixed(0)} ms after the last change; ` +
      `20 MB document: ${bigDiagnostics.diagnostics.length} diagnostics in ${(bigMs / 1000).toFixed(1)} s; total ${seconds} s`,
  );
});
