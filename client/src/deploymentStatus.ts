/**
 * The "Supervisor deployment" language status item (the `{}` in the status bar): which files the
 * active config was checked with, asked of the server after each analysis; its command lists them.
 * Beside it, for a config a supervisord here runs, a "supervisord" item: its processes by state (a
 * warning when one should run and does not) and a command to list them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DEPLOYMENT_REQUEST, type DeploymentParams, type DeploymentStatusInfo } from '../../server/src/protocol';
import { deploymentStatus, supervisordStatus, unreadItems } from './deploymentText';
import { SHOW_PROCESSES_COMMAND } from '../../server/src/protocol';

export const SHOW_DEPLOYMENT_FILES = 'supervisor.showDeploymentFiles';
const LANGUAGE_ID = 'supervisor';
/** As often as the process status lenses come back. */
const SUPERVISORD_REFRESH_MS = 5_000;

export class DeploymentStatusItem implements vscode.Disposable {
  readonly item = vscode.languages.createLanguageStatusItem('supervisor.deployment', { language: LANGUAGE_ID });
  /** Made while a supervisord here runs the active config (an item cannot be hidden, only disposed). */
  supervisordItem: vscode.LanguageStatusItem | undefined;
  private summary: { uri: string; summary: DeploymentStatusInfo } | undefined;
  /** Answers to earlier questions are dropped: only the latest one counts. */
  private asked = 0;
  /** Asks again while the item shows what supervisord runs: its processes change without an edit. */
  private again: ReturnType<typeof setTimeout> | undefined;
  private lastAsked = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Supervisor deployment';
    this.item.text = 'Supervisor';
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      // The server publishes diagnostics after each analysis, which is when the deployment may change.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) void this.update();
      }),
      vscode.commands.registerCommand(SHOW_DEPLOYMENT_FILES, () => this.pickFile()),
    ];
  }

  /** Asks the server about the active supervisor document and shows the answer. */
  async update(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID || !this.client.isRunning()) return;
    const ticket = ++this.asked;
    this.lastAsked = Date.now();
    const params: DeploymentParams = { textDocument: { uri: doc.uri.toString() } };
    const summary = await this.client.sendRequest<DeploymentStatusInfo | null>(DEPLOYMENT_REQUEST, params).catch(() => null);
    if (ticket !== this.asked || !summary) return;
    this.summary = { uri: params.textDocument.uri, summary };
    clearTimeout(this.again);
    if (summary.supervisord !== undefined) this.again = setTimeout(() => void this.update(), SUPERVISORD_REFRESH_MS);
    const status = deploymentStatus(summary, doc.uri.scheme === 'file');
    this.item.text = status.text;
    this.item.detail = status.detail;
    this.item.command = status.action && {
      title: status.action.title,
      command: status.action.kind === 'showFiles' ? SHOW_DEPLOYMENT_FILES : 'workbench.action.openSettings',
      arguments: status.action.kind === 'showFiles' ? [] : ['supervisor.mainConfig'],
    };
    this.showSupervisord(supervisordStatus(summary));
  }

  private showSupervisord(status: ReturnType<typeof supervisordStatus>): void {
    if (!status) {
      this.supervisordItem?.dispose();
      this.supervisordItem = undefined;
      return;
    }
    const item = (this.supervisordItem ??= vscode.languages.createLanguageStatusItem('supervisor.supervisord', { language: LANGUAGE_ID }));
    item.name = 'supervisord';
    item.text = status.text;
    item.detail = status.detail;
    item.severity = status.warning ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.command = status.showProcesses ? { title: 'Show Processes', command: SHOW_PROCESSES_COMMAND } : undefined;
  }

  /** Asks again unless it just did (the process status lenses call this each time they come back). */
  refreshSoon(): void {
    if (Date.now() - this.lastAsked < SUPERVISORD_REFRESH_MS / 2) return;
    void this.update();
  }

  /**
   * A quick pick of the deployment's files in supervisor's read order; the chosen one opens. Below
   * them, what its [include] names that was not read, and why.
   */
  private async pickFile(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    // Run right after switching editors, the answer about the new one may not be in yet: ask for it (again
    // when an update started meanwhile dropped this one's answer).
    for (let tries = 0; tries < 3 && active !== undefined && this.summary?.uri !== active; tries++) {
      await this.update();
      // The user moved on to another editor meanwhile: its own status (and command) is what counts now.
      if (vscode.window.activeTextEditor?.document.uri.toString() !== active) return;
    }
    const summary = this.summary?.uri === active ? this.summary?.summary : undefined;
    const unread = summary ? unreadItems(summary) : [];
    if (!summary?.files.length && !unread.length) {
      void vscode.window.showInformationMessage('Supervisor: this file is checked by itself; no other file belongs to its deployment.');
      return;
    }
    const files: (vscode.QuickPickItem & { file?: string })[] = (summary?.files ?? []).map((file, i) => ({
      label: path.basename(file),
      description: [i === 0 ? 'main config' : '', vscode.Uri.file(file).toString() === active ? 'this file' : ''].filter(Boolean).join(' · '),
      detail: file,
      file,
    }));
    const notRead: (vscode.QuickPickItem & { file?: string })[] = unread.length ? [{ label: 'Not read', kind: vscode.QuickPickItemKind.Separator }, ...unread] : [];
    const chosen = await vscode.window.showQuickPick([...files, ...notRead], { placeHolder: 'Files of this deployment, in the order supervisord reads them' });
    if (chosen?.file) await vscode.window.showTextDocument(vscode.Uri.file(chosen.file));
  }

  dispose(): void {
    clearTimeout(this.again);
    this.supervisordItem?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
