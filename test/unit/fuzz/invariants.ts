/**
 * What must hold for ANY text, however broken: the engine finishes without throwing (and without a rule
 * failing into an internal-error finding), every range lies inside the document in UTF-16 terms, and
 * every quick fix yields a text the engine reads again without throwing.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText, type Analysis } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { lineText, type SupervisorDocument } from '../../../server/src/core/model/document';
import type { Position, Range } from '../../../server/src/core/model/types';
import type { Finding } from '../../../server/src/core/rules/rule';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { applySuppressions, disableForLineFix } from '../../../server/src/core/suppression';
import { ENGINE_APPLIES_SUPPRESSIONS } from '../suppression/lint';

/**
 * fast-check parameters: a fixed seed by default, so CI is reproducible; FUZZ_SEED=<n> or FUZZ_SEED=random
 * to explore, FUZZ_SCALE=<x> to multiply the run counts (e.g. 10 for a long local session).
 */
export function fuzzParams(numRuns: number): fc.Parameters<unknown> {
  const scale = Number(process.env.FUZZ_SCALE ?? '1');
  const seedEnv = process.env.FUZZ_SEED;
  const seed = seedEnv === 'random' ? Date.now() ^ (Math.random() * 0x100000000) : seedEnv ? Number(seedEnv) : 20240607;
  return { numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))), seed };
}

/** The engine as the server runs it, suppressions included. */
export function lintAll(text: string): { analysis: Analysis; findings: Finding[] } {
  const analysis = analyzeText(text, DEFAULT_SETTINGS);
  const findings = ENGINE_APPLIES_SUPPRESSIONS ? analysis.findings : applySuppressions(analysis.doc, analysis.findings, DEFAULT_SETTINGS);
  return { analysis, findings };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Half of a surrogate pair without its other half. */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c)) {
      if (!isLow(s.charCodeAt(i + 1))) return true;
      i++;
    } else if (isLow(c)) return true;
  }
  return false;
}

/** Lines exactly as LSP counts them (\r\n, \n and \r all end a line). */
export function lspLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Bugs this fuzzing found in rules, reported to their owners and reproduced as todo tests in
 * found-bugs.test.ts. Only the one broken check is waived, only for that code: remove the entry once fixed.
 */
export const KNOWN_BUGS = {
  /** Codes whose ranges may end inside a surrogate pair. */
  surrogateSplit: new Set<string>([]),
  /** Codes whose fixes may hold overlapping edits. */
  overlappingEdits: new Set<string>([]),
};

/**
 * Messages that quote a cut of the text and end up with half a character in them: cosmetic (the editor
 * shows a replacement character), so collected and printed rather than failed, except for the codes
 * below, whose modules are known to cut at character boundaries.
 */
export const halfCharacterMessages = new Map<string, string>();
const STRICT_MESSAGE_CODES = new Set<string>(['unused-suppression']);

/** Prints what `halfCharacterMessages` collected (call once per test file, at the end). */
export function reportHalfCharacterMessages(): void {
  if (!halfCharacterMessages.size) return;
  console.log(`messages with half a surrogate pair (cosmetic; codes and one example each):`);
  for (const [code, message] of halfCharacterMessages) console.log(`  ${code}: ${JSON.stringify(message.slice(0, 160))}`);
}

export function assertPositionInside(lines: string[], p: Position, what: string, allowSplit = false): void {
  assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: non-integer position ${JSON.stringify(p)}`);
  assert.ok(p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} outside 0..${lines.length - 1}`);
  const line = lines[p.line];
  assert.ok(p.character >= 0 && p.character <= line.length, `${what}: character ${p.character} outside 0..${line.length} on line ${p.line}`);
  const c = p.character;
  if (allowSplit) return;
  assert.ok(!(c > 0 && c < line.length && isHigh(line.charCodeAt(c - 1)) && isLow(line.charCodeAt(c))), `${what}: ${JSON.stringify(p)} splits a surrogate pair`);
}

export function assertRangeInside(lines: string[], r: Range, what: string, allowSplit = false): void {
  assertPositionInside(lines, r.start, `${what} start`, allowSplit);
  assertPositionInside(lines, r.end, `${what} end`, allowSplit);
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  assert.ok(ordered, `${what}: start after end ${JSON.stringify(r)}`);
}

/**
 * A completion's two ranges as LSP's InsertReplaceEdit wants them: each on one line and holding the
 * position asked at, the insert range a prefix of the replace range.
 */
