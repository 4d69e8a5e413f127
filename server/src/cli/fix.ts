/**
 * --fix: writes the preferred fix of every finding back to its file, as the editor's "Fix all
 * supervisor problems that have a safe fix" does, then checks again, because fixes that touched the
 * same text wait for the next pass. A fix never makes a file worse: a pass after which a finding it fixed
 * is still reported (the same code and message), or that adds errors, is undone for that file, and the
 * file is left alone from then on. Other findings may appear: a command that Celery could not read before (a misspelt
 * sub-command) is checked once it can, and the advice for it is no fix's failure.
 */
import * as fs from 'node:fs';
import { applyEdits } from '../core/applyEdits';
import { combineFixes } from '../core/features/codeActions';
import type { CheckedFile } from './files';
import type { Finding } from '../core/rules/rule';

/** A finding as the user reads it: a fix that cured it leaves no finding saying the same. */
const said = (f: Finding) => `${f.code}\u0000${f.message}`;

/** How many findings say each thing, and how many errors there are. */
interface Tally {
  bySaying: Map<string, number>;
  errors: number;
}

function tally(findings: readonly Finding[]): Tally {
  const bySaying = new Map<string, number>();
  let errors = 0;
  for (const f of findings) {
    const key = said(f);
    bySaying.set(key, (bySaying.get(key) ?? 0) + 1);
    if (f.severity === 'error') errors++;
  }
  return { bySaying, errors };
}

/** Whether a pass made the file worse: a finding it fixed is still said as often, or there are more errors. */
function madeWorse(before: Tally, fixed: ReadonlySet<string>, after: Tally): boolean {
  if (after.errors > before.errors) return true;
  for (const key of fixed) if ((after.bySaying.get(key) ?? 0) >= (before.bySaying.get(key) ?? 0)) return true;
  return false;
}

/** As ESLint: enough for fixes that wait on each other, a bound for fixes that would never settle. */
const MAX_PASSES = 10;

export interface FixReport {
  /** Findings fixed, by file name as shown in the output. */
  fixed: Map<string, number>;
  /** Files not written, with the reason. */
  skipped: Map<string, string>;
  /** Those of `skipped` the file system refused to write (a read-only file ...): the run fails, as for an unreadable file. */
  unwritable: Set<string>;
}

/** Writes a file's fixed text; the tests stand in a write that fails. */
export type WriteFile = (file: string, text: string) => void;


/** Fixes every file `check` returns (standard input excepted), checking again after each pass. */
export function fixFiles(check: () => CheckedFile[], writeFile: WriteFile = fs.writeFileSync): FixReport {
  const report: FixReport = { fixed: new Map(), skipped: new Map(), unwritable: new Set() };
  /** Writes `text` into `file`; false, with the file left alone from then on, when the file system refuses. */
  const written = (name: string, file: string, text: string): boolean => {
    try {
      writeFile(file, text);
      return true;
    } catch (err) {
      report.skipped.set(name, `cannot write it: ${(err as Error).message}`);
      report.unwritable.add(name);
      return false;
    }
  };
  /** What each file was before the last pass changed it, and its findings then. */
  const before = new Map<string, { text: string; tally: Tally; fixedSayings: Set<string>; fixed: number }>();
  // Each pass checks what the previous one wrote; the last check only judges, it fixes nothing.
  for (let pass = 0; pass <= MAX_PASSES; pass++) {
    let changed = false;
    for (const checked of check()) {
      const { file, name, text } = checked;
      if (file === '-' || report.skipped.has(name)) continue;
      const last = before.get(file);
      before.delete(file);
      if (last && madeWorse(last.tally, last.fixedSayings, tally(checked.findings))) {
        if (!written(name, file, last.text)) continue;
        report.fixed.set(name, (report.fixed.get(name) ?? 0) - last.fixed);
        report.skipped.set(name, 'a fix did not cure its finding, so that pass was undone');
        continue;
      }
      if (pass === MAX_PASSES) continue;
      const { edits, findings } = combineFixes(checked.findings, true);
      if (!edits.length) continue;
      // Bytes that are not UTF-8 were read as U+FFFD: writing the text back would change them too.
      if (checked.utf8Error) {
        report.skipped.set(name, 'not valid UTF-8: rewriting it would change bytes the fixes do not touch');
        continue;
      }
      const after = applyEdits(text, edits);
      if (after === text || !written(name, file, after)) continue;
      before.set(file, { text, tally: tally(checked.findings), fixedSayings: new Set(findings.map(said)), fixed: findings.length });
      report.fixed.set(name, (report.fixed.get(name) ?? 0) + findings.length);
      changed = true;
    }
    if (!changed) break;
  }
  for (const [name, count] of report.fixed) if (count <= 0) report.fixed.delete(name);
  return report;
}
