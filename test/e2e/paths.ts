import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository: this file runs from out/test/e2e. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
export const EXAMPLE = path.join(REPO_ROOT, 'examples', 'supervisor.conf');
export const INTEGRATION_OUT = path.join(REPO_ROOT, 'out', 'test', 'integration');
export const DEFAULT_VSIX = path.join(REPO_ROOT, 'dist', 'supervisor-celery.vsix');
/** Logs and screenshots of `npm run test:vscode` (out/ is not committed). */
export const ARTIFACTS = process.env.SUPERVISOR_VSCODE_ARTIFACTS ?? path.join(REPO_ROOT, 'out', 'test-vscode');

/** Copies the fixture workspace to `target` (tests edit and save files; the repository's copy stays clean). */
export function copyFixtureWorkspace(target: string): string {
  fs.cpSync(FIXTURE_WORKSPACE, target, { recursive: true });
  return target;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The compiled *.test.js files in `outDir` whose TypeScript source is still in `sourceDir` (tsc leaves stale output behind). */
export function compiledTests(outDir: string, sourceDir: string): string[] {
  const names = fs.readdirSync(outDir).filter((f) => f.endsWith('.test.js'));
  const kept = fs.existsSync(sourceDir) ? names.filter((f) => fs.existsSync(path.join(sourceDir, f.replace(/\.js$/, '.ts')))) : names;
  return kept.sort().map((f) => path.join(outDir, f));
}
