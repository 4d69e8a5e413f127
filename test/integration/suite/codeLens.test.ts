import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineOf, openSupervisor, setSetting, waitFor } from './helpers';

const MAIN = 'supervisord.conf';

async function lensesIn(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
}

describe('code lenses', () => {
  before(activateExtension);
  afterEach(() => setSetting('codeLens.celeryWorkers', undefined));

  it('sums up each Celery worker above its header @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    const lenses = await waitFor('code lenses from the server', async () => {
      const found = await lensesIn(doc);
      return found.length ? found : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [lineOf(doc, '[program:worker]'), 'Celery worker · prefork · 4 pool processes · no memory limit'],
        [lineOf(doc, '[program:worker-ok]'), 'Celery worker · prefork · 1 pool process per CPU core · each replaced above 256 MB'],
      ],
    );
  });

  it('counts the pool against supervisor.celery.serverCpuCount, and turns off with supervisor.codeLens.celeryWorkers', async () => {
    const doc = await openSupervisor(MAIN);
    await setSetting('celery.serverCpuCount', 2);
    try {
      await waitFor('the lens to count 2 cores', async () =>
        (await lensesIn(doc)).some((l) => l.command?.title === 'Celery worker · prefork · 2 pool processes (1 per core) · each replaced above 256 MB (at most 512 MB)'),
      );
    } finally {
      await setSetting('celery.serverCpuCount', undefined);
    }
    await setSetting('codeLens.celeryWorkers', false);
    await waitFor('no code lenses', async () => (await lensesIn(doc)).length === 0);
  });
});
