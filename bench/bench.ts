/**
 * npm run bench: our engine and its peers on the same input, in one run. Medians over repeated runs,
 * ratios taken in the same run (timings on shared machines are noisy; ratios much less so).
 *   --json   print one JSON object instead of the table
 *   --quick  fewer runs (for a smoke check)
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ini from 'ini';
import { PerformanceObserver } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { parse } from '../server/src/core/model/parse';
import { analyze, analyzeText, type Analysis } from '../server/src/core/analyze';
import { buildDeployment, clearAnalysisCaches } from '../server/src/core/deployment';
import { hover } from '../server/src/core/features/hover';
import { completion } from '../server/src/core/features/completion';
import { codeActions } from '../server/src/core/features/codeActions';
import { inlayHints } from '../server/src/core/features/inlayHints';
import { codeLenses } from '../server/src/core/features/codeLens';
import { logFileLinks } from '../server/src/core/features/logFileLinks';
import { processStatusLenses, type LiveState, type ProcessConfigInfo, type ProcessInfo } from '../server/src/core/features/processStatus';
import { selectionRanges } from '../server/src/core/features/selectionRanges';
import { generateConfig, typicalConfig } from './generate';
import { PATHOLOGICAL_SHAPES } from './pathological';
import { columnarSketch } from './columnarSketch';
import { SERVER_NODE_FLAGS } from '../server/src/serverProcess';
import { corpusFiles, readText } from '../test/support/paths';

const args = new Set(process.argv.slice(2));
const RUNS = args.has('--quick') ? 5 : 15;
/**
 * Untimed runs before each timed set: V8 optimizes a function only after it has run a few times (a fresh
 * process's full analyses of the 75,000-line file took 350, 192, 164, 122 ms before settling near 90),
 * and with one warm-up run the slow ones counted in the median. A server runs the same code all day;
 * its cold start is the "fresh server" row.
 */
const WARMUP_RUNS = args.has('--quick') ? 1 : 5;
const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
/** Node flags for the server under test: the ones the VS Code client starts it with; BENCH_SERVER_NODE_FLAGS to experiment. */
const SERVER_FLAGS = process.env.BENCH_SERVER_NODE_FLAGS === undefined ? [...SERVER_NODE_FLAGS] : process.env.BENCH_SERVER_NODE_FLAGS.split(' ').filter(Boolean);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * What supervisord would answer if it ran every program of the file: its own command and environment,
 * and every other key getAllConfigInfo reports at supervisor's defaults (so each is compared with the file).
 */
function liveStateOf(analysis: Analysis): LiveState {
  const processes: ProcessInfo[] = [];
  const configs: ProcessConfigInfo[] = [];
  const stream = (s: string, name: string) => ({
    [`${s}_logfile`]: `/var/log/supervisor/${name}-${s}---supervisor-3b87pxkq.log`,
    ...{ [`${s}_logfile_backups`]: 10, [`${s}_logfile_maxbytes`]: 52428800, [`${s}_syslog`]: false, [`${s}_capture_maxbytes`]: 0, [`${s}_events_enabled`]: false },
  });
  for (const p of analysis.deployment.programs) {
    for (const name of p.processNames ?? []) {
      const pid = 10_000 + processes.length;
      processes.push({ name, group: p.group, statename: 'RUNNING', description: `pid ${pid}, uptime 3 days, 2:01:44`, stdout_logfile: '', stderr_logfile: '', memory: { bytes: 300 << 20, children: 4 }, pid });
      configs.push({
        ...{ name, group: p.group, command: p.command?.value ?? '', inuse: true, autostart: true, directory: 'none', exitcodes: [0], group_prio: 999, killasgroup: false },
        ...{ process_prio: 999, redirect_stderr: false, startretries: 3, startsecs: 1, stopsignal: 15, stopwaitsecs: 10, uid: 1000 },
        ...stream('stdout', name),
        ...stream('stderr', name),
      });
    }
  }
  // The environment each started with: supervisord's own, and what the generated environment= sets.
  const environment = new Map([['PATH', '/usr/bin:/bin'], ['DJANGO_SETTINGS_MODULE', 'proj.settings'], ['LANG', 'en_US.UTF-8']]);
  return { processes, configs, accounts: new Map([[1000, 'allianceserver']]), environments: new Map(processes.map((p) => [p.pid!, environment])) };
}

