/**
 * Runs the mocha suite inside VS Code's extension host (both runners load index.js or smoke.js,
 * whose `run()` calls this).
 *
 * The report is mocha's spec reporter without colours. Besides the extension host's console, it is
 * appended to `$SUPERVISOR_VSCODE_TEST_LOG_DIR/<name>.log` when that variable is set, and the counts to
 * `<name>.json`, because in code-server the extension host's console is not the runner's terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export interface SuiteOptions {
  /** Names the log files. */
  name: string;
  /** Only tests whose full title matches, e.g. /@smoke/. */
  grep?: RegExp;
}

/** What the running suite was asked to check; read by the tests. */
export const runConfig = {
  /** The extension must be the installed .vsix, not the development folder. */
  expectInstalledCopy: false,
};

export interface SuiteCounts {
  name: string;
  passes: number;
  failures: number;
  pending: number;
  tests: number;
  durationMs: number;
}

/**
 * The compiled test files whose TypeScript source still exists (tsc leaves the output of a deleted
 * source behind), or every compiled one when the sources are not next to out/.
 */
function testFiles(): string[] {
  const compiled = path.join(__dirname, 'suite');
  const sources = path.resolve(__dirname, '..', '..', '..', 'test', 'integration', 'suite');
  const names = fs.readdirSync(compiled).filter((f) => f.endsWith('.test.js'));
  const kept = fs.existsSync(sources) ? names.filter((f) => fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts')))) : names;
  return kept.sort().map((f) => path.join(compiled, f));
}

export function runSuite(options: SuiteOptions): Promise<void> {
  const logDir = process.env.SUPERVISOR_VSCODE_TEST_LOG_DIR;
  const logFile = logDir ? path.join(logDir, `${options.name}.log`) : undefined;
  if (logFile) fs.writeFileSync(logFile, '');
  const write = (line: string): void => {
    console.log(line);
    if (logFile) fs.appendFileSync(logFile, `${line}\n`);
  };
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => write(format(...args));

  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, slow: 2_000, reporter: 'spec' });
  if (options.grep) mocha.grep(options.grep);
  for (const file of testFiles()) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    const started = Date.now();
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const counts: SuiteCounts = {
          name: options.name,
          passes: stats?.passes ?? 0,
          failures,
          pending: stats?.pending ?? 0,
          tests: stats?.tests ?? 0,
          durationMs: Date.now() - started,
        };
        if (logDir) fs.writeFileSync(path.join(logDir, `${options.name}.json`), JSON.stringify(counts, null, 2));
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (counts.passes === 0) reject(new Error('no test ran'));
        else resolve();
      });
    } catch (err) {
      write(`could not run the suite: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      reject(err);
    }
  });
}
