/**
 * What a user sees: the example config in the real VS Code workbench (code-server in headless
 * Chromium), driven with Playwright. One page, one story, in order: open, squiggles, hovers, quick fix.
 * Each step saves a screenshot (out/test-vscode/screenshots).
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Locator, Page } from 'playwright-core';
import { screenshot, ui } from './context';
import { OWN_SUPERVISORD, startSupervisord, stopSupervisord, supervisordUnavailable } from '../../support/supervisord';

const FILE = 'supervisor.conf';
/** Line 17 of examples/supervisor.conf: a worker without -l and without a memory limit. */
const WORKER_LINE = 17;
const WORKER_COMMAND = '/home/allianceserver/venv/auth/bin/celery -A myauth worker';
/** Line 33: the gevent worker's pool and concurrency (below the first screen, code lenses included). */
const GEVENT_LINE = 33;

/**
 * Stands in for a virtualenv's celery: a main process with two pool processes until stopped (and
 * they with it), or a failure like Celery's with an app it cannot import.
 */
const FAKE_CELERY = `#!/bin/sh
case "$*" in
  *myauht*) echo "Error: Unable to load celery application. The module myauht was not found." >&2; exit 1 ;;
esac
sleep 100000 & a=$!
sleep 100000 & b=$!
trap 'kill $a $b; exit 0' TERM
wait
`;

/** A config with a supervisord of its own, for the process status picture: a worker that runs, a beat that cannot. */
const LIVE_CONFIG = `${OWN_SUPERVISORD}
[program:worker]
command=%(here)s/venv/bin/celery -A myauth worker -l info --max-memory-per-child 262144
directory=%(here)s
autorestart=true
startsecs=10
stopwaitsecs=600
killasgroup=true
redirect_stderr=true
stdout_logfile=%(here)s/worker.log

[program:beat]
command=%(here)s/venv/bin/celery -A myauht beat -l info
directory=%(here)s
autorestart=true
startsecs=10
startretries=1
redirect_stderr=true
stdout_logfile=%(here)s/beat.log
`;

function viewLine(page: Page, text: string): Locator {
  return page.locator('.view-lines .view-line', { hasText: text });
}

/** A token span of the rendered line that holds `lineText`. */
function token(page: Page, lineText: string, tokenText: RegExp): Locator {
  return viewLine(page, lineText).locator('span span', { hasText: tokenText }).first();
}

/** The text of a rendered line (narrower than the line element, which spans the editor). */
function lineText(page: Page, text: string): Locator {
  return viewLine(page, text).locator(':scope > span').first();
}

function hoverWith(page: Page, text: string | RegExp): Locator {
  return page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
}

async function dismiss(page: Page): Promise<void> {
  // An empty spot of the title bar: no hover, no tooltip.
  await page.mouse.move(200, 12);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
}

async function hoverOver(page: Page, target: Locator): Promise<void> {
  await dismiss(page);
  const box = await target.boundingBox();
  assert.ok(box, 'the word to hover is not on screen');
  await page.mouse.move(box.x + Math.min(6, box.width / 2), box.y + box.height / 2);
}

/**
 * Hovers `target` until a hover with `text` shows, and returns it. Code lenses arriving after the
 * mouse moved shift the lines under it (the hover then never opens): each try measures the word again.
 */
async function hoverShowing(page: Page, target: Locator, text: string | RegExp): Promise<Locator> {
  const hover = hoverWith(page, text);
  for (let attempt = 1; ; attempt++) {
    await hoverOver(page, target);
    try {
      await hover.waitFor({ timeout: 5_000 });
      return hover;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/**
 * Opens a file of the workspace with Quick Open until its tab is active. Enter can come while the
 * list is still being filled, and is then lost (once in CI: no tab after 30 s): three tries.
 */
async function openWithQuickOpen(page: Page, query: string, tabText: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(query);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: tabText }).first().waitFor();
    await page.keyboard.press('Enter');
    try {
      await page.locator('.tab.active', { hasText: tabText }).waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      console.log(`Quick Open of ${query}, try ${attempt}: no active tab ${tabText} after 10 s`);
      await page.keyboard.press('Escape');
    }
  }
}