function time(fn: () => void, runs = RUNS): number {
  for (let i = 0; i < WARMUP_RUNS; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(t);
}

/** In the last option of the file's last command (memmon's -p NAME=SIZE in the generated file): a step per option part. */
function lastCommandOption(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  let line = lines.length - 1;
  while (line > 0 && !lines[line].startsWith('command=')) line--;
  return { line, character: lines[line].length - 1 };
}

/** The median of cold full analyses of `text`: everything remembered across analyses forgotten before each run. */
function coldAnalysisMs(text: string, runs = RUNS): number {
  return time(() => {
    clearAnalysisCaches();
    analyzeText(text);
  }, runs);
}

const round = (n: number | null, digits = 2) => (n === null ? null : Number(n.toFixed(digits)));

function endOfFilePosition(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  // The last worker's command line: a realistic place to hover, complete and ask for fixes.
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('command=') && lines[i].includes(' worker ')) return { line: i, character: lines[i].indexOf('--concurrency') + 3 };
  }
  return { line: lines.length - 1, character: 0 };
}

function supervisorParseMs(text: string): { ms: number | null; note?: string } {
  const python = '/usr/bin/python3';
  if (!fs.existsSync(python)) return { ms: null, note: 'python3 not found' };
  const file = path.join(os.tmpdir(), `bench-${process.pid}.conf`);
  fs.writeFileSync(file, text);
  const script = `
import sys, time, json
try:
    from supervisor.options import UnhosedConfigParser
except ImportError:
    print(json.dumps({"skip": "supervisor not installed (apt-get install -y supervisor)"})); sys.exit(0)
text = open(sys.argv[1], encoding='utf-8', errors='replace').read()
def read():
    # A file with bad lines is still read to its end: configparser raises the collected errors after.
    try: UnhosedConfigParser().read_string(text)
    except Exception: pass
read()
ts = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); read(); ts.append((time.perf_counter() - t) * 1000)
ts.sort(); print(json.dumps({"ms": ts[len(ts) // 2]}))`;
  try {
    const out = spawnSync(python, ['-c', script, file, String(RUNS)], { encoding: 'utf8' });
    const result = JSON.parse(out.stdout.trim() || '{}');
    return result.skip ? { ms: null, note: result.skip } : { ms: result.ms };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Opens the file `openCount` times in a fresh server (closing it in between), then hovers; RSS is read at the end. */
async function throughProtocol(text: string, openCount: number): Promise<{ openToDiagnosticsMs: number; opensMs: number[]; hoverRoundTripP50Ms: number; serverRssMB: number | null }> {
  const child = spawn(process.execPath, [...SERVER_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const uri = 'file:///bench/supervisord.conf';
  let resolveDiagnostics: (() => void) | undefined;
  let waitingFor = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    if (p.uri === uri && p.version === waitingFor) resolveDiagnostics?.();
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification('initialized', {});
  const opens: number[] = [];
  for (let v = 1; v <= openCount; v++) {
    waitingFor = v;
    const got = new Promise<void>((r) => (resolveDiagnostics = r));
    const start = process.hrtime.bigint();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'supervisor', version: v, text } });
    await got;
    opens.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (v < openCount) await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  const position = endOfFilePosition(text);
  const hovers: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = process.hrtime.bigint();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    hovers.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  let rss: number | null = null;
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m) rss = Number(m[1]) / 1024;
  } catch {
    rss = null; // not Linux
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  child.kill();
  return { openToDiagnosticsMs: median(opens), opensMs: opens, hoverRoundTripP50Ms: median(hovers), serverRssMB: rss };
}

/**
 * The share of full-diagnostics time spent in the garbage collector (V8 reports each pause as a 'gc'
 * performance entry, delivered after the runs): mostly young-generation scavenges copying what the
 * analysis keeps alive.
 */
async function gcShareOfFullDiagnostics(text: string): Promise<{ gcMsPerRun: number; share: number }> {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  observer.observe({ entryTypes: ['gc'] });
  await settle();
  gcMs = 0;
  let totalMs = 0;
  for (let i = 0; i < RUNS; i++) {
    clearAnalysisCaches();
    const start = process.hrtime.bigint();
    analyzeText(text);
    totalMs += Number(process.hrtime.bigint() - start) / 1e6;
  }
  await settle();
  observer.disconnect();
  return { gcMsPerRun: gcMs / RUNS, share: gcMs / totalMs };
}

/**
 * Where full diagnostics spend their time: parsing, building the deployment (every program's command
 * line read), and the rules (with suppressions and sorting). The split of the run whose total is the
 * median, so that the three parts add up to one real run.
 */
function phasesMs(text: string): { parseMs: number; deploymentMs: number; rulesMs: number } {
  const runs: { parseMs: number; deploymentMs: number; rulesMs: number; total: number }[] = [];
  const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
  for (let i = 1 - WARMUP_RUNS; i <= RUNS; i++) {
    clearAnalysisCaches();
    let start = process.hrtime.bigint();
    const doc = parse(text);
    const parseMs = since(start);
    start = process.hrtime.bigint();
    const deployment = buildDeployment(doc);
    const deploymentMs = since(start);
    start = process.hrtime.bigint();
    analyze(doc, undefined, deployment);
    const rulesMs = since(start);
    if (i > 0) runs.push({ parseMs, deploymentMs, rulesMs, total: parseMs + deploymentMs + rulesMs }); // the runs up to 0 warm up
  }
  runs.sort((a, b) => a.total - b.total);
  return runs[runs.length >> 1];
}

/**
 * The real-world configs of the shared corpus, concatenated (as the issue asks: many duplicate
 * sections, comments and odd lines), next to the split floor and the peers; skipped where it is absent.
 */
function corpusMeasurements(): { files: number; lines: number; bytes: number; floorMs: number; fullDiagnosticsMs: number; iniDecodeMs: number; supervisorParseMs: number | null } | { skipped: string } {
  const corpus = corpusFiles();
  if (corpus.skip) return { skipped: corpus.skip };
  const text = corpus.files.map(readText).join('\n');
  return {
    files: corpus.files.length,
    lines: text.split('\n').length,
    bytes: Buffer.byteLength(text),
    floorMs: time(() => text.split('\n')),
    fullDiagnosticsMs: coldAnalysisMs(text),
    iniDecodeMs: time(() => ini.decode(text)),
    supervisorParseMs: supervisorParseMs(text).ms,
  };
}

/** Full diagnostics per line at one size, next to the split floor's and the minimal reader's per-line cost at that size. */
function perLineMs(programs: number): { lines: number; ms: number; perLineUs: number; floorPerLineUs: number; minimalReaderPerLineUs: number; columnarSketchPerLineUs: number } {
  const text = generateConfig(programs);
  const lines = text.split('\n').length;
  // Every size gets the 15 runs (fewer with --quick), the 20,000-program file too.
  const ms = coldAnalysisMs(text);
  const floor = time(() => text.split('\n'));
  const minimal = time(() => minimalKeyValueReader(text));
  const sketch = time(() => columnarSketch(text));
  const perLine = (ms: number) => (ms * 1000) / lines;
  return { lines, ms, perLineUs: perLine(ms), floorPerLineUs: perLine(floor), minimalReaderPerLineUs: perLine(minimal), columnarSketchPerLineUs: perLine(sketch) };
}

/** Each pathological shape at two sizes four times apart: the per-line cost should not grow with the size. */
function pathologicalScaling(): { name: string; smallLines: number; smallMs: number; bigLines: number; bigMs: number; perLineRatio: number }[] {
  return PATHOLOGICAL_SHAPES.map((shape) => {
    const small = shape.build(1000);
    const big = shape.build(4000);
    const runs = Math.max(3, Math.min(RUNS, 5));
    const smallMs = coldAnalysisMs(small, runs);
    const bigMs = coldAnalysisMs(big, runs);
    const smallLines = small.split('\n').length;
    const bigLines = big.split('\n').length;
    return { name: shape.name, smallLines, smallMs, bigLines, bigMs, perLineRatio: bigMs / bigLines / (smallMs / smallLines) };
  });
}

function fileSize(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}

/**
 * A reference point, not a parser: split at the first '=' of each line into one {key, value, line}
 * object, with no comments, continuations, positions or checks. What "one object per line" costs.
 */
function minimalKeyValueReader(text: string): { key: string; value: string; line: number }[] {
  const out: { key: string; value: string; line: number }[] = [];
  let start = 0;
  for (let line = 0; ; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const eq = text.indexOf('=', start);
    if (eq >= 0 && eq < end) out.push({ key: text.slice(start, eq), value: text.slice(eq + 1, end), line });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

/**
 * What the editor asks of one analysis of `text` (hover, completion, actions, lenses, links) and an edit
 * followed by fresh diagnostics. A function of its own so that the analysis is garbage once it returns:
 * the scaling runs after it should not carry it in the heap (a server holds only its open files).
 */
function inEditorMeasurements(text: string) {
  const analysis = analyzeText(text);
  // The sketch's stand-in for one rule must find what the rule finds, or its time means nothing.
  const sketchThreads = columnarSketch(text).threadsWithoutLeakProtection;
  const engineThreads = analysis.findings.filter((f) => f.code === 'celery-threads-without-leak-protection').length;
  const position = endOfFilePosition(text);
  const range = { start: position, end: position };
  const hoverP50Ms = time(() => hover(analysis.doc, position, { deployment: analysis.deployment, settings: analysis.settings }), 200);
  const completionP50Ms = time(() => completion(analysis.doc, { line: position.line + 1, character: 0 }), 200);
  const codeActionP50Ms = time(() => codeActions(analysis, range, ['quickfix', 'refactor']), 200);
  // What the editor asks for as it scrolls: the hints of one screen (60 lines) at the end of the file.
  const screen = { start: { line: Math.max(0, position.line - 60), character: 0 }, end: position };
  const inlayHintsP50Ms = time(() => inlayHints(analysis.doc, analysis.deployment, screen), 200);
  const inOption = lastCommandOption(text);
  const selectionRangeP50Ms = time(() => selectionRanges(analysis.doc, analysis.deployment, inOption), 200);
  // The editor asks for the lenses of the whole file (one per worker) after each edit.
  const codeLensesMs = time(() => codeLenses(analysis.doc, analysis.deployment, analysis.settings));
  // The process status lenses, as if a supervisord ran every program of the file (answers made up, no
  // socket), every key compared: the file's changes from the defaults show as not applied. The median
  // is a refresh's (the file's side is read at the first call after an edit, then remembered).
  const live = liveStateOf(analysis);
  const processStatusMs = time(() => processStatusLenses(analysis.doc, analysis.deployment, '/etc/supervisor', live));
  // Document links: the log paths of every program (the server then stat()s at most 2,000 of them).
  const logFileLinksMs = time(() => logFileLinks(analysis.doc, analysis.deployment, '/etc/supervisor/supervisord.conf'));
  // One character typed in the last worker's command, then fresh diagnostics (command readings stay cached, as in the server).
  const lineStart = text.lastIndexOf('\ncommand=') + 1;
  let flip = false;
  const editToDiagnosticsMs = time(() => {
    flip = !flip;
    const edited = `${text.slice(0, lineStart + 8)}${flip ? ' ' : ''}${text.slice(lineStart + 8)}`;
    analyzeText(edited);
  });
  return { sketchThreads, engineThreads, hoverP50Ms, completionP50Ms, codeActionP50Ms, inlayHintsP50Ms, selectionRangeP50Ms, codeLensesMs, processStatusMs, logFileLinksMs, editToDiagnosticsMs };
}

async function main(): Promise<void> {
  const text = generateConfig(5000);
  const lines = text.split('\n').length;
  const floorMs = time(() => text.split('\n'));
  const minimalReaderMs = time(() => minimalKeyValueReader(text));
  const parseMs = time(() => parse(text));
  const columnarSketchMs = time(() => columnarSketch(text));
  const fullDiagnosticsMs = coldAnalysisMs(text);
  const gc = await gcShareOfFullDiagnostics(text);
  const phases = phasesMs(text);
  const iniDecodeMs = time(() => ini.decode(text));
  const supervisor = supervisorParseMs(text);

  const { sketchThreads, engineThreads, hoverP50Ms, completionP50Ms, codeActionP50Ms, inlayHintsP50Ms, selectionRangeP50Ms, codeLensesMs, processStatusMs, logFileLinksMs, editToDiagnosticsMs } = inEditorMeasurements(text);

  const typical = typicalConfig();
  const typicalFullMs = coldAnalysisMs(typical, 200);

  const scaling = [50, 500, 5000, 20000].map((n) => ({ programs: n, ...perLineMs(n) }));
  // Last of the in-process runs: varied input makes the hot code polymorphic, which slows the runs after it.
  const corpus = corpusMeasurements();
  const pathological = pathologicalScaling();
  const at = (n: number) => scaling.find((s) => s.programs === n)!;
  const perLine = (n: number) => at(n).perLineUs;

  let protocol: Awaited<ReturnType<typeof throughProtocol>> | null = null;
  let firstOpen: Awaited<ReturnType<typeof throughProtocol>> | null = null;
  let protocolNote: string | undefined;
  if (fs.existsSync(SERVER)) {
    // Latency: the median of the 15 opens (the first ones run before the JIT has warmed up; the table lists each).
    protocol = await throughProtocol(text, RUNS);
    // Memory: a fresh server that has opened the file once, as after opening it in the editor.
    firstOpen = await throughProtocol(text, 1);
  } else protocolNote = 'dist/server.js missing: run npm run build';

  const vsix = path.join(ROOT, 'dist', 'supervisor-celery.vsix');
  const result = {
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    input: { programs: 5000, lines, bytes: Buffer.byteLength(text) },
    runs: RUNS,
    floorMs: round(floorMs),
    minimalReaderMs: round(minimalReaderMs),
    // Not our engine: the least a model without an object per line does (bench/columnarSketch.ts).
    columnarSketchMs: round(columnarSketchMs),
    columnarSketchAgrees: sketchThreads === engineThreads,
    parseMs: round(parseMs),
    fullDiagnosticsMs: round(fullDiagnosticsMs),
    fullDiagnosticsGcShare: round(gc.share),
    fullDiagnosticsGcMsPerRun: round(gc.gcMsPerRun),
    // The same work in three parts, timed separately (their sum differs a little from fullDiagnosticsMs).
    phases: { parseMs: round(phases.parseMs), deploymentMs: round(phases.deploymentMs), rulesMs: round(phases.rulesMs) },
    iniDecodeMs: round(iniDecodeMs),
    supervisorParseMs: round(supervisor.ms),
    supervisorNote: supervisor.note,
    hoverP50Ms: round(hoverP50Ms, 4),
    completionP50Ms: round(completionP50Ms, 4),
    codeActionP50Ms: round(codeActionP50Ms, 4),
    inlayHintsP50Ms: round(inlayHintsP50Ms, 4),
    selectionRangeP50Ms: round(selectionRangeP50Ms, 4),
    codeLensesMs: round(codeLensesMs),
    logFileLinksMs: round(logFileLinksMs),
    processStatusMs: round(processStatusMs),
    editToDiagnosticsMs: round(editToDiagnosticsMs),
    openToDiagnosticsMs: round(protocol?.openToDiagnosticsMs ?? null),
    // Each open in order: the first ones run before the JIT has compiled the hot code.
    opensMs: protocol?.opensMs.map((ms) => round(ms)) ?? null,
    hoverRoundTripP50Ms: round(protocol?.hoverRoundTripP50Ms ?? null, 3),
    protocolNote,
    serverRssMB: round(firstOpen?.serverRssMB ?? null, 1),
    serverRssAfterReopensMB: round(protocol?.serverRssMB ?? null, 1),
    firstOpenToDiagnosticsMs: round(firstOpen?.openToDiagnosticsMs ?? null),
    typicalFileFullDiagnosticsMs: round(typicalFullMs, 3),
    corpus:
      'skipped' in corpus
        ? corpus
        : { ...corpus, floorMs: round(corpus.floorMs), fullDiagnosticsMs: round(corpus.fullDiagnosticsMs), iniDecodeMs: round(corpus.iniDecodeMs), supervisorParseMs: round(corpus.supervisorParseMs) },
    perLineRatio20000vs500: round(perLine(20000) / perLine(500)),
    // The same ratio for merely splitting the text, and for one object per line: what the machine itself adds at scale.
    floorPerLineRatio20000vs500: round(at(20000).floorPerLineUs / at(500).floorPerLineUs),
    minimalReaderPerLineRatio20000vs500: round(at(20000).minimalReaderPerLineUs / at(500).minimalReaderPerLineUs),
    columnarSketchPerLineRatio20000vs500: round(at(20000).columnarSketchPerLineUs / at(500).columnarSketchPerLineUs),
    pathological: pathological.map((p) => ({ ...p, smallMs: round(p.smallMs), bigMs: round(p.bigMs), perLineRatio: round(p.perLineRatio) })),
    pathologicalWorstPerLineRatio: round(Math.max(...pathological.map((p) => p.perLineRatio))),
    scaling: scaling.map((s) => ({
      ...s,
      ms: round(s.ms),
      perLineUs: round(s.perLineUs, 3),
      floorPerLineUs: round(s.floorPerLineUs, 4),
      minimalReaderPerLineUs: round(s.minimalReaderPerLineUs, 4),
      columnarSketchPerLineUs: round(s.columnarSketchPerLineUs, 4),
    })),
    ratios: {
      fullDiagnosticsVsFloor: round(fullDiagnosticsMs / floorMs, 1),
      iniDecodeVsFullDiagnostics: round(iniDecodeMs / fullDiagnosticsMs, 2),
      supervisorVsFullDiagnostics: supervisor.ms === null ? null : round(supervisor.ms / fullDiagnosticsMs, 2),
      parseVsFloor: round(parseMs / floorMs, 1),
      minimalReaderVsFloor: round(minimalReaderMs / floorMs, 1),
      columnarSketchVsFloor: round(columnarSketchMs / floorMs, 1),
      iniDecodeVsColumnarSketch: round(iniDecodeMs / columnarSketchMs, 2),
      supervisorVsColumnarSketch: supervisor.ms === null ? null : round(supervisor.ms / columnarSketchMs, 2),
    },
    clientBundleBytes: fileSize(path.join(ROOT, 'dist', 'client.js')),
    serverBundleBytes: fileSize(path.join(ROOT, 'dist', 'server.js')),
    vsixBytes: fileSize(vsix),
    vsixNote: fileSize(vsix) === null ? 'run npm run package to build the .vsix' : undefined,
  };

  if (args.has('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const rows: [string, string, string][] = [
    ['input', `${result.input.programs} programs, ${lines} lines, ${(result.input.bytes / 2 ** 20).toFixed(1)} MB`, ''],
    ['floor: text.split("\\n")', `${result.floorMs} ms`, ''],
    ['reference: minimal key=value reader', `${result.minimalReaderMs} ms`, `${result.ratios.minimalReaderVsFloor}x floor (one object per line, nothing else)`],
    [
      'reference: columnar sketch (not our engine)',
      `${result.columnarSketchMs} ms`,
      `${result.ratios.columnarSketchVsFloor}x floor; ini.decode ${result.ratios.iniDecodeVsColumnarSketch}x, supervisor ${result.ratios.supervisorVsColumnarSketch ?? 'n/a'}x slower`,
    ],
    ['  (typed-array columns; parse, commands and 21 checks)', result.columnarSketchAgrees ? 'agrees' : 'DISAGREES', `with our engine on ${engineThreads} celery-threads-without-leak-protection`],
    ['parse', `${result.parseMs} ms`, `${result.ratios.parseVsFloor}x floor`],
    ['full diagnostics (parse + all rules, cold)', `${result.fullDiagnosticsMs} ms`, `${result.ratios.fullDiagnosticsVsFloor}x floor (target <= 12x)`],
    ['  of which garbage collection', `${result.fullDiagnosticsGcMsPerRun} ms`, `${Math.round(gc.share * 100)}% of the time, in a separate set of runs`],
    ['  phase: parse', `${result.phases.parseMs} ms`, `${round(phases.parseMs / floorMs, 1)}x floor (the parts of the median run of a separate set)`],
    ['  phase: deployment (command lines read)', `${result.phases.deploymentMs} ms`, `${round(phases.deploymentMs / floorMs, 1)}x floor`],
    ['  phase: rules, suppressions, sorting', `${result.phases.rulesMs} ms`, `${round(phases.rulesMs / floorMs, 1)}x floor`],
    ['ini.decode', `${result.iniDecodeMs} ms`, `ours ${result.ratios.iniDecodeVsFullDiagnostics}x faster (target >= 4x)`],
    ['supervisor UnhosedConfigParser', result.supervisorParseMs === null ? `skipped: ${supervisor.note}` : `${result.supervisorParseMs} ms`, result.ratios.supervisorVsFullDiagnostics === null ? '' : `ours ${result.ratios.supervisorVsFullDiagnostics}x faster (target >= 20x)`],
    ['hover p50 (in the engine)', `${result.hoverP50Ms} ms`, 'target < 1 ms'],
    ['completion p50', `${result.completionP50Ms} ms`, 'target < 1 ms'],
    ['code actions p50', `${result.codeActionP50Ms} ms`, 'target < 1 ms'],
    ['inlay hints p50 (60 lines)', `${result.inlayHintsP50Ms} ms`, 'as hover'],
    ['expand selection p50 (an option at the end)', `${result.selectionRangeP50Ms} ms`, 'as hover'],
    ['code lenses (whole file, 5000 workers)', `${result.codeLensesMs} ms`, 'asked for after each edit'],
    ['log file links (whole file, before stat)', `${result.logFileLinksMs} ms`, 'asked for after each edit'],
    ['process status lenses (every program running)', `${result.processStatusMs} ms`, 'asked for after each edit and every 5 s; each program with changes not applied'],
    ['one-character edit -> diagnostics', `${result.editToDiagnosticsMs} ms`, ''],
    ['didOpen -> publishDiagnostics (stdio)', result.openToDiagnosticsMs === null ? `skipped: ${protocolNote}` : `${result.openToDiagnosticsMs} ms`, 'target < 100 ms'],
    ['  each open, in order', result.opensMs === null ? 'skipped' : 'ms', result.opensMs?.join(' ') ?? ''],
    ['hover round trip p50 (stdio)', result.hoverRoundTripP50Ms === null ? 'skipped' : `${result.hoverRoundTripP50Ms} ms`, ''],
    ['didOpen -> publishDiagnostics, fresh server', result.firstOpenToDiagnosticsMs === null ? 'skipped' : `${result.firstOpenToDiagnosticsMs} ms`, 'the first open, before the JIT warms up'],
    ['server RSS with the file open (opened once)', result.serverRssMB === null ? 'n/a' : `${result.serverRssMB} MB`, 'target < 100 MB'],
    [`server RSS after ${RUNS} open/close cycles`, result.serverRssAfterReopensMB === null ? 'n/a' : `${result.serverRssAfterReopensMB} MB`, 'garbage of earlier analyses not yet returned'],
    ['typical 100-line file, full diagnostics', `${result.typicalFileFullDiagnosticsMs} ms`, ''],
    ...corpusRows(corpus),
    ...scaling.map((s): [string, string, string] => [`scaling: ${s.programs} programs (${s.lines} lines)`, `${round(s.ms)} ms`, `${round(s.perLineUs, 3)} us/line`]),
    ['per-line cost 20000 vs 500 programs', `${result.perLineRatio20000vs500}x`, 'target <= 1.5x'],
    ['  the same for text.split("\\n")', `${result.floorPerLineRatio20000vs500}x`, 'no parsing at all'],
    ['  the same for the minimal key=value reader', `${result.minimalReaderPerLineRatio20000vs500}x`, 'one object per line'],
    ['  the same for the columnar sketch', `${result.columnarSketchPerLineRatio20000vs500}x`, 'no object per line'],
    ...pathological.map((p): [string, string, string] => [`pathological: ${p.name}`, `${round(p.bigMs)} ms`, `${p.bigLines} lines; per-line cost ${round(p.perLineRatio)}x that at ${p.smallLines} lines`]),
    ['dist/client.js', `${result.clientBundleBytes ?? 'n/a'} bytes`, ''],
    ['dist/server.js', `${result.serverBundleBytes ?? 'n/a'} bytes`, ''],
    ['.vsix', result.vsixBytes === null ? 'not built (npm run package)' : `${result.vsixBytes} bytes`, 'target < 1 MB'],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`${result.machine}; medians of ${RUNS} runs\n\n`);
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
}

function corpusRows(corpus: ReturnType<typeof corpusMeasurements>): [string, string, string][] {
  if ('skipped' in corpus) return [['real configs concatenated', 'skipped', corpus.skipped]];
  const vs = (ms: number | null) => (ms === null ? 'skipped' : `${round(ms)} ms (ours ${round(ms / corpus.fullDiagnosticsMs, 2)}x faster)`);
  return [
    [`real configs concatenated (${corpus.files} files, ${corpus.lines} lines)`, `${round(corpus.fullDiagnosticsMs)} ms`, `full diagnostics, ${round(corpus.fullDiagnosticsMs / corpus.floorMs, 1)}x floor (${round(corpus.floorMs, 3)} ms)`],
    ['  ini.decode on the same text', vs(corpus.iniDecodeMs), ''],
    ['  supervisor UnhosedConfigParser on the same text', vs(corpus.supervisorParseMs), ''],
  ];
}

main().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`);
  process.exit(1);
});
