import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  actionTitled,
  activateExtension,
  applyAction,
  codeActionsAt,
  codeOf,
  currentDocument,
  diagnosticWith,
  diagnosticsWhen,
  fixtureUri,
  LANGUAGE_ID,
  openSupervisor,
  setSetting,
  sleep,
  waitFor,
} from './helpers';

const MAIN = 'supervisord.conf';
const WORKER_COMMAND = 'celery -A proj worker --concurrency=4';

function has(ds: vscode.Diagnostic[], code: string): boolean {
  return ds.some((d) => codeOf(d) === code);
}

function severityOf(ds: vscode.Diagnostic[], code: string): vscode.DiagnosticSeverity | undefined {
  return ds.find((d) => codeOf(d) === code)?.severity;
}

describe('settings, applied without a reload', () => {
  before(activateExtension);

  afterEach(async () => {
    for (const key of ['rules', 'validate.enable', 'celery.maxMemoryPerChildKiB', 'detectByContent', 'celery.version', 'machineChecks']) {
      await setSetting(key, undefined);
    }
  });

  it('turns a rule off and on again @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    await diagnosticWith(doc, 'celery-loglevel-missing', WORKER_COMMAND);

    await setSetting('rules', { 'celery-loglevel-missing': 'off' });
    await diagnosticsWhen(doc.uri, 'celery-loglevel-missing to go', (ds) =>
      !has(ds, 'celery-loglevel-missing') && has(ds, 'celery-memory-limit-missing') && has(ds, 'duplicate-key'),
    );

    await setSetting('rules', undefined);
    await diagnosticsWhen(doc.uri, 'celery-loglevel-missing to come back', (ds) => has(ds, 'celery-loglevel-missing'));
  });

  it('changes the severity of a rule', async () => {
    const doc = await openSupervisor(MAIN);
    await diagnosticWith(doc, 'duplicate-key');
    await setSetting('rules', { 'duplicate-key': 'error', 'celery-memory-limit-missing': 'hint' });
    await diagnosticsWhen(doc.uri, 'duplicate-key as an error and the memory warning as a hint', (ds) =>
      severityOf(ds, 'duplicate-key') === vscode.DiagnosticSeverity.Error &&
      severityOf(ds, 'celery-memory-limit-missing') === vscode.DiagnosticSeverity.Hint,
    );
    await setSetting('rules', undefined);
    await diagnosticsWhen(doc.uri, 'the default severities', (ds) => severityOf(ds, 'duplicate-key') === vscode.DiagnosticSeverity.Warning);
  });

  it('turns several rules off in every open file', async () => {
    const main = await openSupervisor(MAIN);
    const workers = await openSupervisor('etc/supervisor/conf.d/workers.conf');
    await diagnosticWith(workers, 'celery-memory-limit-missing');
    await setSetting('rules', { 'celery-memory-limit-missing': 'off', 'duplicate-key': 'off' });
    for (const doc of [main, workers]) {
      await diagnosticsWhen(doc.uri, 'both rules to go', (ds) =>
        ds.length > 0 && !has(ds, 'celery-memory-limit-missing') && !has(ds, 'duplicate-key'),
      );
    }
  });

  it('ignores a rule setting it does not understand', async () => {
    const doc = await openSupervisor(MAIN);
    await setSetting('rules', { 'duplicate-key': 'loud', 'celery-loglevel-missing': 'off' });
    // The valid entry applies (so the settings were read), the invalid one keeps the default severity.
    const ds = await diagnosticsWhen(doc.uri, 'the valid setting to apply', (d) => !has(d, 'celery-loglevel-missing') && has(d, 'duplicate-key'));
    assert.equal(severityOf(ds, 'duplicate-key'), vscode.DiagnosticSeverity.Warning);
  });

  it('stops and restarts all checks with supervisor.validate.enable', async () => {
    const doc = await openSupervisor(MAIN);
    await diagnosticWith(doc, 'duplicate-key');
    await setSetting('validate.enable', false);
    await diagnosticsWhen(doc.uri, 'no findings at all', (ds) => ds.length === 0);
    await setSetting('validate.enable', undefined);
    await diagnosticsWhen(doc.uri, 'the findings to come back', (ds) => has(ds, 'duplicate-key'));
  });

  it('uses supervisor.celery.maxMemoryPerChildKiB in the quick fix', async () => {
    const doc = await openSupervisor(MAIN);
    await setSetting('celery.maxMemoryPerChildKiB', 393216);
    const d = await diagnosticWith(doc, 'celery-memory-limit-missing', WORKER_COMMAND);
    const fix = await waitFor('a fix with the new limit', async () => {
      const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
      return actions.find((a) => /--max-memory-per-child 393216/.test(a.title));
    });
    assert.match(fix.title, /384 MB/);
    assert.match(d.message, /--max-memory-per-child/);
    await setSetting('celery.maxMemoryPerChildKiB', undefined);
    actionTitled(
      await waitFor('the default limit again', async () => {
        const actions = await codeActionsAt(doc, d.range, vscode.CodeActionKind.QuickFix);
        return actions.some((a) => /--max-memory-per-child 262144/.test(a.title)) ? actions : undefined;
      }),
      /^Add --max-memory-per-child 262144/,
    );
  });

  it('does not switch .conf files by content when supervisor.detectByContent is false, and does once it is true', async () => {
    await setSetting('detectByContent', false);
    const uri = fixtureUri('detect/late.conf');
    await vscode.workspace.openTextDocument(uri);
    await sleep(1_500);
    assert.notEqual(currentDocument(uri)?.languageId, LANGUAGE_ID);
    await setSetting('detectByContent', true);
    await waitFor('late.conf to become supervisor', () => currentDocument(uri)?.languageId === LANGUAGE_ID);
  });

  it('sets supervisor.celery.version from the quick fix of an option newer than the configured Celery', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: '[program:w]\ncommand=celery -A proj --skip-checks worker -l info\n' });
    const d = await diagnosticWith(doc, 'celery-unknown-option');
    const action = actionTitled(await codeActionsAt(doc, d.range), 'Set supervisor.celery.version to 5.3 (if the workers run Celery 5.3 or later)');
    await applyAction(action);
    await waitFor('the setting to change', () => vscode.workspace.getConfiguration('supervisor').inspect('celery.version')?.workspaceValue === '5.3');
    await diagnosticsWhen(doc.uri, 'the finding to go', (ds) => !has(ds, 'celery-unknown-option'));
  });

  it('with supervisor.machineChecks on, reports a command that is not on this machine and fixes the typo', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-paths-'));
    try {
      fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'venv', 'bin', 'celery'), '#!/bin/sh\n', { mode: 0o755 });
      const file = path.join(dir, 'supervisord.conf');
      fs.writeFileSync(file, `[program:worker]\ncommand=${dir}/venv/bin/celry -A proj worker -l info\n`);
      await setSetting('machineChecks', 'on');
      const doc = await openSupervisor(vscode.Uri.file(file), true);
      const d = await diagnosticWith(doc, 'path-not-found');
      assert.equal(doc.getText(d.range), `${dir}/venv/bin/celry`);
      await applyAction(actionTitled(await codeActionsAt(doc, d.range), 'Change celry to celery'));
      assert.equal(doc.lineAt(1).text, `command=${dir}/venv/bin/celery -A proj worker -l info`);
      await diagnosticsWhen(doc.uri, 'the finding to go', (ds) => !has(ds, 'path-not-found'));
      await setSetting('machineChecks', 'off');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a .supervisor-lint.json against its schema: a misspelt rule code is marked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-lint-config-'));
    try {
      const file = path.join(dir, '.supervisor-lint.json');
      fs.writeFileSync(file, '{\n  "rules": { "duplicate-key": "off", "duplicate-kye": "off" }\n}\n');
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const problems = await waitFor('the JSON schema check', () => {
        const ds = vscode.languages.getDiagnostics(doc.uri);
        return ds.length ? ds : undefined;
      }, 20_000);
      assert.deepEqual(problems.map((d) => doc.getText(d.range)), ['"duplicate-kye"'], problems.map((d) => d.message).join(' | '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
