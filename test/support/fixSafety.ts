/**
 * The one check every quick fix must pass: apply it, re-run the rules, and require that the finding is
 * gone, no new error appears, applying again changes nothing, line endings and full-line comments stay,
 * and supervisor still accepts the file, reading the same values for the keys the fix does not touch. The supervisor part is batched: all texts go to one oracle run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/core/analyze';
import { applyEdits } from '../../server/src/core/applyEdits';
import type { Finding, Fix } from '../../server/src/core/rules/rule';
import { rangeContains, type TextEdit } from '../../server/src/core/model/types';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import { parse } from '../../server/src/core/model/parse';
import { oracleUnavailable, runOracle } from './oracle';

interface Pending {
  label: string;
  before: string;
  after: string;
  /**
   * The keys the edits may change: those of the lines they touch and those their new text writes or
   * renames them to. Undefined when the edits touch a section header, which moves keys between sections.
   */
  touched: Set<string> | undefined;
}

/** A key=value (or key: value) line in an edit's new text. */
const KEY_LINE = /^[ \t]*([^\s=:;#[][^=:\r\n]*?)[ \t]*[=:]/gm;

function touchedKeys(text: string, edits: TextEdit[]): Set<string> | undefined {
  const textLines = text.split(/\r\n|\r|\n/);
  const lines = new Set<number>();
  for (const e of edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) lines.add(l);
  for (const l of lines) if (textLines[l]?.trim().startsWith('[')) return undefined;
  const keys = new Set<string>();
  for (const section of parse(text).sections) {
    for (const entry of section.entries) {
      if (!lines.has(entry.keyRange.start.line) && !entry.parts.some((p) => lines.has(p.line))) continue;
      keys.add(entry.key);
      for (const e of edits) if (rangeContains(entry.keyRange, e.range.start) && rangeContains(entry.keyRange, e.range.end)) keys.add(e.newText.trim().toLowerCase());
    }
  }
  for (const e of edits) for (const m of e.newText.matchAll(KEY_LINE)) keys.add(m[1].toLowerCase());
  return keys;
}

function fullLineComments(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith(';') || l.startsWith('#'));
}

function count<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

export class FixChecker {
  private readonly pending: Pending[] = [];
  fixesChecked = 0;

  /** Checks one fix of one finding in `text`; returns the fixed text. */
  checkFix(text: string, finding: Finding, fix: Fix, settings: Settings = DEFAULT_SETTINGS, label = finding.code): string {
    const where = `${label}: fix "${fix.title}"`;
    const findingsBefore = analyzeText(text, settings).findings;
    const after = applyEdits(text, fix.edits);
    assert.notEqual(after, text, `${where} changes nothing`);
    const now = analyzeText(after, settings).findings;
    const sameCodeBefore = findingsBefore.filter((f) => f.code === finding.code).length;
    const sameCodeAfter = now.filter((f) => f.code === finding.code).length;
    assert.ok(sameCodeAfter < sameCodeBefore, `${where} does not resolve the finding (${sameCodeBefore} -> ${sameCodeAfter})\n--- after ---\n${after}`);
    const errorsBefore = findingsBefore.filter((f) => f.severity === 'error').length;
    const errorsAfter = now.filter((f) => f.severity === 'error');
    assert.ok(errorsAfter.length <= errorsBefore, `${where} adds errors: ${errorsAfter.map((f) => f.code + ': ' + f.message).join('; ')}`);
    // Applying "again": the same fix is not offered any more.
    const sameAgain = now.some((f) => f.fixes.some((x) => x.title === fix.title && JSON.stringify(x.edits.map((e) => e.newText)) === JSON.stringify(fix.edits.map((e) => e.newText)) && f.code === finding.code && f.message === finding.message && JSON.stringify(f.range) === JSON.stringify(finding.range)));
    assert.ok(!sameAgain, `${where} is offered again after it was applied`);
    this.keeps(text, after, fix.edits, where);
    return after;
  }

  /** Checks edits that resolve no finding (a refactoring): no new error, and what checkFix checks of every fix. */
  checkEdits(text: string, edits: TextEdit[], settings: Settings = DEFAULT_SETTINGS, label = 'edits'): string {
    const after = applyEdits(text, edits);
    assert.notEqual(after, text, `${label} changes nothing`);
    const errorsBefore = analyzeText(text, settings).findings.filter((f) => f.severity === 'error').length;
    const errorsAfter = analyzeText(after, settings).findings.filter((f) => f.severity === 'error');
    assert.ok(errorsAfter.length <= errorsBefore, `${label} adds errors: ${errorsAfter.map((f) => f.code + ': ' + f.message).join('; ')}`);
    this.keeps(text, after, edits, label);
    return after;
  }

  /** Line endings and full-line comments kept; queued for supervisor. */
  private keeps(text: string, after: string, edits: TextEdit[], where: string): void {
    if (text.includes('\r\n') && !/(^|[^\r])\n/.test(text)) assert.ok(!/(^|[^\r])\n/.test(after), `${where} breaks CRLF line endings`);
    if (!text.includes('\r')) assert.ok(!after.includes('\r'), `${where} adds CR characters to an LF file`);
    const commentsBefore = count(fullLineComments(text));
    const commentsAfter = count(fullLineComments(after));
    for (const [c, n] of commentsBefore) assert.ok((commentsAfter.get(c) ?? 0) >= n, `${where} removes the comment line "${c}"`);
    this.pending.push({ label: where, before: text, after, touched: touchedKeys(text, edits) });
    this.fixesChecked++;
  }

  /** Checks every fix of every finding in `text` (optionally only for some codes). */
  checkAll(text: string, settings: Settings = DEFAULT_SETTINGS, codes?: string[], label = ''): number {
    let n = 0;
    for (const f of analyzeText(text, settings).findings) {
      if (codes && !codes.includes(f.code)) continue;
      for (const fix of f.fixes) {
        this.checkFix(text, f, fix, settings, `${label}${f.code}@${f.range.start.line + 1}`);
        n++;
      }
    }
    return n;
  }

  /**
   * Runs supervisor on every fixed text in one go: a file supervisor accepted before a fix must be
   * accepted after it. Returns a skip reason when supervisor is not available here.
   */
  verifyWithSupervisor(): string | undefined {
    const reason = oracleUnavailable();
    if (reason || !this.pending.length) return reason;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fix-safety-'));
    try {
      const files: { before: string; after: string; p: Pending }[] = this.pending.map((p, i) => {
        const before = path.join(dir, `${i}-before.conf`);
        const after = path.join(dir, `${i}-after.conf`);
        fs.writeFileSync(before, p.before);
        fs.writeFileSync(after, p.after);
        return { before, after, p };
      });
      const results = runOracle(files.flatMap((f) => [f.before, f.after]));
      for (const f of files) {
        const b = results.get(f.before)!;
        const a = results.get(f.after)!;
        const accepted = (r: typeof a) => r.parse === 'ok' && (r.semantic === 'ok' || r.env_dependent);
        if (!accepted(b)) continue;
        assert.ok(accepted(a), `${f.p.label}: supervisor refuses the fixed file: ${a.parse} / ${a.semantic}\n--- after ---\n${f.p.after}`);
        // The values of keys the fix does not touch stay as supervisor read them (a key line inserted
        // unindented among indented ones would swallow the next lines into its value).
        for (const [section, values] of Object.entries(b.sections ?? {})) {
          const now = a.sections?.[section];
          if (!now) continue;
          for (const [key, value] of Object.entries(values)) {
            if (f.p.touched && !f.p.touched.has(key)) assert.equal(now[key], value, `${f.p.label}: [${section}] ${key} changes, though the fix does not touch it\n--- after ---\n${f.p.after}`);
          }
        }
      }
      console.log(`supervisor accepted ${files.length} fixed file(s)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return undefined;
  }
}
