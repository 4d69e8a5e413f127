/** Entry point of the whole extension-host suite (`extensionTestsPath`), for both runners. */
import { runSuite } from './runner';

export function run(): Promise<void> {
  return runSuite({ name: 'integration' });
}