export function assertInsertReplace(insert: Range, replace: Range, position: Position, what: string): void {
  for (const [name, r] of [['insert', insert], ['replace', replace]] as const) {
    assert.ok(r.start.line === position.line && r.end.line === position.line, `${what}: ${name} range off the line asked at ${JSON.stringify(r)}`);
    assert.ok(r.start.character <= position.character && position.character <= r.end.character, `${what}: ${name} range ${JSON.stringify(r)} without ${JSON.stringify(position)}`);
  }
  assert.ok(insert.start.character === replace.start.character && insert.end.character <= replace.end.character, `${what}: insert ${JSON.stringify(insert)} no prefix of replace ${JSON.stringify(replace)}`);
}

/** The model agrees with the text: line table, entry and comment ranges. */
export function assertModel(doc: SupervisorDocument, lines: string[]): void {
  assert.equal(doc.lineCount, lines.length, 'lineCount');
  for (let l = 0; l < lines.length; l += Math.max(1, Math.floor(lines.length / 50))) assert.equal(lineText(doc, l), lines[l], `lineText(${l})`);
  for (const s of doc.sections) {
    assertRangeInside(lines, s.headerRange, `[${s.name.slice(0, 20)}] header`);
    for (const e of s.entries) {
      assertRangeInside(lines, e.range, `${e.key.slice(0, 20)} range`);
      assertRangeInside(lines, e.valueRange, `${e.key.slice(0, 20)} valueRange`);
    }
  }
  for (const c of doc.comments) assertRangeInside(lines, c.range, 'comment');
}

export interface CheckOptions {
  /** At most this many fixes are applied and re-analysed (all are range-checked). */
  maxFixes?: number;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Two edits of one fix that touch the same text (an editor refuses such a workspace edit), or undefined. */
export function overlappingEdits(edits: { range: Range }[]): string | undefined {
  const sorted = [...edits].sort((x, y) => (before(x.range.start, y.range.start) ? -1 : before(y.range.start, x.range.start) ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (before(sorted[i].range.start, sorted[i - 1].range.end)) return `${JSON.stringify(sorted[i - 1].range)} and ${JSON.stringify(sorted[i].range)}`;
  }
  return undefined;
}

/** Runs every invariant on one text; returns the number of fixes re-analysed. */
export function checkText(text: string, opts: CheckOptions = {}): number {
  const maxFixes = opts.maxFixes ?? Infinity;
  const { analysis, findings } = lintAll(text);
  const lines = lspLines(text);
  assertModel(analysis.doc, lines);
  const internal = findings.filter((f) => f.code === 'internal-error');
  assert.deepEqual(internal.map((f) => f.message), [], 'a rule threw');
  let applied = 0;
  const wellFormed = !hasLoneSurrogate(text);
  for (const f of findings) {
    const what = `${f.code} finding`;
    assertRangeInside(lines, f.range, what, KNOWN_BUGS.surrogateSplit.has(f.code));
    assert.ok(f.message.length > 0, `${what}: empty message`);
    // Messages quote the text: half a character in them comes from cutting a pair, not from the file.
    if (wellFormed && hasLoneSurrogate(f.message)) {
      assert.ok(!STRICT_MESSAGE_CODES.has(f.code), `${what}: message holds half a surrogate pair: ${JSON.stringify(f.message)}`);
      if (!halfCharacterMessages.has(f.code)) halfCharacterMessages.set(f.code, f.message);
    }
    const disable = disableForLineFix(analysis.doc, f);
    for (const fix of [...f.fixes, disable]) {
      for (const e of fix.edits) assertRangeInside(lines, e.range, `${what}: fix "${fix.title}" edit`, KNOWN_BUGS.surrogateSplit.has(f.code));
      const overlap = overlappingEdits(fix.edits);
      if (overlap && KNOWN_BUGS.overlappingEdits.has(f.code)) continue;
      assert.equal(overlap, undefined, `${what}: fix "${fix.title}" has overlapping edits`);
      if (applied >= maxFixes) continue;
      applied++;
      const after = applyEdits(text, fix.edits);
      const again = lintAll(after);
      assert.deepEqual(
        again.findings.filter((x) => x.code === 'internal-error').map((x) => x.message),
        [],
        `${what}: after fix "${fix.title}" a rule threw`,
      );
      // "Disable <code> for this line" hides that finding and brings up no other kind of problem.
      // (Disabling unused-suppression itself can turn another suppression partly unused: not offered.)
      if (fix === disable && f.code !== 'unused-suppression') {
        const count = (list: Finding[]) => list.filter((x) => x.code === f.code).length;
        assert.ok(count(again.findings) < count(findings), `${what}: "${fix.title}" does not hide it\n--- after ---\n${after}`);
        const known = new Set(findings.map((x) => x.code));
        const fresh = again.findings.filter((x) => !known.has(x.code)).map((x) => x.code);
        assert.deepEqual(fresh, [], `${what}: "${fix.title}" brings up new problems\n--- after ---\n${after}`);
      }
    }
  }
  return applied;
}
