/** Helpers for rule tests: run the engine on a snippet and look at one code's findings. */
import { analyzeText } from '../../server/src/core/analyze';
import type { Finding } from '../../server/src/core/rules/rule';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import { applyEdits } from '../../server/src/core/applyEdits';
import type { FixChecker } from './fixSafety';

export function settingsWith(overrides: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, rules: {}, ...overrides };
}

export function findings(text: string, code?: string, settings: Settings = DEFAULT_SETTINGS): Finding[] {
  const all = analyzeText(text, settings).findings;
  return code ? all.filter((f) => f.code === code) : all;
}

/** The text a finding's range covers. */
export function textAt(text: string, f: Finding): string {
  const lines = text.split(/\r\n|\r|\n/);
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/**
 * Applies the fix with this title (or the preferred one) of the first finding of `code`; with a
 * checker, through the fix-safety checks.
 */
export function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS, checker?: FixChecker): string {
  const f = findings(text, code, settings)[0];
  if (!f) throw new Error(`no ${code} finding`);
  const fix = title === undefined ? f.fixes.find((x) => x.isPreferred) ?? f.fixes[0] : f.fixes.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  if (!fix) throw new Error(`no fix ${String(title)} among ${f.fixes.map((x) => x.title).join(' | ')}`);
  return checker ? checker.checkFix(text, f, fix, settings) : applyEdits(text, fix.edits);
}
