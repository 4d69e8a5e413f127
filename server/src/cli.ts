#!/usr/bin/env node
/**
 * supervisor-lint: the language server's engine on the command line, for CI.
 * Exit status: 0 without errors, 1 when a file has an error, 2 on usage errors or unreadable files.
 */
import * as fs from 'node:fs';
import { structuredPatch } from 'diff';
import { analyzeText } from './core/analyze';
import { applyEdits } from './core/applyEdits';
import { RULES } from './core/rules';
import type { Finding } from './core/rules/rule';
import { settingsFrom } from './core/settings';
import { ruleDocsPath } from './docsLocation';

const VERSION = '0.1.0';

const USAGE = `Usage: supervisor-lint [options] FILE...

Checks supervisor config files (supervisord.conf, conf.d/*.conf) and the Celery workers they run.
Use - to read standard input.

Options:
  --format text|json   output format (default: text)
  --no-fixes           text format: do not show the suggested fixes
  --list-rules         list every rule code with its default severity
  --version            print the version
  -h, --help           show this help

Exit status: 0 when no file has an error, 1 when one has, 2 on usage errors or unreadable files.`;

interface Options {
  format: 'text' | 'json';
  showFixes: boolean;
  files: string[];
}

function usageError(message: string): never {
  process.stderr.write(`supervisor-lint: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { format: 'text', showFixes: true, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a === '--version') {
      process.stdout.write(`${VERSION}\n`);
      process.exit(0);
    } else if (a === '--list-rules') {
      for (const r of RULES) process.stdout.write(`${r.code.padEnd(44)} ${r.defaultSeverity.padEnd(12)} ${r.summary}\n`);
      process.exit(0);
    } else if (a === '--format' || a.startsWith('--format=')) {
      const value = a === '--format' ? argv[++i] : a.slice('--format='.length);
      if (value !== 'text' && value !== 'json') usageError(`--format must be text or json, not ${value ?? 'nothing'}`);
      opts.format = value;
    } else if (a === '--no-fixes') {
      opts.showFixes = false;
    } else if (a === '--') {
      opts.files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      usageError(`unknown option ${a}`);
    } else {
      opts.files.push(a);
    }
  }
  if (!opts.files.length) usageError('no files given');
  return opts;
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

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const settings = settingsFrom(undefined);
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const results: { path: string; findings: ReturnType<typeof toJsonFinding>[] }[] = [];
  let unreadable = false;
  for (const file of opts.files) {
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
      process.stderr.write(`supervisor-lint: cannot read ${file}: ${reason}\n`);
      unreadable = true;
      continue;
    }
    const name = file === '-' ? '<stdin>' : file;
    const { findings } = analyzeText(text, settings);
    for (const f of findings) counts[f.severity]++;
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
  const summary = { files: opts.files.length, errors: counts.error, warnings: counts.warning, information: counts.information, hints: counts.hint };
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ files: results, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `\n${summary.files} file(s): ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.information} information, ${summary.hints} hint(s).` +
        `${summary.errors + summary.warnings + summary.information + summary.hints ? ` Rule docs: ${ruleDocsPath('<code>')}` : ''}\n`,
    );
  }
  process.exitCode = unreadable ? 2 : counts.error ? 1 : 0;
}

main();
