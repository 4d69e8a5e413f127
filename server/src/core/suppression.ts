/**
 * Inline suppression comments, read from the comments the parser collected:
 *
 *     ; supervisor-lint: disable=<code>[,<code>...] -- reason
 *     ; supervisor-lint: disable-file=<code>[,<code>...] -- reason
 *
 * `disable=` as a full-line comment applies to the next line that is not itself a comment line (so
 * several suppression comments can be stacked), and to the comment lines in between; at the end of a line (an inline comment, which
 * configparser recognises only after whitespace) it applies to that line. A finding counts as on its
 * own first line and, when that line belongs to a value continued over several lines, also as on the
 * line of the value's key. `disable-file=` applies to the whole file and must come before the first
 * section header. Codes are separated by commas and/or spaces; `--` starts the free-text reason.
 *
 * A pure function of the document and the findings: the engine calls `applySuppressions` last.
 */
import { lineText, type Comment, type SupervisorDocument } from './model/document';
import type { Range, Severity, TextEdit } from './model/types';
import { deleteLines } from './edits';
import { isPySpace } from './model/parse';
import { ruleFor } from './rules';
import { compareFindings, type Finding, type Fix } from './rules/rule';
import type { Settings } from './settings';
import { partitionPoint } from './partitionPoint';

export const UNUSED_SUPPRESSION = 'unused-suppression';

/** The catalogue entry of the code this module reports (it is not a Rule: its findings need every other rule's). */
export const UNUSED_SUPPRESSION_RULE: { code: string; defaultSeverity: Severity; summary: string } = {
  code: UNUSED_SUPPRESSION,
  defaultSeverity: 'warning',
  summary: 'A supervisor-lint: disable comment (or one of its codes) that suppresses nothing.',
};

export const DIRECTIVE_MARKER = 'supervisor-lint:';
const MARKER_PATTERN = /supervisor-lint:/i;

/** Codes that are not rules but may appear on findings all the same. */
const ENGINE_CODES = new Set<string>([UNUSED_SUPPRESSION, 'internal-error']);

export function isKnownCode(code: string): boolean {
  return ENGINE_CODES.has(code) || ruleFor(code) !== undefined;
}

export interface SuppressedCode {
  /** Lower-cased. */
  code: string;
  /** As written. */
  text: string;
  range: Range;
}

export type DirectiveProblem = 'unknown-directive' | 'no-codes' | 'misplaced-file';

export interface Suppression {
  comment: Comment;
  /** The comment's line. */
  line: number;
  kind: 'line' | 'file';
  /** `disable` / `disable-file` as written, with its range (the hover target). */
  keyword: { text: string; range: Range };
  codes: SuppressedCode[];
  /** The line a `disable=` applies to (set by readSuppressions); -1 for `disable-file=` and for broken directives. */
  target: number;
  /** The text after `--`, trimmed (may be empty). */
  reason: string | undefined;
  /** Why this directive cannot work at all, if it cannot. */
  problem?: DirectiveProblem;
  /** Where a new code would be inserted (after the last code, or right after '='). */
  appendAt: Range['start'];
}

function isCodeBreak(c: number): boolean {
  return c === 44 /* , */ || isPySpace(c);
}

/**
 * Reads one comment as a directive, or undefined when it is not one (its text after `;`/`#` does not
 * start with the marker). Where it applies (`target`) is decided by `readSuppressions`.
 */
