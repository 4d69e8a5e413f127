// Renders images/icon.svg to images/icon.png (the Marketplace wants a PNG) with Debian's headless Chromium.
// Run it after editing the SVG: node scripts/renderIcon.mjs
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.SUPERVISOR_CHROMIUM ?? '/usr/bin/chromium';
execFileSync(chromium, [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--default-background-color=00000000',
  '--window-size=256,256',
  `--screenshot=${path.join(root, 'images', 'icon.png')}`,
  `file://${path.join(root, 'images', 'icon.svg')}`,
], { stdio: 'inherit' });
