/**
 * Expand Selection (Shift+Alt+Right in VS Code): the ranges around a position, innermost first, each
 * containing the one before. From small to large: an option's value (memmon's NAME or SIZE), the whole
 * option, the Celery invocation inside a wrapper, one argument, one item of a list (`programs=`,
 * `events=`, `environment=`), an `%(name)s` expansion; then the value, the key=value entry with its
 * continuation lines, and the section. The editor adds words and the whole file itself.
 */
import { lineText, positionToValueOffset, sectionIndexAt, valueSpanToRange, type Entry, type Section, type SupervisorDocument } from '../model/document';
import { comparePositions, rangeContains, type Position, type Range } from '../model/types';
import { scanPercent } from '../model/percent';
import { splitArgv } from '../command/argv';
import { keySpec } from '../catalog/keys';
import type { Deployment } from '../deployment';

/** A span of an entry's value: offsets into `entry.value`, end exclusive. */
interface Span {
  start: number;
  end: number;
}

/**
 * The nested ranges around `position`, innermost first. Never empty: where nothing surrounds the
 * position (a blank line before the first section), the empty range at it.
 */
export function selectionRanges(doc: SupervisorDocument, deployment: Deployment, position: Position): Range[] {
  const section: Section | undefined = doc.sections[sectionIndexAt(doc, position.line)];
  const inner: Range[] = [];
  const comment = doc.comments.find((c) => c.line === position.line && rangeContains(c.range, position));
  if (comment) inner.push(comment.range);
  else if (section && position.line === section.headerLine) inner.push(...headerRanges(section, position));
  else if (section) {
    const entry = section.entries.find((e) => rangeContains(e.range, position));
    if (entry) inner.push(...entryRanges(entry, section, deployment, position));
  }
  const ranges = nested([...inner, ...(section ? [sectionRange(doc, section)] : [])]).filter((r) => rangeContains(r, position));
  return ranges.length > 0 ? ranges : [{ start: position, end: position }];
}

/** On a header: the label (`worker` of `program:worker`), the name, the brackets. */
function headerRanges(section: Section, position: Position): Range[] {
  const out: Range[] = [];
  const name = section.nameRange;
  if (section.label !== undefined && name.start.line === name.end.line) {
    const labelStart = { line: name.start.line, character: name.end.character - section.label.length };
    const label = { start: labelStart, end: name.end };
    if (rangeContains(label, position) && section.label.length > 0) out.push(label);
  }
  if (rangeContains(name, position)) out.push(name);
  if (rangeContains(section.headerRange, position)) out.push(section.headerRange);
  return out;
}

function entryRanges(entry: Entry, section: Section, deployment: Deployment, position: Position): Range[] {
  if (rangeContains(entry.keyRange, position)) return [entry.keyRange, entry.range];
  const offset = positionToValueOffset(entry, position);
  if (offset < 0) return [entry.range];
  const spans = [...commandSpans(entry, deployment, offset), ...listSpans(entry, section, offset), ...expansionSpans(entry.value, offset)];
  spans.sort((a, b) => a.end - a.start - (b.end - b.start));
  return [...spans.map((s) => valueSpanToRange(entry, s.start, s.end)), entry.valueRange, entry.range];
}

const around = (s: Span | undefined, offset: number): s is Span => !!s && s.start <= offset && offset <= s.end && s.end > s.start;
const span = (start: number | undefined, end: number | undefined): Span | undefined =>
  start !== undefined && end !== undefined ? { start, end } : undefined;

/**
 * In a command: the option under the cursor (its value or, for memmon, NAME and SIZE), the Celery
 * invocation when a wrapper (`bash -c`, `env`) surrounds it, and the argument as shlex splits it.
 */
