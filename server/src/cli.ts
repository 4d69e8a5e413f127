#!/usr/bin/env node
/**
 * supervisor-lint: the language server's engine on the command line, for CI.
 * Exit status: 0 without findings at or above --fail-on (default: error), 1 with one, 2 on usage
 * errors or unreadable files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { structuredPatch } from 'diff';
import type * as sarif from 'sarif';
import Ajv, { type ErrorObject } from 'ajv';
import configSchema from '../../schemas/supervisor-lint.schema.json';
import { analyzeDeployment, analyzeText } from './core/analyze';
import { DEFAULT_INCLUDE_LIMITS, resolveIncludes, type FileSystemView } from './core/include';
import { parse } from './core/model/parse';
import { applyEdits } from './core/applyEdits';
import type { Range, Severity } from './core/model/types';
import { RULES, ruleFor } from './core/rules';
import type { Finding } from './core/rules/rule';
import { settingsFrom, type Settings } from './core/settings';
import { UNUSED_SUPPRESSION_RULE } from './core/suppression';
import { ruleDocsPath, ruleDocsUrl } from './docsLocation';

const VERSION = '0.1.0';

const USAGE = `Usage: supervisor-lint [options] FILE...

       supervisor-lint --explain CODE | --list-rules | --version

Checks supervisor config files (supervisord.conf, conf.d/*.conf) and the Celery workers they run.
Use - to read standard input.

Options:
  --format text|json|sarif   output format (default: text); sarif is SARIF 2.1.0 for code-scanning dashboards
  --fail-on error|warning|information
                             exit with 1 when a finding of this severity or a higher one exists
                             (default: error; most Celery findings are warnings)
  --no-fixes                 text format: do not show the suggested fixes
  --disable CODE[,CODE...]   turn these rules off (repeatable); wins over the config file
  --config FILE              read settings from FILE instead of looking for .supervisor-lint.json
  --no-config                ignore every .supervisor-lint.json
  --no-follow-includes       check each file alone; by default a file with [include] is checked
                             together with the files it includes (each finding names its file)
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
files or an invalid config file.`;

type Format = 'text' | 'json' | 'sarif';

/** Severities from the least to the most severe. */
const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const FAIL_ON = ['error', 'warning', 'information'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface Options {
  format: Format;
  failOn: FailOn;
  showFixes: boolean;
  followIncludes: boolean;
  files: string[];
  /** Codes from --disable, checked against the catalogue. */
  disable: string[];
  /** --config FILE, or null for --no-config, or undefined to look for .supervisor-lint.json. */
  config: string | null | undefined;
}

interface CatalogueEntry {
  code: string;
  defaultSeverity: Severity;
  summary: string;
}

/** Every code the engine reports: the rules, and unused-suppression (which is not a rule of its own). */
function catalogue(): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [...RULES];
  if (!entries.some((r) => r.code === UNUSED_SUPPRESSION_RULE.code)) entries.push(UNUSED_SUPPRESSION_RULE);
  return entries;
}

/** The text of a rule's documentation page, or undefined when the package has none (or the code is malformed). */
function ruleDocs(code: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(code)) return undefined;
  try {
    return fs.readFileSync(ruleDocsPath(code), 'utf8');
  } catch {
    return undefined;
  }
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

function parseArgs(argv: string[]): Options {
  const opts: Options = { format: 'text', failOn: 'error', showFixes: true, followIncludes: true, files: [], disable: [], config: undefined };
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
      if (value !== 'text' && value !== 'json' && value !== 'sarif') usageError(`--format must be text, json or sarif, not ${value ?? 'nothing'}`);
      opts.format = value;
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const value = optionValue(argv, cursor, '--fail-on');
      const level = FAIL_ON.find((l) => l === value);
      if (!level) usageError(`--fail-on must be error, warning or information, not ${value ?? 'nothing'}`);
      opts.failOn = level;
    } else if (a === '--no-fixes') {
      opts.showFixes = false;
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
  return opts;
}

/** A code --disable and the config file accept: a rule's, or unused-suppression. */
function isKnownCode(code: string): boolean {
  return ruleFor(code) !== undefined || code === UNUSED_SUPPRESSION_RULE.code;
}

const CONFIG_NAME = '.supervisor-lint.json';

function configError(message: string): never {
  process.stderr.write(`supervisor-lint: ${message}\n`);
  process.exit(2);
}

let validateConfig: ReturnType<Ajv['compile']> | undefined;

