/**
 * A section header indented under a key=value line. configparser reads an indented line after a key
 * as more of that key's value, whatever it looks like (blank and comment lines in between do not end
 * the value), so `  [program:worker]` under `command=gunicorn app` is no section: its keys and every
 * line up to the next real header belong to the section above. supervisor accepts the file.
 */
import { lineText, type Entry, type SupervisorDocument } from '../model/document';
import { comparePositions, rangeOn, type Range, type TextEdit } from '../model/types';
import { applyEdits } from '../applyEdits';
import { analyzeText } from '../analyze';
import { partitionPoint } from '../partitionPoint';
import { withFixesOnDemand, type Finding, type Fix, type Rule, type RuleContext } from './rule';

export const INDENTED_SECTION_HEADER = 'indented-section-header';

/** A continuation line that reads as a section header. */
export interface SwallowedHeader {
  /** The key=value entry whose value the line continues. */
  owner: Entry;
  /** The line's index in owner.parts. */
  part: number;
  /** The text between the brackets. */
  name: string;
  /** `[` to `]`. */
  range: Range;
}

/**
 * `[name]` alone on its line (the parser has already cut an inline comment and the spaces): what
 * supervisor would read as a header once the line is not indented. A name with brackets, quotes or
 * spaces at its ends is something else: a shell test `[ -f x ]`, a list `["a"]`.
 */
export function readsAsHeader(text: string): boolean {
  const n = text.length;
  if (n < 3 || text.charCodeAt(0) !== 91 /* [ */ || text.charCodeAt(n - 1) !== 93 /* ] */) return false;
  const name = text.slice(1, -1);
  return name.trim() === name && !/[[\]"']/.test(name);
}

/** A line that reads as key=value (or key: value, not a URL's `://`), as a key line under a header does. */
const KEY_LINE = /^[A-Za-z_][\w.]*[ \t]*(?:=|:(?!\/\/))/;

const swallowedOf = new WeakMap<SupervisorDocument, readonly SwallowedHeader[]>();

/** Every continuation line of the document that reads as a section header, in file order (computed once per document). */
export function swallowedHeaders(doc: SupervisorDocument): readonly SwallowedHeader[] {
  let found = swallowedOf.get(doc);
  if (found) return found;
  const list: SwallowedHeader[] = [];
  for (const entry of doc.multiLineEntries) {
    // Only a value continued on a line that starts with '[' can hold one: one search, no parts built.
    if (entry.value.indexOf('\n[') === -1) continue;
    const parts = entry.parts;
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i];
      if (readsAsHeader(p.text)) list.push({ owner: entry, part: i, name: p.text.slice(1, -1), range: rangeOn(p.line, p.startChar, p.startChar + p.text.length) });
    }
  }
  swallowedOf.set(doc, (found = list));
  return found;
}

/**
 * True when a swallowed header sits between two lines of one section header: what follows it would
 * be another section's once the header is fixed (duplicate-key asks before reporting two keys).
 */
export function swallowedBetween(doc: SupervisorDocument, firstLine: number, lastLine: number): boolean {
  const headers = swallowedHeaders(doc);
  const k = partitionPoint(headers.length, (i) => headers[i].range.start.line <= firstLine);
  return k < headers.length && headers[k].range.start.line < lastLine;
}

/**
 * The swallowed headers of one section whose fixes are checked (each check reads the section again):
 * beyond them a section is a whole file pasted with indentation, and the first fix already turns the
 * blocks after it into sections.
 */
const CHECKED_PER_SECTION = 16;

export const indentedSectionHeader: Rule = {
  code: INDENTED_SECTION_HEADER,
  defaultSeverity: 'warning',
  summary: 'A [section] header indented under a key=value line: supervisor reads it as part of that value, so the section does not exist.',
  check(ctx) {
    const headers = swallowedHeaders(ctx.doc);
    if (!headers.length) return [];
    const sections = new Map<number, SectionCheck>();
    let inSection = 0;
    return headers.map((h, i): Finding => {
      const { owner } = h;
      const sectionIndex = owner.sectionIndex;
      inSection = i > 0 && headers[i - 1].owner.sectionIndex === sectionIndex ? inSection + 1 : 0;
      const checked = inSection < CHECKED_PER_SECTION;
      const section = ctx.doc.sections[sectionIndex].name;
      const key = owner.rawKey;
      return withFixesOnDemand(
        {
          code: INDENTED_SECTION_HEADER,
          severity: 'warning',
          message: `This line is indented, so supervisor reads it as part of ${key}'s value in [${section}] (${key}= on line ${owner.keyRange.start.line + 1}), not as a section header: there is no [${h.name}] section, and the lines after it up to the next section header that is not indented belong to [${section}] too (the indented ones to ${key}'s value). Remove the indentation.`,
          range: h.range,
          related: [{ range: owner.keyRange, message: `${key}=, whose value supervisor continues with the [${h.name}] line` }],
        },
        () => {
          if (!checked) return [];
          let check = sections.get(sectionIndex);
          if (!check) sections.set(sectionIndex, (check = new SectionCheck(ctx, sectionIndex)));
          return unindentFix(ctx.doc, h, check);
        },
      );
    });
  },
};

