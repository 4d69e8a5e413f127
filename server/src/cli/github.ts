/**
 * `--format github`: GitHub Actions workflow commands (`::warning file=...,line=...::message`), which
 * the runner turns into annotations on the pull request's diff. Unlike a SARIF upload (which code
 * scanning needs GitHub Advanced Security for in a private repository) it works in any workflow.
 * Escaping follows GitHub's toolkit (`@actions/core`); the tests compare our lines with its own.
 */
import type { Severity } from '../core/model/types';
import type { Finding } from '../core/rules/rule';
import { findingNotes } from './output';

/** Workflow commands know error, warning and notice. */
const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** One workflow command for a finding of the file the runner knows as `name` (relative to the repository). */
export function githubAnnotation(name: string, f: Finding): string {
  const { start, end } = f.range;
  const properties = [
    `title=${escapeProperty(f.code)}`,
    `file=${escapeProperty(name)}`,
    `line=${start.line + 1}`,
    `endLine=${end.line + 1}`,
    `col=${start.character + 1}`,
    `endColumn=${end.character + 1}`,
  ];
  const lines = [f.message, ...findingNotes(name, f), `supervisor-lint --explain ${f.code}`];
  return `::${COMMAND[f.severity]} ${properties.join(',')}::${escapeData(lines.join('\n'))}`;
}

/** The message: % and line breaks are encoded, everything else is literal. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also : and , which separate the properties. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