/** Ajv's errors as one line each: where in the file, and what is wrong there in words. */
function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') : 'the top level';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key ${JSON.stringify(params.additionalProperty)} in ${where}`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where} must be of type ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** Reads and checks a config file; exits with 2 and the reason when it is unreadable, not JSON or off the schema. */
function loadConfig(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    configError(`cannot read config file ${file}: ${reason}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    configError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    configError(`${file}: must be a JSON object like {"rules": {"celery-startsecs-short": "off"}}, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  validateConfig ??= new Ajv({ allErrors: true, strict: false }).compile(configSchema);
  const problems: string[] = [];
  if (!validateConfig(raw)) problems.push(...(validateConfig.errors ?? []).map(describeSchemaError));
  const rules = (raw as { rules?: unknown }).rules;
  if (typeof rules === 'object' && rules !== null && !Array.isArray(rules)) {
    for (const code of Object.keys(rules)) if (!isKnownCode(code)) problems.push(`rules: unknown rule code ${JSON.stringify(code)} (--list-rules lists them all)`);
  }
  if (problems.length) configError(`${file}: invalid config file:\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}`);
  return raw;
}

/** The nearest .supervisor-lint.json from dir up to the filesystem root. */
function findConfig(dir: string, cache: Map<string, string | undefined>): string | undefined {
  const visited: string[] = [];
  let found: string | undefined;
  for (let d = dir; ; ) {
    if (cache.has(d)) {
      found = cache.get(d);
      break;
    }
    visited.push(d);
    const candidate = path.join(d, CONFIG_NAME);
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
      found = candidate;
      break;
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const d of visited) cache.set(d, found);
  return found;
}

/**
 * The settings for each file: its config file (--config, or the nearest .supervisor-lint.json, or none
 * with --no-config) read as the extension reads its settings, then --disable on top. Every config is read
 * before any file is linted, so a bad one stops the run before any output.
 */
function settingsPerFile(opts: Options): Settings[] {
  const loaded = new Map<string, Settings>();
  const dirs = new Map<string, string | undefined>();
  const settingsOf = (configFile: string | undefined): Settings => {
    const key = configFile ?? '';
    let s = loaded.get(key);
    if (!s) {
      s = settingsFrom(configFile === undefined ? undefined : loadConfig(configFile));
      for (const code of opts.disable) s.rules[code] = 'off';
      loaded.set(key, s);
    }
    return s;
  };
  return opts.files.map((file) => {
    if (opts.config === null) return settingsOf(undefined);
    if (opts.config !== undefined) return settingsOf(path.resolve(opts.config));
    const dir = file === '-' ? process.cwd() : path.dirname(path.resolve(file));
    return settingsOf(findConfig(dir, dirs));
  });
}

/** Reads bytes, not text, so a byte order mark stays visible to the parser (supervisor chokes on it). */
function readFile(file: string): string {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** The lines a fix changes, as - and + lines (one hunk per changed region, with a line number). */
function fixPreview(text: string, after: string): string[] {
  const patch = structuredPatch('', '', normalizeEol(text), normalizeEol(after), '', '', { context: 0 });
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(`        @ line ${hunk.oldStart}`);
    for (const l of hunk.lines) if (!l.startsWith('\\')) out.push(`        ${l[0]} ${l.slice(1)}`);
  }
  return out;
}

function normalizeEol(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

function toJsonFinding(f: Finding) {
  const p = (x: { line: number; character: number }) => ({ line: x.line + 1, column: x.character + 1 });
  return {
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => {
        const s = p(e.range.start);
        const end = p(e.range.end);
        return { line: s.line, column: s.column, endLine: end.line, endColumn: end.column, newText: e.newText };
      }),
    })),
  };
}

