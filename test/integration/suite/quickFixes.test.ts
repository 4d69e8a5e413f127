import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  actionTitled,
  activateExtension,
  applyAction,
  codeActionsAt,
  codeOf,
  diagnosticWith,
  diagnosticsWhen,
  fixtureUri,
  lineOf,
  openSupervisor,
  restore,
  snapshot,
  type Snapshot,
} from './helpers';

const MAIN = 'supervisord.conf';
const WORKER_COMMAND = 'celery -A proj worker --concurrency=4';

/** Only the findings of `code` whose range starts on `line`. */
function onLine(ds: vscode.Diagnostic[], code: string, line: number): vscode.Diagnostic[] {
  return ds.filter((d) => codeOf(d) === code && d.range.start.line === line);
}

describe('quick fixes', () => {
  before(activateExtension);

  const touched: Snapshot[] = [];
  afterEach(async () => {
    for (const s of touched.splice(0)) await restore(s);
  });

  async function open(relative: string): Promise<vscode.TextDocument> {
    const doc = await openSupervisor(relative);
    touched.push(snapshot(doc));
    return doc;
  }

  it('adds -l info to a worker, and the finding goes away @smoke', async () => {
    const doc = await open(MAIN);
    const d = await diagnosticWith(doc, 'celery-loglevel-missing', WORKER_COMMAND);
    const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
    const fix = actionTitled(actions, 'Add -l info to the worker command');
    assert.equal(fix.isPreferred, true);
    await applyAction(fix);

    const line = lineOf(doc, 'celery -A proj worker');
    assert.match(doc.lineAt(line).text, /worker (-l |--loglevel[= ])info\b/);
    assert.match(doc.lineAt(line).text, /--concurrency=4/, 'the other options stay');
    await diagnosticsWhen(doc.uri, 'the loglevel finding to go, the memory one to stay', (ds) =>
      onLine(ds, 'celery-loglevel-missing', line).length === 0 && onLine(ds, 'celery-memory-limit-missing', line).length === 1,
    );
  });

  it('offers a memory limit and a memmon listener for an unprotected worker, the limit first', async () => {
    const doc = await open(MAIN);
    const d = await diagnosticWith(doc, 'celery-memory-limit-missing', WORKER_COMMAND);
    const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
    const titles = actions.map((a) => a.title);
    const limit = titles.findIndex((t) => /^Add --max-memory-per-child 262144/.test(t));
    const memmon = titles.findIndex((t) => /memmon listener/.test(t));
    assert.ok(limit >= 0 && memmon >= 0, `fixes: ${titles.join(' | ')}`);
    assert.ok(limit < memmon, 'the per-child limit comes first');
    assert.equal(actions[limit].isPreferred, true);
    assert.notEqual(actions[memmon].isPreferred, true);
  });

  it('adds --max-memory-per-child, and the warning goes away', async () => {
    const doc = await open(MAIN);
    const d = await diagnosticWith(doc, 'celery-memory-limit-missing', WORKER_COMMAND);
    await applyAction(actionTitled(await codeActionsAt(doc, d.range), /^Add --max-memory-per-child 262144/));
    const line = lineOf(doc, 'celery -A proj worker');
    assert.match(doc.lineAt(line).text, /--max-memory-per-child[= ]262144/);
    await diagnosticsWhen(doc.uri, 'the memory finding to go', (ds) => onLine(ds, 'celery-memory-limit-missing', line).length === 0);
  });

  it('adds a memmon listener section that watches the worker', async () => {
    const doc = await open(MAIN);
    const d = await diagnosticWith(doc, 'celery-memory-limit-missing', WORKER_COMMAND);
    const before = doc.lineCount;
    await applyAction(actionTitled(await codeActionsAt(doc, d.range), /memmon listener/));
    assert.ok(doc.lineCount > before);
    const header = lineOf(doc, '[eventlistener:');
    assert.match(doc.getText(), /memmon .*-p worker=\d+MB/);
    assert.match(doc.getText(), /events=TICK_60/);
    assert.ok(header > lineOf(doc, '[program:worker]'), 'the listener is a section of its own');
    const line = lineOf(doc, WORKER_COMMAND);
    await diagnosticsWhen(doc.uri, 'the memory finding to go', (ds) => onLine(ds, 'celery-memory-limit-missing', line).length === 0);
  });

  it('removes the earlier of two repeated keys', async () => {
    const doc = await open(MAIN);
    const d = await diagnosticWith(doc, 'duplicate-key', 'stopsignal=TERM');
    const fix = actionTitled(await codeActionsAt(doc, d.range), /^Remove the earlier 'stopsignal'/);
    await applyAction(fix);
    assert.ok(!doc.getText().includes('stopsignal=INT'), 'the earlier value is gone');
    assert.ok(doc.getText().includes('stopsignal=TERM'), 'the value supervisor used stays');
    await diagnosticsWhen(doc.uri, 'duplicate-key to go', (ds) => !ds.some((x) => codeOf(x) === 'duplicate-key'));
  });

  it('keeps CRLF line ends when it edits a Windows file', async () => {
    // Written here rather than committed, so that no git setting can turn it into LF.
    const windows = fixtureUri('etc/supervisor/conf.d/windows.conf');
    const text = [
      '; Written on Windows',
      '[program:worker]',
      'command=/srv/app/venv/bin/celery -A proj worker --max-memory-per-child 262144',
      'autorestart=true',
      '',
    ].join('\r\n');
    await vscode.workspace.fs.writeFile(windows, Buffer.from(text, 'utf8'));
    const doc = await open('etc/supervisor/conf.d/windows.conf');
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    const d = await diagnosticWith(doc, 'celery-loglevel-missing');
    await applyAction(actionTitled(await codeActionsAt(doc, d.range), 'Add -l info to the worker command'));
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    assert.doesNotMatch(doc.getText(), /[^\r]\n/, 'every line still ends in CRLF');
    assert.match(doc.getText(), /worker (-l |--loglevel[= ])info/);
    await diagnosticsWhen(doc.uri, 'the loglevel finding to go', (ds) => !ds.some((x) => codeOf(x) === 'celery-loglevel-missing'));
  });

  it('fixes every finding of one code in the file at once', async () => {
    const doc = await open('etc/supervisor/conf.d/workers.conf');
    const d = await diagnosticWith(doc, 'celery-loglevel-missing', '-Q a');
    await diagnosticWith(doc, 'celery-loglevel-missing', '-Q b');
    await applyAction(actionTitled(await codeActionsAt(doc, d.range), /^Fix all celery-loglevel-missing in this file \(2\)/));
    assert.equal(doc.getText().match(/ (-l |--loglevel[= ])info/g)?.length, 2);
    await diagnosticsWhen(doc.uri, 'every loglevel finding to go', (ds) => !ds.some((x) => codeOf(x) === 'celery-loglevel-missing'));
  });

  it('fixes the whole file with source.fixAll, leaving fewer findings', async () => {
    const doc = await open('etc/supervisor/conf.d/workers.conf');
    const before = await diagnosticsWhen(doc.uri, 'findings', (ds) => ds.some((x) => codeOf(x) === 'celery-loglevel-missing'));
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await codeActionsAt(doc, whole, vscode.CodeActionKind.SourceFixAll);
    assert.equal(actions.length, 1, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions[0].kind && vscode.CodeActionKind.SourceFixAll.contains(actions[0].kind));
    await applyAction(actions[0]);
    const after = await diagnosticsWhen(doc.uri, 'the loglevel findings to go', (ds) => !ds.some((x) => codeOf(x) === 'celery-loglevel-missing'));
    assert.ok(after.length < before.length, `${before.length} findings before, ${after.length} after`);
  });

  it('offers only actions that fix a finding under the cursor', async () => {
    const doc = await open(MAIN);
    await diagnosticWith(doc, 'duplicate-key');
    const directory = lineOf(doc, 'directory=/srv/app');
    const quickFixes = await codeActionsAt(doc, new vscode.Range(directory, 0, directory, 0), vscode.CodeActionKind.QuickFix);
    assert.deepEqual(quickFixes.map((a) => a.title), []);
  });

  it('rewrites a worker to the gevent pool as a refactoring', async () => {
    const doc = await open(MAIN);
    const line = lineOf(doc, WORKER_COMMAND);
    const refactors = await codeActionsAt(doc, new vscode.Range(line, 10, line, 10), vscode.CodeActionKind.RefactorRewrite);
    await applyAction(actionTitled(refactors, /^Switch worker 'worker' to gevent/));
    assert.match(doc.lineAt(line).text, /(-P |--pool[= ])gevent/);
    assert.match(doc.getText(), /\[eventlistener:/, 'a memmon listener replaces the per-child limit');
  });
});
