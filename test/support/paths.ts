import * as fs from 'node:fs';
import * as path from 'node:path';

/** Tests run from out/test/...; the repository root is three levels up from out/test/support. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The workplace's shared folder (reference data, real-world corpus, supervisor oracle): next to the
 * checkout, or where SUPERVISOR_SHARED_DIR says. Absent for most people who clone the project.
 */
export const SHARED_DIR =
  process.env.SUPERVISOR_SHARED_DIR ??
  [path.resolve(REPO_ROOT, '..', 'shared'), '/work/shared'].find((d) => fs.existsSync(d)) ??
  path.resolve(REPO_ROOT, '..', 'shared');

export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus', 'real');
export const ORACLE = path.join(SHARED_DIR, 'tools', 'supervisor_oracle.py');

export function fixture(...parts: string[]): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', ...parts);
}

/** The real-world configs, or undefined (with the reason) when the shared corpus is not on this machine. */
export function corpusFiles(): { files: string[]; skip?: string } {
  if (!fs.existsSync(CORPUS_DIR)) {
    return { files: [], skip: `real-world corpus not found at ${CORPUS_DIR} (set SUPERVISOR_SHARED_DIR to use it)` };
  }
  const files = fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f !== 'MANIFEST.tsv')
    .sort()
    .map((f) => path.join(CORPUS_DIR, f));
  return { files };
}

/** Reads a file as the CLI does: UTF-8, byte order mark kept. */
export function readText(file: string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync(file));
}

/** True when CI demands that tests depending on the shared folder or on supervisor actually run. */
export const MUST_NOT_SKIP = process.env.SUPERVISOR_TESTS_REQUIRE_ORACLE === '1';