const SARIF_LEVEL: Record<Severity, sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A relative URI for files under the working directory (resolved against %SRCROOT%), else a file: URL. */
function artifactLocation(file: string): sarif.ArtifactLocation {
  if (file === '-') return { uri: 'stdin', description: { text: 'standard input' } };
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF regions are 1-based; columns count UTF-16 code units, as LSP positions do; the end column is exclusive. */
function region(r: Range): sarif.Region {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

interface FileResult {
  file: string;
  findings: Finding[];
}

function toSarif(files: FileResult[], unreadable: string[]): sarif.Log {
  const rules = catalogue();
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const descriptors: sarif.ReportingDescriptor[] = rules.map((r) => {
    const docs = ruleDocs(r.code);
    return {
      id: r.code,
      shortDescription: { text: r.summary },
      helpUri: ruleDocsUrl(r.code),
      ...(docs ? { help: { text: `${r.summary} Documentation: ${ruleDocsUrl(r.code)}`, markdown: docs } } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
    };
  });
  const results: sarif.Result[] = [];
  for (const { file, findings } of files) {
    const location = artifactLocation(file);
    for (const f of findings) {
      const ruleIndex = index.get(f.code);
      results.push({
        ruleId: f.code,
        ...(ruleIndex === undefined ? {} : { ruleIndex }),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(f.range) } }],
        ...(f.fixes.length
          ? {
              fixes: f.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  { artifactLocation: location, replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) },
                ],
              })),
            }
          : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'supervisor-lint', version: VERSION, semanticVersion: VERSION, rules: descriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href.replace(/\/?$/, '/')}` } },
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            toolExecutionNotifications: unreadable.map((reason) => ({ level: 'error' as const, message: { text: reason } })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

interface CheckedFile {
  /** As shown in the output. */
  name: string;
  /** As given (or as found through [include]): what SARIF locations are built from. */
  file: string;
  text: string;
  findings: Finding[];
}

/** The file system as [include] resolution sees it: absolute '/'-separated paths. */
const NODE_FS: FileSystemView = {
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  read(file) {
    try {
      if (!fs.statSync(file).isFile()) return undefined;
      return readFile(file);
    } catch {
      return undefined;
    }
  },
};

/** An included file's name in the output: relative to the working directory when it is under it. */
function displayName(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return !relative || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

/**
 * Reads and checks every file given. A file with [include] is checked with the files it includes,
 * which come right after it in the output (once, even when they are also given on the command line).
 */
function collectFiles(opts: Options, unreadable: string[], settingsOf: (index: number) => Settings): CheckedFile[] {
  const given: { file: string; text: string; settings: Settings }[] = [];
  for (const [index, file] of opts.files.entries()) {
    try {
      given.push({ file, text: readFile(file), settings: settingsOf(index) });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
      process.stderr.write(`supervisor-lint: cannot read ${file}: ${reason}\n`);
      unreadable.push(`cannot read ${file}: ${reason}`);
    }
  }
  const out: CheckedFile[] = [];
  const done = new Set<string>();
  const key = (file: string) => (file === '-' ? '-' : path.resolve(file));
  // Fragments that a given main file includes are checked with it, not alone.
  // A deployment is checked with the settings of its main file (the config file nearest to it).
  const deployments = new Map<string, { members: { path: string; text: string; name: string; file: string }[]; complete: boolean; settings: Settings }>();
  const inDeployment = new Set<string>();
  if (opts.followIncludes) {
    for (const { file, text, settings } of given) {
      if (file === '-' || !text.includes('[include]') || deployments.has(key(file))) continue;
      const mainPath = path.resolve(file);
      const resolution = resolveIncludes(mainPath, parse(text), NODE_FS);
      if (!resolution.entry) continue;
      if (resolution.incomplete) {
        process.stderr.write(
          `supervisor-lint: ${file}: not every [include] pattern was followed (a pattern uses an expansion only supervisord knows, or the deployment exceeds ${DEFAULT_INCLUDE_LIMITS.maxFiles} files or ${DEFAULT_INCLUDE_LIMITS.maxBytes / 1024 / 1024} MiB)\n`,
        );
      }
      const members = [
        { path: mainPath, text, name: file, file },
        ...resolution.files.map((f) => ({ path: f.path, text: f.text, name: displayName(f.path), file: f.path })),
      ];
      deployments.set(mainPath, { members, complete: !resolution.incomplete, settings });
      for (const m of members.slice(1)) inDeployment.add(m.path);
    }
  }
  for (const { file, text, settings } of given) {
    const k = key(file);
    if (done.has(k) || (inDeployment.has(k) && !deployments.has(k))) continue;
    const deployment = deployments.get(k);
    if (deployment) {
      const { members, complete } = deployment;
      for (const a of analyzeDeployment(members, deployment.settings, complete)) {
        const m = members.find((x) => x.path === a.path)!;
        if (done.has(m.path)) continue;
        done.add(m.path);
        out.push({ name: m.name, file: m.file, text: a.text, findings: a.findings });
      }
      continue;
    }
    done.add(k);
    out.push({ name: file === '-' ? '<stdin>' : file, file, text, findings: analyzeText(text, settings).findings });
  }
  return out;
}

function main(): void {
  // Piped into `head` and the like: stop quietly when the reader goes away.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const opts = parseArgs(process.argv.slice(2));
  const perFile = settingsPerFile(opts);
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const results: { path: string; findings: ReturnType<typeof toJsonFinding>[] }[] = [];
  const analysed: FileResult[] = [];
  const unreadable: string[] = [];
  const checked = collectFiles(opts, unreadable, (index) => perFile[index]);
  for (const { name, file, text, findings } of checked) {
    for (const f of findings) counts[f.severity]++;
    if (opts.format === 'sarif') {
      analysed.push({ file, findings });
      continue;
    }
    if (opts.format === 'json') {
      results.push({ path: name, findings: findings.map(toJsonFinding) });
      continue;
    }
    for (const f of findings) {
      process.stdout.write(`${name}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}\n`);
      if (!opts.showFixes) continue;
      for (const fix of f.fixes) {
        process.stdout.write(`    fix${fix.isPreferred ? ' (preferred)' : ''}: ${fix.title}\n`);
        const preview = fixPreview(text, applyEdits(text, fix.edits));
        if (preview.length) process.stdout.write(`${preview.join('\n')}\n`);
      }
    }
  }
  const summary = { files: checked.length, errors: counts.error, warnings: counts.warning, information: counts.information, hints: counts.hint };
  if (opts.format === 'sarif') {
    process.stdout.write(`${JSON.stringify(toSarif(analysed, unreadable), null, 2)}\n`);
  } else if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ files: results, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `\n${summary.files} file(s): ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.information} information, ${summary.hints} hint(s).` +
        `${summary.errors + summary.warnings + summary.information + summary.hints ? ` Rule docs: ${ruleDocsPath('<code>')}` : ''}\n`,
    );
  }
  const threshold = SEVERITY_RANK[opts.failOn];
  const failing = (Object.keys(counts) as Severity[]).some((sev) => counts[sev] > 0 && SEVERITY_RANK[sev] >= threshold);
  process.exitCode = unreadable.length ? 2 : failing ? 1 : 0;
}

main();
