/** A finding in the text format (with its related places, setting and fix previews) and in the JSON format. */
import { structuredPatch } from 'diff';
import { applyEdits } from '../core/applyEdits';
import type { Finding } from '../core/rules/rule';
import type { TextEdit } from '../core/model/types';

/** A dotted settings key as the JSON of .supervisor-lint.json: celery.version -> {"celery":{"version":"5.3"}}. */
function configSnippet(key: string, value: string): string {
  return JSON.stringify(key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value));
}

/** `file:line:col: severity code message`, then its related places, the setting that resolves it, and each fix as a diff. */
export function textFinding(name: string, text: string, f: Finding, showFixes: boolean): string[] {
  const lines = [`${name}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`];
  for (const note of findingNotes(name, f)) lines.push(`    ${note}`);
  if (!showFixes) return lines;
  for (const fix of f.fixes) {
    lines.push(`    fix${fix.isPreferred ? ' (preferred)' : ''}: ${fix.title}`);
    lines.push(...fixPreview(text, fix.edits));
  }
  return lines;
}

/** The lines under a finding: its related places (`see file:line:col: ...`) and the setting that resolves it. */
export function findingNotes(name: string, f: Finding): string[] {
  const notes = (f.related ?? []).map((r) => `see ${r.file ?? name}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.message}`);
  if (f.setting) notes.push(`or, ${f.setting.condition}: set ${configSnippet(f.setting.key, f.setting.value)} in .supervisor-lint.json`);
  return notes;
}

/**
 * The lines a fix changes, as - and + lines (one hunk per changed region, with a line number). Only the
 * lines its edits touch are compared, so a file with thousands of findings costs no more per finding.
 */
export function fixPreview(text: string, edits: readonly TextEdit[]): string[] {
  const lines = linesOf(text);
  const out: string[] = [];
  for (const w of editWindows(edits)) {
    // The window is the file's own text from line `first` to `last`, line breaks included, with a line
    // more on each side so that the diff lines up blank lines as it would over the whole file.
    const first = Math.max(0, w.first - 1);
    const last = Math.min(lines.length - 1, w.last + 1);
    const before = lines.slice(first, last + 1).join('\n') + (last < lines.length - 1 ? '\n' : '');
    const shifted = w.edits.map((e) => ({ ...e, range: { start: { ...e.range.start, line: e.range.start.line - first }, end: { ...e.range.end, line: e.range.end.line - first } } }));
    const patch = structuredPatch('', '', before, normalizeEol(applyEdits(before, shifted)), '', '', { context: 0 });
    for (const hunk of patch.hunks) {
      out.push(`        @ line ${hunk.oldStart + first}`);
      for (const l of hunk.lines) if (!l.startsWith('\\')) out.push(`        ${l[0]} ${l.slice(1)}`);
    }
  }
  return out;
}

/** The edits in groups on the same or neighbouring lines (one hunk, as a diff shows them), each with the first and last line it covers. */
function editWindows(edits: readonly TextEdit[]): { first: number; last: number; edits: TextEdit[] }[] {
  const sorted = [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const windows: { first: number; last: number; edits: TextEdit[] }[] = [];
  for (const e of sorted) {
    const w = windows[windows.length - 1];
    if (w && e.range.start.line <= w.last + 1) {
      w.last = Math.max(w.last, e.range.end.line);
      w.edits.push(e);
    } else windows.push({ first: e.range.start.line, last: e.range.end.line, edits: [e] });
  }
  return windows;
}

/** The file's lines, split once for all the previews of its findings (the output goes file by file). */
let split: { text: string; lines: string[] } | undefined;
function linesOf(text: string): string[] {
  if (split?.text !== text) split = { text, lines: normalizeEol(text).split('\n') };
  return split.lines;
}

function normalizeEol(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

export function toJsonFinding(f: Finding) {
  const p = (x: { line: number; character: number }) => ({ line: x.line + 1, column: x.character + 1 });
  return {
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.related?.length
      ? { related: f.related.map((r) => ({ ...(r.file ? { file: r.file } : {}), ...p(r.range.start), message: r.message })) }
      : {}),
    ...(f.setting ? { setting: { key: f.setting.key, value: f.setting.value } } : {}),
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
