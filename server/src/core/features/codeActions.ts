import type { Finding, Fix } from '../rules/rule';
import { rangesOverlap, type Range, type TextEdit } from '../model/types';
import type { Analysis } from '../analyze';
import { refactors } from './refactors';

export type CodeActionKindName = 'quickfix' | 'refactor.rewrite' | 'source.fixAll';

export interface CodeActionInfo {
  title: string;
  kind: CodeActionKindName;
  edits: TextEdit[];
  /** The findings this action resolves (the LSP adapter turns them into the action's diagnostics). */
  findings: Finding[];
  isPreferred?: boolean;
}

function editsOverlap(a: TextEdit[], b: TextEdit[]): boolean {
  return a.some((x) => b.some((y) => rangesOverlap(x.range, y.range)));
}

/** The preferred fix of each finding, skipping those whose edits collide with one already taken. */
export function combineFixes(findings: Finding[], onlySafe: boolean): { edits: TextEdit[]; findings: Finding[] } {
  const edits: TextEdit[] = [];
  const taken: Finding[] = [];
  for (const f of findings) {
    const fix: Fix | undefined = f.fixes.find((x) => x.isPreferred && (!onlySafe || x.safeForFixAll !== false));
    if (!fix || editsOverlap(edits, fix.edits)) continue;
    edits.push(...fix.edits);
    taken.push(f);
  }
  return { edits, findings: taken };
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
      const all = findings.filter((f) => f.code === code);
      if (all.length < 2) continue;
      const combined = combineFixes(all, false);
      if (combined.findings.length < 2) continue;
      actions.push({ title: `Fix all ${code} in this file (${combined.findings.length})`, kind: 'quickfix', edits: combined.edits, findings: combined.findings });
    }
  }
  if (only && wants('source.fixAll')) {
    const combined = combineFixes(findings, true);
    if (combined.edits.length) {
      actions.push({ title: 'Fix all supervisor problems that have a safe fix', kind: 'source.fixAll', edits: combined.edits, findings: combined.findings });
    }
  }
  if (wants('refactor.rewrite')) actions.push(...refactors(analysis, range));
  return actions;
}