function commandSpans(entry: Entry, deployment: Deployment, offset: number): Span[] {
  if (entry.key !== 'command') return [];
  const out: Span[] = [];
  const program = deployment.programs.find((p) => p.command === entry);
  const celery = program?.celery;
  if (celery) {
    const all = [...celery.globalOptions, ...celery.options, ...celery.misplacedGlobalOptions];
    const option = all.find((o) => around(o, offset));
    if (option) out.push(option, ...[span(option.valueStart, option.valueEnd)].filter((s) => around(s, offset)));
    out.push(...[span(celery.executableStart, celery.endOffset)].filter((s) => around(s, offset)));
  }
  const memmon = program?.memmon;
  if (memmon) {
    const limit = [...memmon.programs, ...memmon.groups, ...(memmon.any ? [memmon.any] : [])].find((l) => around(l, offset));
    if (limit) out.push(limit, ...[span(limit.nameStart, limit.nameEnd), span(limit.sizeStart, limit.sizeEnd)].filter((s) => around(s, offset)));
    else {
      const option = memmon.all.find((o) => around(o, offset));
      if (option) out.push(option, ...[span(option.valueStart, option.valueEnd)].filter((s) => around(s, offset)));
    }
  }
  const token = splitArgv(entry.value).tokens.find((t) => around(t, offset));
  if (token) out.push({ start: token.start, end: token.end });
  return dedupe(out);
}

/** One item of a comma list (`programs=`, `events=`, `exitcodes=`, `environment=`) or of `files=`; in `environment=`, also KEY and value. */
function listSpans(entry: Entry, section: Section, offset: number): Span[] {
  const type = keySpec(section.kind, entry.key)?.type;
  const value = entry.value;
  if (type === 'glob_list') return items(value, (c) => c === ' ' || c === '\t' || c === '\n').filter((s) => around(s, offset));
  if (type !== 'program_list' && type !== 'events' && type !== 'exit_codes' && type !== 'environment') return [];
  const item = items(value, (c, quoted) => c === ',' && !quoted).find((s) => around(s, offset));
  if (!item) return [];
  const out = [item];
  if (type === 'environment') {
    const eq = value.indexOf('=', item.start);
    if (eq >= 0 && eq < item.end) {
      const key = trimmed(value, item.start, eq);
      const val = trimmed(value, eq + 1, item.end);
      out.push(...[key, val].filter((s) => around(s, offset)));
    }
  }
  return out;
}

/** Non-empty pieces of `value` between separators, trimmed; quotes (for environment=) hide separators. */
function items(value: string, isSeparator: (c: string, quoted: boolean) => boolean): Span[] {
  const out: Span[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = value[i];
    if (i === value.length || isSeparator(c, quote !== '')) {
      const s = trimmed(value, start, i);
      if (s.end > s.start) out.push(s);
      start = i + 1;
    } else if (quote ? c === quote : c === '"' || c === "'") quote = quote ? '' : c;
  }
  return out;
}

function trimmed(value: string, start: number, end: number): Span {
  while (start < end && /\s/.test(value[start])) start++;
  while (end > start && /\s/.test(value[end - 1])) end--;
  return { start, end };
}

/** The `%(name)s` expansion under the cursor. */
function expansionSpans(value: string, offset: number): Span[] {
  if (!value.includes('%(')) return [];
  return scanPercent(value).filter((t) => t.kind === 'expansion' && around(t, offset)).map((t) => ({ start: t.start, end: t.end }));
}

function dedupe(spans: Span[]): Span[] {
  return spans.filter((s, i) => spans.findIndex((o) => o.start === s.start && o.end === s.end) === i);
}

/** From the header to the end of the section's last non-blank line (comments after the last key included). */
function sectionRange(doc: SupervisorDocument, section: Section): Range {
  let line = section.endLine;
  while (line > section.headerLine && lineText(doc, line).trim() === '') line--;
  const end = line === section.headerLine ? section.headerRange.end : { line, character: lineText(doc, line).length };
  return { start: section.headerRange.start, end };
}

/** Keeps each range that strictly grows the one before it, so the editor's chain is well nested. */
function nested(ranges: Range[]): Range[] {
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (!last) out.push(r);
    else if (contains(r, last) && !sameRange(r, last)) out.push(r);
  }
  return out;
}

const contains = (outer: Range, inner: Range) => comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
const sameRange = (a: Range, b: Range) => comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
