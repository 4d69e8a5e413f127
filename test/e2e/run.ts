/**
 * `npm run test:vscode`: the extension in a real VS Code.
 *
 *   npm run test:vscode [-- --runner=code-server|electron] [-- runner arguments]
 *
 * The runner comes from --runner or SUPERVISOR_VSCODE_RUNNER; the default is code-server in headless
 * Chromium (run-in-code-server.ts), which works offline. `electron` is @vscode/test-electron
 * (run-in-electron.ts), which downloads VS Code. Both first build what they test (the .vsix, or dist/
 * for electron) unless --no-build is given; the suite itself is compiled by the npm script.
 */
import { execFileSync } from 'node:child_process';
import { runInCodeServer } from './run-in-code-server';
import { runInElectron } from './run-in-electron';
import { REPO_ROOT } from './paths';

const RUNNERS = ['code-server', 'electron'] as const;
type Runner = (typeof RUNNERS)[number];

function npmRun(script: string): void {
  console.log(`[test:vscode] npm run ${script}`);
  execFileSync('npm', ['run', script, '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

async function main(argv: string[]): Promise<number> {
  let runner = (process.env.SUPERVISOR_VSCODE_RUNNER || 'code-server') as Runner;
  let build = true;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runner') runner = argv[++i] as Runner;
    else if (arg.startsWith('--runner=')) runner = arg.slice('--runner='.length) as Runner;
    else if (arg === '--no-build') build = false;
    else rest.push(arg);
  }
  if (!RUNNERS.includes(runner)) throw new Error(`unknown runner "${runner}" (${RUNNERS.join(', ')})`);
  if (runner === 'electron') {
    if (build) npmRun('build');
    return runInElectron();
  }
  if (build) npmRun('package');
  return runInCodeServer(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[test:vscode] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
