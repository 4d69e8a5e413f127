/**
 * Entry point of the smoke part of the suite, run against the packaged .vsix installed into
 * code-server: only the tests tagged @smoke, and the extension must not be the development folder.
 */
import { runConfig, runSuite } from './runner';

export function run(): Promise<void> {
  runConfig.expectInstalledCopy = true;
  return runSuite({ name: 'vsix-smoke', grep: /@smoke/ });
}
