import type { Finding, Fix } from '../rules/rule';
import { comparePositions, rangesOverlap, type Position, type Range, type TextEdit } from '../model/types';
import type { Analysis } from '../analyze';
import { refactors } from './refactors';
import { partitionPoint } from '../partitionPoint';

export type CodeActionKindName = 'quickfix' | 'refactor.rewrite' | 'source.fixAll';

export interface CodeActionInfo {
  title: string;
  kind: CodeActionKindName;
  edits: TextEdit[];
  /** The findings this action resolves (the LSP adapter turns them into the action's diagnostics). */
  findings: Finding[];
  isPreferred?: boolean;
}

/**
 * The edits taken so far, as disjoint blocks sorted by position (edits that share a position merge
 * into one block), so that asking whether an edit touches one of them is a binary search: a file with
 * 70,000 duplicate keys once spent seconds comparing every edit with every other on each request.
 * A range that ends before it starts (no rule makes one) is compared one by one, as rangesOverlap would.
 */
class TakenEdits {
  private readonly starts: Position[] = [];
  private readonly ends: Position[] = [];
  private readonly inverted: Range[] = [];
  /** Every range taken, for the rare inverted question. */
  private readonly all: Range[] = [];

  overlaps(edits: readonly TextEdit[]): boolean {
    for (const { range } of edits) {
      for (const r of this.inverted) if (rangesOverlap(range, r)) return true;
      if (comparePositions(range.start, range.end) > 0) {
        if (this.all.some((r) => rangesOverlap(r, range))) return true;
        continue;
      }
      const k = this.firstEndingAtOrAfter(range.start);
      if (k < this.ends.length && comparePositions(this.starts[k], range.end) <= 0) return true;
    }
    return false;
  }

  add(edits: readonly TextEdit[]): void {
    for (const { range } of edits) {
      this.all.push(range);
      if (comparePositions(range.start, range.end) > 0) {
        this.inverted.push(range);
        continue;
      }
      // The blocks this range touches are consecutive from the first that ends at or after its start.
      const k = this.firstEndingAtOrAfter(range.start);
      let j = k;
      let start = range.start;
      let end = range.end;
      while (j < this.ends.length && comparePositions(this.starts[j], range.end) <= 0) {
        if (comparePositions(this.starts[j], start) < 0) start = this.starts[j];
        if (comparePositions(this.ends[j], end) > 0) end = this.ends[j];
        j++;
      }
      this.starts.splice(k, j - k, start);
      this.ends.splice(k, j - k, end);
    }
  }

  private firstEndingAtOrAfter(p: Position): number {
    const ends = this.ends;
    return partitionPoint(ends.length, (i) => comparePositions(ends[i], p) < 0);
  }
}

/** The preferred fix of each finding, skipping those whose edits collide with one already taken. */
export function combineFixes(findings: readonly Finding[], onlySafe: boolean): { edits: TextEdit[]; findings: Finding[] } {
  const edits: TextEdit[] = [];
  const taken: Finding[] = [];
  const blocks = new TakenEdits();
  for (const f of findings) {
    const fix: Fix | undefined = f.fixes.find((x) => x.isPreferred && (!onlySafe || x.safeForFixAll !== false));
    if (!fix || blocks.overlaps(fix.edits)) continue;
    blocks.add(fix.edits);
    edits.push(...fix.edits);
    taken.push(f);
  }
  return { edits, findings: taken };
}

type Combined = ReturnType<typeof combineFixes>;

/** "Fix all" results by code (and SAFE_FIX_ALL) for each analysis's findings: the editor asks again on every cursor move. */
const combinedByFindings = new WeakMap<readonly Finding[], Map<string, Combined>>();
const SAFE_FIX_ALL = '\u0000safe';

function combinedFor(findings: readonly Finding[], code: string): Combined {
  let byCode = combinedByFindings.get(findings);
  if (!byCode) combinedByFindings.set(findings, (byCode = new Map()));
  let combined = byCode.get(code);
  if (!combined) {
    combined = code === SAFE_FIX_ALL ? combineFixes(findings, true) : combineFixes(findings.filter((f) => f.code === code), false);
    byCode.set(code, combined);
  }
  return combined;
}

/**
 * Quick fixes for the findings under `range` (each attached to its finding), "Fix all <code>" when the
 * file has several findings of that code, and one source.fixAll for the whole file.
 */
export function codeActions(analysis: Analysis, range: Range, only?: string[]): CodeActionInfo[] {
  const findings = analysis.findings;
  const wants = (kind: CodeActionKindName) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeActionInfo[] = [];
  if (wants('quickfix')) {
    const here = findings.filter((f) => rangesOverlap(f.range, range));
    for (const f of here) {
      for (const fix of f.fixes) {
        actions.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, findings: [f], isPreferred: fix.isPreferred });
      }
    }
    const codes = [...new Set(here.map((f) => f.code))];
    for (const code of codes) {
      const combined = combinedFor(findings, code);
      if (combined.findings.length < 2) continue;
      actions.push({ title: `Fix all ${code} in this file (${combined.findings.length})`, kind: 'quickfix', edits: combined.edits, findings: combined.findings });
    }
  }
  if (only && wants('source.fixAll')) {
    const combined = combinedFor(findings, SAFE_FIX_ALL);
    if (combined.edits.length) {
      actions.push({ title: 'Fix all supervisor problems that have a safe fix', kind: 'source.fixAll', edits: combined.edits, findings: combined.findings });
    }
  }
  if (wants('refactor.rewrite')) actions.push(...refactors(analysis, range));
  return actions;
}
