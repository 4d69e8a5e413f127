#!/usr/bin/env node
/**
 * supervisor-lint: the language server's engine on the command line, for CI.
 * Exit status: 0 without findings at or above --fail-on (default: error), 1 with one, 2 on usage
 * errors, unreadable files or (with --fix) files it cannot write.
 */
import type { Severity } from './core/model/types';
import { ruleDocsPath } from './docsLocation';
import { SEVERITY_RANK, parseArgs } from './cli/args';
import { settingsPerFile } from './cli/configFile';
import { collectFiles, expandFolders } from './cli/files';
import { fixFiles } from './cli/fix';
import { textFinding, toJsonFinding } from './cli/output';
import { toSarif, type FileResult } from './cli/sarif';
import { githubAnnotation } from './cli/github';

function main(): void {
  // Piped into `head` and the like: stop quietly when the reader goes away.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const opts = parseArgs(process.argv.slice(2));
  const unreadable: string[] = [];
  opts.files = expandFolders(opts.files, unreadable);
  const perFile = settingsPerFile(opts);
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const results: { path: string; findings: ReturnType<typeof toJsonFinding>[] }[] = [];
  const analysed: FileResult[] = [];
  const settingsOf = (index: number) => perFile[index];
  // The fix passes stay quiet: the check after them reports what cannot be read, once.
  const fixes = opts.fix ? fixFiles(() => collectFiles(opts, [], settingsOf, () => undefined)) : undefined;
  const checked = collectFiles(opts, unreadable, settingsOf);
  for (const [name, reason] of fixes?.skipped ?? []) {
    process.stderr.write(`supervisor-lint: ${name}: not fixed: ${reason}\n`);
    // A fix asked for and not written fails the run, as a file that cannot be read does.
    if (fixes?.unwritable.has(name)) unreadable.push(`${name}: not fixed: ${reason}`);
  }
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
    if (opts.format === 'github') {
      for (const f of findings) process.stdout.write(`${githubAnnotation(name, f)}\n`);
      continue;
    }
    for (const f of findings) process.stdout.write(`${textFinding(name, text, f, opts.showFixes).join('\n')}\n`);
  }
  const fixed = [...(fixes?.fixed.values() ?? [])].reduce((a, b) => a + b, 0);
  const summary = {
    files: checked.length,
    errors: counts.error,
    warnings: counts.warning,
    information: counts.information,
    hints: counts.hint,
    ...(fixes ? { fixed } : {}),
  };
  if (opts.format === 'sarif') {
    process.stdout.write(`${JSON.stringify(toSarif(analysed, unreadable), null, 2)}\n`);
  } else if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ files: results, summary }, null, 2)}\n`);
  } else {
    for (const [name, count] of fixes?.fixed ?? []) process.stdout.write(`${name}: fixed ${count} problem(s)\n`);
    process.stdout.write(
      `\n${summary.files} file(s): ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.information} information, ${summary.hints} hint(s)` +
        `${fixes ? `, after ${fixed} fixed` : ''}.` +
        `${summary.errors + summary.warnings + summary.information + summary.hints ? ` Rule docs: ${ruleDocsPath('<code>')}` : ''}\n`,
    );
  }
  const threshold = SEVERITY_RANK[opts.failOn];
  const failing = (Object.keys(counts) as Severity[]).some((sev) => counts[sev] > 0 && SEVERITY_RANK[sev] >= threshold);
  process.exitCode = unreadable.length ? 2 : failing ? 1 : 0;
}

main();
