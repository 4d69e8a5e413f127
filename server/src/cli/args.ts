/** The command line: options, usage text, and the options that answer and exit (--help, --explain, --list-rules). */
import type { Severity } from '../core/model/types';
import { ruleDocsPath } from '../docsLocation';
import { VERSION, catalogue, isKnownCode, ruleDocs } from './catalogue';

export const USAGE = `Usage: supervisor-lint [options] FILE|FOLDER...

       supervisor-lint --explain CODE | --list-rules | --version

Checks supervisor config files (supervisord.conf, conf.d/*.conf) and the Celery workers they run.
A folder stands for the supervisor configs under it: supervisord.conf, supervisor.conf, .conf and .ini
files in a folder named supervisor, supervisord, supervisor.d or supervisord.d inside it (the folder's
own name and those above it do not count), and other .conf and .ini files whose first section is a
supervisor section. Use - to read standard input.

Options:
  --format text|json|sarif|github
                             output format (default: text); sarif is SARIF 2.1.0 for code-scanning
                             dashboards; github prints GitHub Actions annotations (workflow commands)
  --fail-on error|warning|information
                             exit with 1 when a finding of this severity or a higher one exists
                             (default: error; most Celery findings are warnings)
  --no-fixes                 text format: do not show the suggested fixes
  --fix                      write the preferred fix of each finding into its file (as the editor's
                             "Fix all"; memmon listeners are never added), then report what is left
  --disable CODE[,CODE...]   turn these rules off (repeatable); wins over the config file
  --config FILE              read settings from FILE instead of looking for .supervisor-lint.json
  --no-config                ignore every .supervisor-lint.json
  --no-follow-includes       check each file alone; by default a file with [include] is checked
                             together with the files it includes (each finding names its file)
  --check-machine            check commands, directory=, user=, log folders and %(ENV_X)s against
                             this machine: run it where supervisord runs (path-not-found,
                             user-not-found, folder-not-found, environment-variable-not-found)
  --list-rules               list every rule code with its default severity
  --explain CODE             print the documentation of a rule
  --version                  print the version
  -h, --help                 show this help

Silence a finding in the file itself with a comment on the line before it or at the end of its line:
  ; supervisor-lint: disable=CODE[,CODE...] -- reason
or for the whole file, before the first section header:
  ; supervisor-lint: disable-file=CODE[,CODE...]

Settings come from the nearest .supervisor-lint.json, looked up from each file's folder towards the
root; it has the shape of the extension's "supervisor" settings, e.g.
  {"rules": {"celery-startsecs-short": "off"}, "celery": {"version": "5.3", "serverCpuCount": 4}}

Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 on usage errors, unreadable
files, files --fix cannot write, or an invalid config file.`;

export type Format = 'text' | 'json' | 'sarif' | 'github';

/** Severities from the least to the most severe. */
export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
export const FAIL_ON = ['error', 'warning', 'information'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface Options {
  format: Format;
  failOn: FailOn;
  showFixes: boolean;
  /** --fix: write fixes into the files before reporting. */
  fix: boolean;
  followIncludes: boolean;
  /** --check-machine: check commands, directories, accounts, log folders and %(ENV_X)s against this machine (path-not-found, user-not-found, folder-not-found, environment-variable-not-found). */
  machineChecks: boolean;
  files: string[];
  /** Codes from --disable, checked against the catalogue. */
  disable: string[];
  /** --config FILE, or null for --no-config, or undefined to look for .supervisor-lint.json. */
  config: string | null | undefined;
}

function explain(code: string): never {
  const entry = catalogue().find((r) => r.code === code);
  const docs = ruleDocs(code);
  if (docs !== undefined) {
    process.stdout.write(docs.endsWith('\n') ? docs : `${docs}\n`);
  } else if (entry) {
    process.stdout.write(`# ${entry.code}\n\n**Default severity:** ${entry.defaultSeverity}\n\n${entry.summary}\n`);
    process.stderr.write(`supervisor-lint: no documentation page for ${code} at ${ruleDocsPath(code)}\n`);
  } else {
    process.stderr.write(`supervisor-lint: unknown rule code ${JSON.stringify(code)}; --list-rules lists them all\n`);
    process.exit(2);
  }
  process.exit(0);
}

/** The value of an option given as `--name value` or `--name=value`; moves the cursor past a separate value. */
function optionValue(argv: string[], cursor: { at: number }, name: string): string | undefined {
  const a = argv[cursor.at];
  if (a === name) return argv[++cursor.at];
  return a.slice(name.length + 1);
}

function usageError(message: string): never {
  process.stderr.write(`supervisor-lint: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): Options {
  const opts: Options = { format: 'text', failOn: 'error', showFixes: true, fix: false, followIncludes: true, machineChecks: false, files: [], disable: [], config: undefined };
  let configFlags = 0;
  const cursor = { at: 0 };
  for (; cursor.at < argv.length; cursor.at++) {
    const i = cursor.at;
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a === '--version') {
      process.stdout.write(`${VERSION}\n`);
      process.exit(0);
    } else if (a === '--list-rules') {
      for (const r of catalogue()) process.stdout.write(`${r.code.padEnd(44)} ${r.defaultSeverity.padEnd(12)} ${r.summary}\n`);
      process.exit(0);
    } else if (a === '--explain' || a.startsWith('--explain=')) {
      const value = optionValue(argv, cursor, '--explain');
      if (!value) usageError('--explain needs a rule code, e.g. --explain duplicate-key');
      explain(value);
    } else if (a === '--format' || a.startsWith('--format=')) {
      const value = optionValue(argv, cursor, '--format');
      if (value !== 'text' && value !== 'json' && value !== 'sarif' && value !== 'github') usageError(`--format must be text, json, sarif or github, not ${value ?? 'nothing'}`);
      opts.format = value;
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const value = optionValue(argv, cursor, '--fail-on');
      const level = FAIL_ON.find((l) => l === value);
      if (!level) usageError(`--fail-on must be error, warning or information, not ${value ?? 'nothing'}`);
      opts.failOn = level;
    } else if (a === '--no-fixes') {
      opts.showFixes = false;
    } else if (a === '--fix') {
      opts.fix = true;
    } else if (a === '--disable' || a.startsWith('--disable=')) {
      const value = optionValue(argv, cursor, '--disable');
      if (!value) usageError('--disable needs a rule code, e.g. --disable celery-startsecs-short');
      for (const code of value.split(',').map((c) => c.trim())) {
        if (!code) usageError(`--disable ${value}: empty rule code`);
        if (!isKnownCode(code)) usageError(`--disable: unknown rule code ${JSON.stringify(code)}; --list-rules lists them all`);
        opts.disable.push(code);
      }
    } else if (a === '--config' || a.startsWith('--config=')) {
      const value = optionValue(argv, cursor, '--config');
      if (!value) usageError('--config needs a file, e.g. --config ci/supervisor-lint.json');
      opts.config = value;
      configFlags++;
    } else if (a === '--no-config') {
      opts.config = null;
      configFlags++;
    } else if (a === '--no-follow-includes') {
      opts.followIncludes = false;
    } else if (a === '--check-machine') {
      opts.machineChecks = true;
    } else if (a === '--') {
      opts.files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      usageError(`unknown option ${a}`);
    } else {
      opts.files.push(a);
    }
  }
  if (configFlags > 1) usageError('give --config or --no-config once, not both or twice');
  if (!opts.files.length) usageError('no files given');
  if (opts.fix && opts.files.includes('-')) usageError('--fix writes the fixes into the files: it cannot fix standard input');
  return opts;
}