/**
 * Moves the header back to the indentation of the key whose value it continues, with the key lines
 * under it (the lines at the column of the first line after it that read as key=value); the other lines
 * stay continuation lines of the key above them. When another header follows in the same value, its
 * line moves too: the value has to end there, or supervisor would read the rest as more of this section's
 * last value. No fix when the first line under the header is not a key line (supervisor would read it as
 * one), or when supervisor would refuse what it then reads (a program without a command, a value that
 * was harmless inside another value).
 */
function unindentFix(doc: SupervisorDocument, h: SwallowedHeader, check: SectionCheck): Fix[] {
  const { owner } = h;
  const indent = lineText(doc, owner.keyRange.start.line).slice(0, owner.keyRange.start.character);
  const unindent = (line: number, column: number): TextEdit => ({ range: rangeOn(line, 0, column), newText: indent });
  const edits = [unindent(h.range.start.line, h.range.start.character)];
  const parts = owner.parts;
  let keyColumn = -1;
  let next: string | undefined;
  for (let i = h.part + 1; i < parts.length; i++) {
    const p = parts[i];
    if (p.text === '') continue;
    if (readsAsHeader(p.text)) {
      next = p.text;
      edits.push(unindent(p.line, p.startChar));
      break;
    }
    if (keyColumn === -1) {
      if (!KEY_LINE.test(p.text)) return [];
      keyColumn = p.startChar;
    } else if (p.startChar !== keyColumn || !KEY_LINE.test(p.text)) {
      continue;
    }
    edits.push(unindent(p.line, p.startChar));
  }
  if (!check.accepts(edits)) return [];
  const keys = keyColumn === -1 ? '' : ' and of the key lines under it';
  const then = next === undefined ? '' : `${keys ? ',' : ''} and of the ${next} line after ${keys ? 'them' : 'it'}`;
  // Not in "Fix all" or --fix: like a memmon listener, it makes supervisor run what it does not run today.
  return [{ title: `Remove the indentation of [${h.name}]${keys}${then}`, edits, isPreferred: true, safeForFixAll: false }];
}

/**
 * Whether supervisor accepts a section's lines with some edits applied at least as well as now: as many
 * errors or fewer when the lines from its header to the next one are checked on their own. They hold
 * every line the edits change and every section those lines make, so this costs the section's size, not
 * the file's; the section as it is now is checked once.
 */
class SectionCheck {
  private readonly first: number;
  private readonly text: string;
  private errorsNow: number | undefined;

  constructor(
    private readonly ctx: RuleContext,
    sectionIndex: number,
  ) {
    const { doc } = ctx;
    const section = doc.sections[sectionIndex];
    this.first = section.headerLine;
    const to = section.endLine + 1 < doc.lineCount ? doc.lineStarts[section.endLine + 1] : doc.text.length;
    this.text = doc.text.slice(doc.lineStarts[this.first], to);
  }

  accepts(edits: readonly TextEdit[]): boolean {
    const first = this.first;
    const after = applyEdits(this.text, edits.map((e) => ({ range: rangeOn(e.range.start.line - first, e.range.start.character, e.range.end.character), newText: e.newText })));
    return this.errors(after) <= (this.errorsNow ??= this.errors(this.text));
  }

  private errors(text: string): number {
    const { settings, machine, file } = this.ctx;
    return analyzeText(text, settings, undefined, machine, file).findings.filter((f) => f.severity === 'error').length;
  }
}

/**
 * While a header is swallowed, the other rules read its lines, and the keys after it, as the section
 * above's: a fix of theirs that edits them (from the first such header to the end of its section) was
 * worked out for a reading the header's fix changes. duplicate-key's would delete the header with the
 * earlier key's value, a key added to the section above would land in the new one. Those fixes are
 * left out until the header is fixed; the findings stay.
 */
export function withoutFixesOnSwallowedLines(doc: SupervisorDocument, findings: Finding[]): Finding[] {
  const headers = swallowedHeaders(doc);
  if (!headers.length) return findings;
  const spans: Range[] = [];
  let sectionIndex = -1;
  for (const h of headers) {
    if (h.owner.sectionIndex === sectionIndex) continue;
    sectionIndex = h.owner.sectionIndex;
    const end = doc.sections[sectionIndex].endLine;
    spans.push({ start: h.range.start, end: { line: end, character: lineText(doc, end).length } });
  }
  // The spans are in file order and apart: the one an edit may touch is the first that ends at or after its start.
  const touches = (fix: Fix) =>
    fix.edits.some((e) => {
      const k = partitionPoint(spans.length, (i) => comparePositions(spans[i].end, e.range.start) < 0);
      return k < spans.length && comparePositions(e.range.end, spans[k].start) >= 0;
    });
  return findings.map((f) =>
    f.code === INDENTED_SECTION_HEADER
      ? f
      : // withFixesOnDemand copies the finding's other fields itself (related, tag, setting).
        withFixesOnDemand(f, () => f.fixes.filter((fix) => !touches(fix))),
  );
}