export function parseDirective(comment: Comment): Suppression | undefined {
  const text = comment.text;
  const range = comment.range;
  const line = range.start.line;
  const column = range.start.character;
  let i = 0;
  while (i < text.length && (text[i] === ';' || text[i] === '#')) i++;
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  if (text.slice(i, i + DIRECTIVE_MARKER.length).toLowerCase() !== DIRECTIVE_MARKER) return undefined;
  i += DIRECTIVE_MARKER.length;
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  const keywordStart = i;
  while (i < text.length && text[i] !== '=' && !isPySpace(text.charCodeAt(i))) i++;
  const keywordText = text.slice(keywordStart, i);
  const keyword = { text: keywordText, range: onLine(line, column + keywordStart, column + i) };
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  const keywordLower = keywordText.toLowerCase();
  const kind = keywordLower === 'disable-file' ? 'file' : 'line';
  if ((keywordLower !== 'disable' && keywordLower !== 'disable-file') || text[i] !== '=') {
    return { comment, line, kind, keyword, codes: [], target: -1, reason: undefined, problem: 'unknown-directive', appendAt: range.end };
  }
  i++; // '='
  let appendAt = { line, character: column + i };
  const codes: SuppressedCode[] = [];
  let reason: string | undefined;
  for (;;) {
    while (i < text.length && isCodeBreak(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    if (text.startsWith('--', i)) {
      reason = text.slice(i + 2).trim();
      break;
    }
    const start = i;
    while (i < text.length && !isCodeBreak(text.charCodeAt(i))) i++;
    const written = text.slice(start, i);
    codes.push({ code: written.toLowerCase(), text: written, range: onLine(line, column + start, column + i) });
    appendAt = { line, character: column + i };
  }
  return { comment, line, kind, keyword, codes, target: -1, reason, problem: codes.length ? undefined : 'no-codes', appendAt };
}

function onLine(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** Runs of full-line comments: where each one ends, computed once per line however often it is asked. */
class CommentLines {
  private readonly lines = new Set<number>();
  private readonly next = new Map<number, number>();

  constructor(doc: SupervisorDocument) {
    for (const c of doc.comments) if (!c.inline) this.lines.add(c.line);
  }

  has(line: number): boolean {
    return this.lines.has(line);
  }

  /** The first line at or after `line` that is not a full-line comment. */
  firstCodeLineFrom(line: number): number {
    const visited: number[] = [];
    let l = line;
    let known: number | undefined;
    while (this.lines.has(l) && (known = this.next.get(l)) === undefined) visited.push(l++);
    const end = known ?? l;
    for (const v of visited) this.next.set(v, end);
    return end;
  }
}

/** Every suppression comment of the document, in line order. */
export function readSuppressions(doc: SupervisorDocument): Suppression[] {
  return read(doc).suppressions;
}

function read(doc: SupervisorDocument): { suppressions: Suppression[]; commentLines: CommentLines | undefined } {
  const firstHeader = doc.sections.length ? doc.sections[0].headerRange.start.line : doc.lineCount;
  const result: Suppression[] = [];
  let commentLines: CommentLines | undefined;
  // Most files have none: one scan of the text instead of one per comment.
  if (!MARKER_PATTERN.test(doc.text)) return { suppressions: result, commentLines };
  for (const comment of doc.comments) {
    if (!MARKER_PATTERN.test(comment.text)) continue;
    const d = parseDirective(comment);
    if (!d) continue;
    if (!d.problem && d.kind === 'file' && d.line >= firstHeader) d.problem = 'misplaced-file';
    if (!d.problem && d.kind === 'line') {
      d.target = comment.inline ? d.line : (commentLines ??= new CommentLines(doc)).firstCodeLineFrom(d.line + 1);
    }
    result.push(d);
  }
  return { suppressions: result, commentLines };
}

/** For each line inside a value continued over several lines (after its first), the line of its key. */
function keyLines(doc: SupervisorDocument): Map<number, number> {
  const map = new Map<number, number>();
  for (const section of doc.sections) {
    for (const entry of section.entries) {
      const first = entry.range.start.line;
      const last = entry.range.end.line;
      for (let l = first + 1; l <= last; l++) map.set(l, first);
    }
  }
  return map;
}

/** The lines a finding counts as being on: its first line, and its key's line inside a continued value. */
function anchorLines(finding: Finding, keys: Map<number, number>): number[] {
  const line = finding.range.start.line;
  const key = keys.get(line);
  return key === undefined ? [line] : [line, key];
}

interface CodeUse {
  s: Suppression;
  c: SuppressedCode;
  used: boolean;
}

function addUse(table: Map<string, CodeUse[]>, use: CodeUse): void {
  const list = table.get(use.c.code);
  if (list) list.push(use);
  else table.set(use.c.code, [use]);
}

/**
 * The findings that no suppression comment hides, plus an `unused-suppression` finding for every
 * suppression (or code of one) that hides nothing. `settings` is optional: with it, a code the user
 * turned off is never reported as unused (its rule did not run), and `unused-suppression` itself
 * follows the user's severity or `off`. Nor is a code whose rule could not judge the file here
 * (`judged` says false: a machine check without the machine). The result is sorted as the engine
 * sorts findings.
 */
export function applySuppressions(doc: SupervisorDocument, findings: Finding[], settings?: Pick<Settings, 'rules'>, judged: (code: string) => boolean = () => true): Finding[] {
  const { suppressions, commentLines } = read(doc);
  if (!suppressions.length) return findings;

  // Per line, then per code: the uses that may hide a finding there, most specific first.
  const byLine = new Map<number, Map<string, CodeUse[]>>();
  const fileWide = new Map<string, CodeUse[]>();
  const uses: CodeUse[] = [];
  for (const s of suppressions) {
    for (const c of s.codes) {
      const use: CodeUse = { s, c, used: false };
      uses.push(use);
      if (s.problem) continue;
      if (s.kind === 'file') {
        addUse(fileWide, use);
        continue;
      }
      let table = byLine.get(s.target);
      if (!table) byLine.set(s.target, (table = new Map<string, CodeUse[]>()));
      addUse(table, use);
    }
  }
  // Inline (on the line itself) before a comment above it.
  for (const table of byLine.values()) for (const list of table.values()) list.sort((a, b) => Number(b.s.comment.inline) - Number(a.s.comment.inline));

  const keys = keyLines(doc);
  const comments = commentLines ?? new CommentLines(doc);
  const hiderOf = (f: Finding): CodeUse | undefined => {
    for (const line of anchorLines(f, keys)) {
      if (!comments.has(line)) {
        const use = byLine.get(line)?.get(f.code)?.[0];
        if (use) return use;
        continue;
      }
      // On a comment line (a finding about a comment): the suppressions above it in the same run of comments.
      const uses = byLine.get(comments.firstCodeLineFrom(line))?.get(f.code);
      const use = uses?.find((u) => !u.s.comment.inline && u.s.line < line);
      if (use) return use;
    }
    return fileWide.get(f.code)?.[0];
  };

  const kept: Finding[] = [];
  for (const f of findings) {
    const use = hiderOf(f);
    if (use) use.used = true;
    else kept.push(f);
  }

  const setting = settings?.rules[UNUSED_SUPPRESSION];
  if (setting !== 'off') {
    for (const f of unusedFindings(doc, suppressions, uses, settings, judged)) {
      if (setting) f.severity = setting;
      const use = hiderOf(f);
      if (use) use.used = true;
      else kept.push(f);
    }
  }
  kept.sort(compareFindings);
  return kept;
}

function unusedFindings(doc: SupervisorDocument, suppressions: Suppression[], uses: CodeUse[], settings: Pick<Settings, 'rules'> | undefined, judged: (code: string) => boolean): Finding[] {
  const out: Finding[] = [];
  const usesOf = new Map<Suppression, CodeUse[]>();
  for (const u of uses) {
    const list = usesOf.get(u.s);
    if (list) list.push(u);
    else usesOf.set(u.s, [u]);
  }
  for (const s of suppressions) {
    if (s.problem) {
      out.push(unused(s.comment.range, brokenMessage(doc, s), removeCommentFix(doc, s.comment)));
      continue;
    }
    const own = usesOf.get(s) ?? [];
    // A code whose rule is off, or could not judge the file, did not run: we cannot tell, so say nothing.
    // unused-suppression is never "unused" itself.
    const silent = (u: CodeUse) => u.used || u.c.code === UNUSED_SUPPRESSION || (isKnownCode(u.c.code) && (settings?.rules[u.c.code] === 'off' || !judged(u.c.code)));
    const idle = own.filter((u) => !silent(u));
    if (!idle.length) continue;
    if (idle.length === own.length) {
      out.push(unused(s.comment.range, idleMessage(doc, s, idle), removeCommentFix(doc, s.comment)));
      continue;
    }
    for (const u of idle) out.push(unused(u.c.range, idleMessage(doc, s, [u]), removeCodeFix(s, u.c)));
  }
  return out;
}

function unused(range: Range, message: string, fix: Fix): Finding {
  return { code: UNUSED_SUPPRESSION, severity: UNUSED_SUPPRESSION_RULE.defaultSeverity, message, range, fixes: [fix], tag: 'unnecessary' };
}

/** At most `max` UTF-16 units, never ending on the first half of a surrogate pair. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 3;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}...`;
}

function quoteList(codes: string[]): string {
  return codes.map((c) => `'${shorten(c, 60)}'`).join(', ');
}

function idleMessage(doc: SupervisorDocument, s: Suppression, idle: CodeUse[]): string {
  const unknown = idle.filter((u) => !isKnownCode(u.c.code)).map((u) => u.c.text);
  if (unknown.length === idle.length) {
    return `${quoteList(unknown)} ${unknown.length > 1 ? 'are not rule codes' : 'is not a rule code'}, so this suppresses nothing. Copy the code from the problem you want to silence (supervisor-lint --list-rules lists them all), or remove it.`;
  }
  const codes = quoteList(idle.map((u) => u.c.text));
  const where =
    s.kind === 'file' ? 'in this file' : s.comment.inline ? 'on this line' : s.target < doc.lineCount ? `on line ${s.target + 1}` : 'after this comment';
  return `Nothing ${where} is reported as ${codes}, so this suppression has no effect. Remove it: left in place, it would hide a future problem of that kind without anyone noticing.`;
}

function brokenMessage(doc: SupervisorDocument, s: Suppression): string {
  switch (s.problem) {
    case 'misplaced-file': {
      const header = doc.sections[0];
      return `disable-file= works only at the top of the file, before the first section header${header ? ` (line ${header.headerRange.start.line + 1})` : ''}; here it suppresses nothing. Move it there, or use disable= on the line before the problem.`;
    }
    case 'no-codes':
      return `This suppression names no rule code, so it suppresses nothing. Write the code after '=', e.g. "; supervisor-lint: disable=duplicate-key -- reason".`;
    default:
      return `"${shorten(s.keyword.text, 40)}" is not a supervisor-lint directive, so this comment suppresses nothing. Write "supervisor-lint: disable=<code>" for one line or "supervisor-lint: disable-file=<code>" at the top of the file.`;
  }
}

/** Removes a whole comment: the line when it stands alone, else the comment and the blanks before it. */
function removeCommentFix(doc: SupervisorDocument, comment: Comment): Fix {
  const line = comment.line;
  let edits: TextEdit[];
  if (!comment.inline) {
    edits = deleteLines(doc, [line]);
  } else {
    const text = lineText(doc, line);
    let start = comment.range.start.character;
    while (start > 0 && isPySpace(text.charCodeAt(start - 1))) start--;
    edits = [{ range: onLine(line, start, text.length), newText: '' }];
  }
  return { title: 'Remove this unused suppression comment', edits, isPreferred: true, safeForFixAll: true };
}

/** Removes one code from a list that keeps others: with the separator after it, or before it for the last. */
function removeCodeFix(s: Suppression, code: SuppressedCode): Fix {
  const i = s.codes.indexOf(code);
  const range =
    i + 1 < s.codes.length
      ? { start: code.range.start, end: s.codes[i + 1].range.start }
      : { start: s.codes[i - 1].range.end, end: code.range.end };
  return { title: `Remove '${code.text}' from this suppression`, edits: [{ range, newText: '' }], isPreferred: true, safeForFixAll: true };
}

/** The comment on a line, if any (the parser records at most one per line, in line order). */
export function commentOnLine(doc: SupervisorDocument, line: number): Comment | undefined {
  const comments = doc.comments;
  const comment = comments[partitionPoint(comments.length, (i) => comments[i].line < line)];
  return comment?.line === line ? comment : undefined;
}

/** A well-formed `disable=` directive on this line or stacked right above it that applies to it. */
function lineDirectiveFor(doc: SupervisorDocument, line: number): Suppression | undefined {
  const own = commentOnLine(doc, line);
  if (own?.inline) {
    const d = parseDirective(own);
    return d && !d.problem && d.kind === 'line' ? d : undefined;
  }
  for (let l = line - 1; l >= 0; l--) {
    const c = commentOnLine(doc, l);
    if (!c || c.inline) return undefined;
    const d = parseDirective(c);
    if (d && !d.problem && d.kind === 'line') return d;
  }
  return undefined;
}

/**
 * "Disable <code> for this line": adds the code to a suppression already on (or stacked above) the
 * finding's first line; else appends `; supervisor-lint: disable=<code>` to the line, after a space, so
 * configparser reads it as an inline comment; else, when the line already has a comment, holds no
 * content, or the finding spans lines, inserts the comment on a line of its own above (a full-line
 * comment is allowed anywhere, also between the lines of a continued value). On line 0 of a file that
 * starts with a byte order mark, where no line can go above, it is a file-wide suppression instead.
 */
export function disableForLineFix(doc: SupervisorDocument, finding: Finding): Fix {
  const code = finding.code;
  const title = `Disable ${code} for this line`;
  const line = Math.max(0, Math.min(finding.range.start.line, doc.lineCount - 1));
  const existing = lineDirectiveFor(doc, line);
  if (existing) {
    const newText = `${existing.codes.length ? ',' : ''}${code}`;
    return { title, edits: [{ range: { start: existing.appendAt, end: existing.appendAt }, newText }] };
  }
  const text = lineText(doc, line);
  const bomLine = line === 0 && doc.text.charCodeAt(0) === 0xfeff;
  let indentEnd = bomLine ? 1 : 0;
  while (indentEnd < text.length && isPySpace(text.charCodeAt(indentEnd))) indentEnd++;
  const blank = indentEnd === text.length;
  const directive = `; supervisor-lint: disable=${code}`;
  const canEndLine = !commentOnLine(doc, line) && !blank && finding.range.end.line === finding.range.start.line;
  if (bomLine && !canEndLine) {
    // A byte order mark must stay first, so nothing can go above line 0: a file-wide suppression right
    // after the mark is the one comment that reaches a finding there.
    const afterBom = { line: 0, character: 1 };
    return { title: `Disable ${code} in this file`, edits: [{ range: { start: afterBom, end: afterBom }, newText: `; supervisor-lint: disable-file=${code}${doc.eol}` }] };
  }
  if (canEndLine) {
    const end = { line, character: text.length };
    const space = text.length && isPySpace(text.charCodeAt(text.length - 1)) ? '' : ' ';
    return { title, edits: [{ range: { start: end, end }, newText: `${space}${directive}` }] };
  }
  const start = { line, character: 0 };
  return { title, edits: [{ range: { start, end: start }, newText: `${text.slice(0, indentEnd)}${directive}${doc.eol}` }] };
}
