/**
 * What the UI tests share with the runner that starts them (run-in-code-server.ts sets it before
 * mocha loads the test files): the browser, the code-server, the workspace and the screenshot folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { CodeServer } from '../codeServer';

export interface UiContext {
  browser: Browser;
  server: CodeServer;
  /** Folder the workbench opens; holds supervisor.conf, a copy of examples/supervisor.conf. */
  workspace: string;
  /** The extension folder to load (the repository). */
  extensionDevelopmentPath: string;
  screenshotsDir: string;
  /** When set, the screenshots named in DOCS_IMAGES are copied there too (docs/images). */
  docsImagesDir?: string;
}

let current: UiContext | undefined;

export function setUiContext(context: UiContext): void {
  current = context;
}

export function ui(): UiContext {
  if (!current) throw new Error('the UI tests run through test/e2e/run-in-code-server (npm run test:vscode)');
  return current;
}

/** Screenshots worth showing in the README, copied to docs/images with --update-docs-images. */
export const DOCS_IMAGES = new Set(['01-squiggles.png', '03-hover-celery-option.png', '05-quick-fix-menu.png', '07-problems-panel.png', '08-inlay-hints.png', '09-code-lens.png', '10-language-status.png', '11-process-status.png', '12-process-actions.png']);

/**
 * Saves a screenshot of the whole window. With --update-docs-images, the README's pictures are also
 * written to docs/images, cropped to the editor's left edge and the boxes of `focus` (kept small).
 */
export async function screenshot(page: Page, name: string, focus: Locator[] = []): Promise<string> {
  const { screenshotsDir, docsImagesDir } = ui();
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, name);
  await page.screenshot({ path: file });
  if (docsImagesDir && DOCS_IMAGES.has(name)) {
    fs.mkdirSync(docsImagesDir, { recursive: true });
    const clip = await clipAround(page, focus);
    await page.screenshot({ path: path.join(docsImagesDir, name.replace(/^\d+-/, '')), clip });
  }
  return file;
}

async function clipAround(page: Page, focus: Locator[]): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
  const viewport = page.viewportSize();
  const boxes = (await Promise.all(focus.map((l) => l.boundingBox()))).filter((b) => b !== null);
  if (!viewport || boxes.length === 0) return undefined;
  const editor = await page.locator('.monaco-editor').first().boundingBox();
  const left = Math.max(0, editor?.x ?? Math.min(...boxes.map((b) => b.x)));
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 12);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + 24);
  const statusBar = await page.locator('.part.statusbar').first().boundingBox();
  const bottom = Math.min(statusBar?.y ?? viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + 12);
  return { x: left, y: top, width: right - left, height: bottom - top };
}
