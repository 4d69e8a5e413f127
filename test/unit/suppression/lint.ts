/**
 * The engine with suppressions applied, whether or not analyze.ts calls applySuppressions yet, and a
 * fix checker for suppression fixes (the shared FixChecker runs analyzeText alone).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import type { Finding, Fix } from '../../../server/src/core/rules/rule';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { applySuppressions } from '../../../server/src/core/suppression';
import { oracleUnavailable, runOracle } from '../../support/oracle';

/** True once the engine applies suppressions itself (a lone unused file-wide suppression is then reported). */
export const ENGINE_APPLIES_SUPPRESSIONS = analyzeText('; supervisor-lint: disable-file=duplicate-key\n[program:x]\ncommand=/bin/cat\n').findings.some(
  (f) => f.code === 'unused-suppression',
);

export function lint(text: string, settings: Settings = DEFAULT_SETTINGS): Finding[] {
  const { doc, findings } = analyzeText(text, settings);
  return ENGINE_APPLIES_SUPPRESSIONS ? findings : applySuppressions(doc, findings, settings);
}

/** The codes found, sorted by name. */
export function codes(text: string, settings?: Settings): string[] {
  return lint(text, settings)
    .map((f) => f.code)
    .sort();
}

export function only(text: string, code: string, settings?: Settings): Finding[] {
  return lint(text, settings).filter((f) => f.code === code);
}

/** Checks suppression fixes as the FixChecker checks rule fixes, and batches the texts for supervisor. */
export class SuppressionFixChecker {
  private readonly pairs: { label: string; before: string; after: string }[] = [];

  /** Applies `fix`, requires that `finding` is gone and nothing new appears; returns the fixed text. */
  check(text: string, finding: Finding, fix: Fix, settings: Settings = DEFAULT_SETTINGS): string {
    const where = `${finding.code}@${finding.range.start.line + 1}: "${fix.title}"`;
    const before = lint(text, settings);
    const after = applyEdits(text, fix.edits);
    assert.notEqual(after, text, `${where} changes nothing`);
    const now = lint(after, settings);
    const same = (f: Finding) => f.code === finding.code;
    assert.ok(now.filter(same).length < before.filter(same).length, `${where} does not resolve the finding\n--- after ---\n${after}`);
    // Nothing else may appear: the multiset of codes can only shrink (messages may cite shifted line numbers).
    const key = (f: Finding) => f.code;
    const left = before.map(key);
    for (const f of now) {
      const i = left.indexOf(key(f));
      assert.ok(i >= 0, `${where} adds a finding: ${key(f)}\n--- after ---\n${after}`);
      left.splice(i, 1);
    }
    if (text.includes('\r\n') && !/(^|[^\r])\n/.test(text)) assert.ok(!/(^|[^\r])\n/.test(after), `${where} breaks CRLF line endings`);
    if (!text.includes('\r')) assert.ok(!after.includes('\r'), `${where} adds CR characters to an LF file`);
    this.pairs.push({ label: where, before: text, after });
    return after;
  }

  /** A file supervisor accepted before a fix must be accepted after it (skips when supervisor is absent here). */
  verifyWithSupervisor(): void {
    if (oracleUnavailable() || !this.pairs.length) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suppression-fixes-'));
    try {
      const files = this.pairs.map((p, i) => {
        const b = path.join(dir, `${i}-before.conf`);
        const a = path.join(dir, `${i}-after.conf`);
        fs.writeFileSync(b, p.before);
        fs.writeFileSync(a, p.after);
        return { b, a, p };
      });
      const results = runOracle(files.flatMap((f) => [f.b, f.a]));
      const accepted = (r: { parse: string; semantic: string; env_dependent: boolean }) => r.parse === 'ok' && (r.semantic === 'ok' || r.env_dependent);
      for (const f of files) {
        const b = results.get(f.b)!;
        const a = results.get(f.a)!;
        if (accepted(b)) assert.ok(accepted(a), `${f.p.label}: supervisor refuses the fixed file: ${a.parse} / ${a.semantic}\n--- after ---\n${f.p.after}`);
        // The values supervisor reads stay the same: a suppression comment is only a comment.
        if (b.parse === 'ok') assert.deepEqual(a.sections, b.sections, `${f.p.label}: supervisor reads other values after the fix`);
      }
      console.log(`supervisor accepted ${files.length} file(s) after a suppression fix, with unchanged values`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