async function gotoLine(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** [errors, warnings, infos] from the status bar's problems entry. */
async function problemCounts(page: Page): Promise<number[]> {
  const text = await page.locator('[id="status.problems"]').innerText();
  return (text.match(/\d+/g) ?? []).map(Number);
}

describe('the example config in VS Code (UI)', function () {
  this.timeout(60_000);
  let page: Page;
  /** The supervisord of the process status picture. */
  let daemon: ChildProcess | undefined;

  before(async function () {
    this.timeout(120_000);
    const { browser, server, workspace, extensionDevelopmentPath } = ui();
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    await page.goto(
      server.url(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)],
        ['skipWelcome', 'true'],
      ]),
    );
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('[id="status.problems"]').waitFor({ timeout: 60_000 });
  });

  // What the window showed when a test failed, next to the other pictures.
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !page) return;
    const name = `failed-${(this.currentTest.title.replace(/[^a-z0-9]+/gi, '-')).slice(0, 60)}.png`;
    await screenshot(page, name).catch(() => undefined);
  });

  after(async () => {
    await page?.close();
    await stopSupervisord(daemon);
  });

  it('opens examples/supervisor.conf as a Supervisor file', async () => {
    await openWithQuickOpen(page, FILE, FILE);
    await viewLine(page, '[program:worker]').waitFor();
    // The language mode in the status bar comes from the extension's language contribution.
    await page.locator('[id="status.editor.mode"]', { hasText: 'Supervisor' }).waitFor({ timeout: 20_000 });
    // More room for the editor: hide the side bar.
    await page.keyboard.press('Control+B');
  });

  it('underlines the findings with squiggles and counts them in the status bar', async () => {
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 30_000 });
    await page.locator('.squiggly-info').first().waitFor({ timeout: 30_000 });
    const [errors, warnings, infos] = await problemCounts(page);
    assert.equal(errors, 0, 'the example is a file supervisor accepts');
    assert.ok(warnings >= 3, `warnings: ${warnings}`);
    assert.ok(infos >= 2, `infos: ${infos}`);
    await screenshot(page, '01-squiggles.png', [
      lineText(page, '[program:beat]'),
      lineText(page, 'stderr_logfile=/home/allianceserver/myauth/log/worker.log'),
      lineText(page, '--max-memory-per-child 262144'),
      lineText(page, 'myauth worker -l info'),
    ]);
  });

  it('explains a [program:x] header on hover', async () => {
    const hover = await hoverShowing(page, token(page, '[program:worker]', /^program$/), 'program:worker');
    const text = await hover.innerText();
    assert.match(text, /\[program:worker\]/);
    assert.match(text, /Required: command/);
    await screenshot(page, '02-hover-section.png');
  });

  it('explains a Celery option on hover', async () => {
    await dismiss(page);
    await gotoLine(page, GEVENT_LINE, 1); // scrolls the line into view
    const hover = await hoverShowing(page, token(page, '--pool=gevent --concurrency=10', /concurrency/), /concurrency/i);
    const text = await hover.innerText();
    assert.match(text, /--concurrency/);
    await screenshot(page, '03-hover-celery-option.png', [hover, lineText(page, '--pool=gevent --concurrency=10')]);
  });

  it("shows a squiggle's message and rule code on hover", async () => {
    await dismiss(page);
    await gotoLine(page, WORKER_LINE, 1);
    const hover = await hoverShowing(page, token(page, WORKER_COMMAND, /^worker$/), 'celery-loglevel-missing');
    const text = await hover.innerText();
    assert.match(text, /has no -l\/--loglevel/);
    assert.match(text, /celery-memory-limit-missing/, 'both findings on the word are listed');
    await screenshot(page, '04-hover-finding.png');
  });

  it('opens the quick-fix menu on the finding', async () => {
    await dismiss(page);
    await gotoLine(page, WORKER_LINE, WORKER_COMMAND.length + 'command='.length - 2);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.locator('.monaco-list-row', { hasText: 'Add -l info to the worker command' }).waitFor({ timeout: 15_000 });
    const text = await menu.innerText();
    assert.match(text, /Add --max-memory-per-child 262144/);
    assert.match(text, /memmon listener/);
    await screenshot(page, '05-quick-fix-menu.png', [menu, lineText(page, '[program:worker]'), lineText(page, WORKER_COMMAND)]);
  });

  it('applies "Add -l info to the worker command" and the text and counts change', async () => {
    const before = await problemCounts(page);
    const withLoglevel = await viewLine(page, 'myauth worker -l info').count();
    const title = 'Add -l info to the worker command';
    const menu = page.locator('.action-widget');
    for (let i = 0; i < 10; i++) {
      const focused = await menu.locator('.monaco-list-row.focused').getAttribute('aria-label');
      if (focused === title) break;
      await page.keyboard.press('ArrowDown');
    }
    assert.equal(await menu.locator('.monaco-list-row.focused').getAttribute('aria-label'), title);
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    // Line 17 now reads "... worker -l info", like the worker-esi line already did.
    await page.waitForFunction(
      (n: number) =>
        [...(globalThis as any).document.querySelectorAll('.view-lines .view-line')].filter((l: any) =>
          l.textContent.replace(/\u00a0/g, ' ').includes('myauth worker -l info'),
        ).length > n,
      withLoglevel,
      { timeout: 15_000 },
    );
    await page.waitForFunction(
      (infos: number) => {
        const el = (globalThis as any).document.getElementById('status.problems');
        const counts = (el?.innerText.match(/\d+/g) ?? []).map(Number);
        return counts.length === 3 && counts[2] < infos;
      },
      before[2],
      { timeout: 15_000 },
    );
    const after = await problemCounts(page);
    assert.equal(after[2], before[2] - 1, 'one information less');
    assert.equal(after[1], before[1], 'the warnings stay');
    await screenshot(page, '06-fixed.png');
  });

  it('lists the findings with their codes in the Problems panel', async () => {
    await dismiss(page);
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.locator('.monaco-list-row', { hasText: 'celery-memory-limit-missing' }).first().waitFor({ timeout: 15_000 });
    const rows = await panel.locator('.monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('duplicate-key')), rows.join('\n'));
    assert.ok(!rows.some((r) => r.includes('celery-loglevel-missing') && r.includes('[Ln 17')), 'the fixed finding is gone');
    await screenshot(page, '07-problems-panel.png', [page.locator('.part.panel')]);
  });

  it('shows memory limits and durations in readable units as inlay hints', async () => {
    await page.keyboard.press('Control+Shift+M'); // the panel away again: room for the editor
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
    await gotoLine(page, 47, 1);
    // 256 written for 256 MB is 256 KiB: the hint says so next to the number.
    const tooLow = viewLine(page, '--max-memory-per-child 256 ');
    await tooLow.filter({ hasText: '= 256 KB' }).waitFor({ timeout: 15_000 });
    await viewLine(page, '--max-memory-per-child 262144').filter({ hasText: '= 256 MB' }).waitFor();
    const text = (await tooLow.innerText()).replace(/\s+/g, ' '); // the editor renders spaces as no-break spaces
    assert.ok(text.indexOf('= 256 KB') > text.indexOf('--max-memory-per-child 256'), `the hint follows the value: ${text}`);
    await screenshot(page, '08-inlay-hints.png', [lineText(page, '--max-memory-per-child 262144'), lineText(page, '--max-memory-per-child 256 ')]);
  });

  it('says in the language status which files the config was checked with', async () => {
    await dismiss(page);
    await gotoLine(page, GEVENT_LINE + 8, 1); // the faded and the struck-through option on screen, for the picture
    // The example is a fragment (no [supervisord]) that no main config of this workspace includes.
    await page.locator('[id="status.languageStatus"]').click();
    const status = page.locator('.hover-contents, .monaco-hover', { hasText: 'Checked alone' }).first();
    await status.waitFor({ timeout: 15_000 });
    const text = await status.innerText();
    assert.match(text, /no main config includes it/);
    assert.match(text, /Set Main Config/);
    await page.waitForTimeout(300); // the hover fades in
    await screenshot(page, '10-language-status.png', [status, lineText(page, '--max-memory-per-child 262144'), lineText(page, '--maxtasksperchild=100')]);
    await dismiss(page);
  });

  it('sums up each Celery worker in a code lens above its header', async () => {
    await gotoLine(page, GEVENT_LINE, 1);
    const lens = page.locator('.codelens-decoration', { hasText: 'Celery worker · gevent · 10 greenlets' });
    await lens.waitFor({ timeout: 15_000 });
    // A gevent worker ignores --max-memory-per-child, and the memmon size 256M makes memmon exit at start.
    assert.match(await lens.innerText(), /memmon exits at start \(cannot read '256M'\)/);
    await screenshot(page, '09-code-lens.png', [lens, lineText(page, '[program:worker-esi]'), lineText(page, 'greenlets instead of processes'), lineText(page, '--pool=gevent --concurrency=10')]);
  });

  it('offers "Treat This File as a Supervisor Config" in the command palette for a text file, not while a picture shows', async () => {
    const { workspace, extensionDevelopmentPath } = ui();
    fs.writeFileSync(path.join(workspace, 'notes.txt'), 'Nothing for supervisor here.\n');
    fs.copyFileSync(path.join(extensionDevelopmentPath, 'images', 'icon.png'), path.join(workspace, 'picture.png'));
    /** The rows the command palette lists for "Supervisor:", once the commands shown everywhere are there. */
    const supervisorCommands = async (): Promise<string> => {
      // The command center in the title bar, not Control+P: an image preview's webview keeps the keys it
      // gets. A click just after the webview took focus can go unanswered: three tries.
      for (let attempt = 1; ; attempt++) {
        await page.locator('.command-center-center').click();
        try {
          await page.locator('.quick-input-widget input').waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
      await page.keyboard.type('>Supervisor: ');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Commands to Apply Config Changes' }).first().waitFor();
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      return rows.join(' | ');
    };
    // By their full paths: Quick Open's file search does not list files created after the window opened.
    await openWithQuickOpen(page, path.join(workspace, 'notes.txt'), 'notes.txt');
    assert.match(await supervisorCommands(), /Treat This File as a Supervisor Config/);
    // An image preview is no text editor: the command would only say "Open a file first".
    await openWithQuickOpen(page, path.join(workspace, 'picture.png'), 'picture.png');
    try {
      assert.doesNotMatch(await supervisorCommands(), /Treat This File as a Supervisor Config/);
    } finally {
      // Back to a text editor: the picture's webview keeps Control+P, which the next tests' Quick Open presses
      // (a clean-clone CI run under load failed there).
      await page.locator('.tab', { hasText: 'notes.txt' }).first().click();
      await page.locator('.tab.active', { hasText: 'notes.txt' }).waitFor();
      await page.locator('.monaco-editor .view-lines').first().click();
    }
  });

  it('shows what the supervisord running a config says above each program', async function () {
    if (supervisordUnavailable()) this.skip();
    const dir = path.join(ui().workspace, 'live');
    fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'venv', 'bin', 'celery'), FAKE_CELERY, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'supervisord.conf'), LIVE_CONFIG);
    daemon = startSupervisord(path.join(dir, 'supervisord.conf'));

    await openWithQuickOpen(page, 'live/supervisord.conf', 'supervisord.conf');
    // Quick Open closed before Go to Line opens (once, Go to Line stayed open when they overlapped).
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await gotoLine(page, 16, 1);
    // The lenses come back every 5 s while processes show: wait for beat to give up (FATAL).
    const running = page.locator('.codelens-decoration', { hasText: /supervisord: RUNNING · pid \d+.* with 2 child processes/ });
    // Why beat gave up, from the end of its log.
    const fatal = page.locator('.codelens-decoration', { hasText: 'supervisord: FATAL · Exited too quickly · log: Error: Unable to load celery application' });
    await running.waitFor({ timeout: 30_000 });
    await fatal.waitFor({ timeout: 30_000 });
    const celery = page.locator('.codelens-decoration', { hasText: 'Celery worker · prefork' });
    // Both lenses of the worker on one line: wider than the window the other pictures use.
    await page.setViewportSize({ width: 1400, height: 860 });
    await page.waitForTimeout(300);
    await screenshot(page, '11-process-status.png', [celery, running, fatal, lineText(page, '-A myauht beat'), lineText(page, '--max-memory-per-child 262144')]);
    await page.setViewportSize({ width: 1200, height: 860 });

    // Clicking the state: the worker's log, and the supervisorctl commands for it.
    await running.locator('a', { hasText: 'supervisord: RUNNING' }).click();
    const restart = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Restart worker' });
    await restart.waitFor({ timeout: 15_000 });
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('worker') && r.includes('worker.log')), rows.join(' | '));
    assert.ok(rows.some((r) => r.includes('Stop worker') && r.includes('stop worker:')), rows.join(' | '));
    assert.ok(!rows.some((r) => r.includes('Start worker')), 'it runs: no start');
    await screenshot(page, '12-process-actions.png', [page.locator('.quick-input-widget'), lineText(page, '[program:worker]')]);
    // A log's button follows it in the terminal instead of opening the file (typed, not run).
    const log = page.locator('.quick-input-list .monaco-list-row', { hasText: 'worker.log' }).first();
    await log.hover();
    await log.locator('.codicon-terminal').click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.locator('.xterm-rows', { hasText: `tail -f worker:worker` }).waitFor({ timeout: 15_000 });

    // The language status: beat should run and does not, so a warning (VS Code draws it as an info sign
    // in the list and a dot in the status bar's {}), and Show Processes.
    await page.locator('[id="status.languageStatus"]').click();
    const status = page.locator('.hover-contents, .monaco-hover', { hasText: 'supervisord: 1 FATAL, 1 RUNNING' }).first();
    await status.waitFor({ timeout: 15_000 });
    assert.match(await status.innerText(), /Show Processes/);
    await page.waitForTimeout(300); // the hover fades in
    await screenshot(page, '13-supervisord-status.png', [status]);
    await dismiss(page);
  });

  it('has a walkthrough, listed under Welcome: Open Walkthrough, whose steps open', async () => {
    await dismiss(page);
    // The terminal of the test before takes half the window.
    await page.keyboard.press('Control+J');
    await page.locator('.command-center-center').click();
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('>Welcome: Open Walkthrough');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Open Walkthrough' }).first().waitFor();
    await page.keyboard.press('Enter');
    // The second list: every walkthrough of VS Code and its extensions.
    const ours = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with supervisor configs for Celery' });
    await ours.first().waitFor({ timeout: 15_000 });
    await ours.first().click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('.getting-started-step', { hasText: 'Describe the server the workers run on' }).waitFor({ timeout: 15_000 });
    await walkthrough.locator('.getting-started-step', { hasText: 'Read a finding, fix it' }).click();
    await walkthrough.locator('.getting-started-step.expanded', { hasText: 'Browse the Rules' }).waitFor();
    // The step's Markdown page, beside it in a webview: a frame inside a frame, among those of other
    // webviews (the picture's preview is one), so every frame of the page is searched for its text.
    const rendered = async (): Promise<boolean> => {
      for (const frame of page.frames()) {
        if (await frame.locator('strong', { hasText: 'Disable celery-memory-limit-missing for this line' }).count().catch(() => 0)) return true;
      }
      return false;
    };
    for (let waited = 0; !(await rendered()); waited += 500) {
      assert.ok(waited < 30_000, "the step's page did not render in 30 s");
      await page.waitForTimeout(500);
    }
    await screenshot(page, '14-walkthrough.png', [walkthrough]);
  });
});
