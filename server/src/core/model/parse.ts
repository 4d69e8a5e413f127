/**
 * A position-aware reading of supervisor.conf that follows supervisor's UnhosedConfigParser
 * (Python's RawConfigParser with inline_comment_prefixes=(';', '#') and strict=False) line by line.
 *
 * One pass over the text without regular expressions or per-line substrings; entries and sections
 * keep plain offsets and build their Range objects only when asked (the model of a 75,000-line file
 * must cost little more than reading it). An entry is four fields (its section index and columns
 * packed into one small integer), keys and short values are shared strings found again from the text
 * without allocating, and lineStarts is computed only if someone asks: a parse allocates about what
 * the model keeps.
 * Never throws.
 */
import type { Comment, DuplicateKey, Entry, Problem, Section, SupervisorDocument } from './document';
import { rangeOn, type Position, type Range } from './types';
import { makeEntry, type ParsedEntry } from './entry';
import { INTERN_MAX_LENGTH, KEYS, KINDS, valueSlice } from './strings';

/** Python's str.isspace() for one UTF-16 unit (what strip(), \s and isspace() treat as whitespace). */
export function isPySpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) || c === 0x85 || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** What PrefixFinder returns when there is no further prefix: past any string's end, and a small integer (unlike Infinity). */
const NOT_FOUND = 0x3fffffff;

/**
 * Finds the next ';' or '#' from a position, remembering the answer: lines are read in order, so each
 * search resumes where the last one stopped and the whole file is scanned once per prefix.
 */
class PrefixFinder {
  private at = -1;
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly prefix: string,
  ) {}

  /** The first occurrence at or after `from`, or NOT_FOUND. */
  next(from: number): number {
    if (this.found !== NOT_FOUND && (this.found < from || this.at > from)) {
      this.at = from;
      const i = this.text.indexOf(this.prefix, from);
      this.found = i === -1 ? NOT_FOUND : i;
    }
    return this.found;
  }
}

/**
 * Where configparser starts an inline comment in text[lineStart, lineEnd), or -1. It advances the
 * search for ';' and '#' in lock-step rounds and stops at the first round that finds a prefix preceded
 * by whitespace, which is not always the leftmost such prefix (`a#b #c ;d` keeps `a#b #c`).
 */
function commentStart(text: string, semis: PrefixFinder, hashes: PrefixFinder, lineStart: number, lineEnd: number): number {
  let semi = lineStart - 1;
  let hash = lineStart - 1;
  let semiDone = false;
  let hashDone = false;
  while (!semiDone || !hashDone) {
    let found = -1;
    if (!semiDone) {
      semi = semis.next(semi + 1);
      if (semi >= lineEnd) semiDone = true;
      else if (semi === lineStart || isPySpace(text.charCodeAt(semi - 1))) found = semi;
    }
    if (!hashDone) {
      hash = hashes.next(hash + 1);
      if (hash >= lineEnd) hashDone = true;
      else if ((hash === lineStart || isPySpace(text.charCodeAt(hash - 1))) && (found === -1 || hash < found)) found = hash;
    }
    if (found !== -1) return found;
  }
  return -1;
}

/** The same rule for one line on its own (0-based column, or -1). */
export function inlineCommentStart(line: string): number {
  return commentStart(line, new PrefixFinder(line, ';'), new PrefixFinder(line, '#'), 0, line.length);
}

/** What a section's entries are until its last line is read (parse then gives it an exact-size copy). */
const NO_ENTRIES_YET: Entry[] = [];

class ParsedSection implements Section {
  entries: Entry[] = NO_ENTRIES_YET;
  endLine: number;
  duplicateOf: number | undefined = undefined;

  constructor(
    readonly name: string,
    readonly kind: string,
    readonly label: string | undefined,
    readonly headerLine: number,
    /** Column of the '['; the ']' follows the name. */
    private readonly openCol: number,
  ) {
    this.endLine = headerLine;
  }

  get headerRange(): Range {
    return rangeOn(this.headerLine, this.openCol, this.openCol + this.name.length + 2);
  }
  get nameRange(): Range {
    return rangeOn(this.headerLine, this.openCol + 1, this.openCol + 1 + this.name.length);
  }
}

/** The entries of a section and of the later headers merged into it, in file order, while parsing. */
class MergedEntries {
  /** The same entries by key, once there are too many to scan. */
  index: Map<string, Entry> | undefined = undefined;
  constructor(readonly all: Entry[]) {}
}

/**
 * A comment runs from its ';' or '#' to the end of its line, less trailing whitespace: three fields,
 * and its columns found again from the text when asked (one comment per line, so that is short work).
 */
class ParsedComment implements Comment {
  constructor(
    private readonly source: string,
    /** Offset of the ';' or '#' in the text. */
    private readonly start: number,
    /** line * 2 + (inline ? 1 : 0) */
    private readonly lineAndInline: number,
  ) {}
  get inline(): boolean {
    return (this.lineAndInline & 1) === 1;
  }
  get line(): number {
    return this.lineAndInline >>> 1;
  }
  get range(): Range {
    let lineStart = this.start;
    while (lineStart > 0 && !isLineBreak(this.source.charCodeAt(lineStart - 1))) lineStart--;
    return rangeOn(this.line, this.start - lineStart, this.end() - lineStart);
  }
  get text(): string {
    return this.source.slice(this.start, this.end());
  }
  private end(): number {
    const source = this.source;
    let end = this.start + 1;
    while (end < source.length && !isLineBreak(source.charCodeAt(end))) end++;
    while (isPySpace(source.charCodeAt(end - 1))) end--;
    return end;
  }
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** The model; `lineStarts` is computed on first use (most analyses never ask for it). */
class ParsedDocument implements SupervisorDocument {
  private lineStarts_: number[] | undefined = undefined;
  constructor(
    readonly text: string,
    readonly lineCount: number,
    readonly sections: Section[],
    readonly comments: Comment[],
    readonly problems: Problem[],
    readonly duplicateKeys: DuplicateKey[],
    readonly multiLineEntries: readonly Entry[],
    readonly unreadable: boolean,
    readonly eol: '\n' | '\r\n' | '\r',
  ) {}

  get lineStarts(): number[] {
    return (this.lineStarts_ ??= computeLineStarts(this.text, this.lineCount));
  }
}

/** Where each of the `lineCount` lines starts, splitting on \r\n, \n or \r as `parse` does. */
function computeLineStarts(text: string, lineCount: number): number[] {
  const starts = new Array<number>(lineCount);
  starts[0] = 0;
  let n = 1;
  if (text.indexOf('\r') === -1) {
    for (let i = text.indexOf('\n'); i !== -1 && n < lineCount; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  } else {
    for (let i = 0; i < text.length && n < lineCount; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      else if (c !== 10 && c !== 13) continue;
      starts[n++] = i + 1;
    }
  }
  return starts;
}

const NAME_LIMIT = 200;
const LINEAR_KEY_SCAN = 24;

/** One of 32 bits for a (non-empty) key: equal keys have the same bit, so a clear bit means a key not seen yet. */
function keyBit(key: string): number {
  return 1 << ((key.charCodeAt(0) + key.charCodeAt(key.length - 1) * 3 + key.length * 7) & 31);
}

function truncate(s: string): string {
  return s.length > NAME_LIMIT ? `${s.slice(0, NAME_LIMIT)}...` : s;
}

function describeLine(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function parse(source: string): SupervisorDocument {
  const hasBom = source.charCodeAt(0) === 0xfeff;
  // After reporting a BOM, read past it (as a same-width space) so the rest of the file still gets a model.
  const text = hasBom ? ` ${source.slice(1)}` : source;
  const length = text.length;
  const sections: ParsedSection[] = [];
  const comments: Comment[] = [];
  const problems: Problem[] = [];
  const duplicateKeys: DuplicateKey[] = [];
  const multiLineEntries: Entry[] = [];
  const hasCR = text.indexOf('\r') !== -1;
  const newlines = hasCR ? new PrefixFinder(text, '\n') : undefined;
  const returns = hasCR ? new PrefixFinder(text, '\r') : undefined;
  const sectionByName = new Map<string, number>();
  const semis = new PrefixFinder(text, ';');
  const hashes = new PrefixFinder(text, '#');
  const equals = new PrefixFinder(text, '=');
  const colons = new PrefixFinder(text, ':');

  let unreadable = false;
  let current: ParsedSection | undefined; // cursect (the DEFAULT section counts as one)
  let canonical: ParsedSection | undefined; // where current's keys merge (itself, or the first header of that name)
  // The entries of `current` so far: pending[0, pendingCount), reused from section to section, so that
  // each section gets an exact-size copy when it ends instead of an array grown by pushing.
  const pending: Entry[] = [];
  let pendingCount = 0;
  // The entries supervisor has for canonical so far: the pending ones, or for a repeated header the
  // merged list (then `merging`, and `merged` holds the list and its index for later headers).
  let known: Entry[] = pending;
  let knownIndex: Map<string, Entry> | undefined;
  // keyBit of every key in `known` (all bits for a merged list): a key whose bit is clear is new, unscanned.
  let knownKeys = 0;
  let merging = false;
  let merged: MergedEntries | undefined;
  const mergedBySection = new Map<number, MergedEntries>();
  let currentEntry: ParsedEntry | undefined; // optname's value list
  let continued = false; // whether currentEntry has continuation lines (its value still to be joined)
  // Blank lines inside a value, kept only if more value follows: (line, column) pairs, reused.
  const blankLines: number[] = [];
  let blankCount = 0;
  let indentLevel = 0;
  let missingHeaderReported = false;
  let crlf = 0;
  let lf = 0;
  let cr = 0;

  if (hasBom) {
    unreadable = true;
    problems.push({
      code: 'utf8-bom',
      severity: 'error',
      message:
        'The file starts with a UTF-8 byte order mark; supervisor then fails with "File contains no section headers". Save the file as UTF-8 without BOM.',
      range: rangeOn(0, 0, 1),
    });
  }

  let lineNo = 0;
  let start = 0;
  for (;;) {
    // Split on \r\n, \n or \r, as Python's universal newlines and LSP both do.
    let end: number;
    let next: number;
    if (!hasCR) {
      const nl = text.indexOf('\n', start);
      end = nl === -1 ? length : nl;
      next = nl === -1 ? -1 : nl + 1;
      if (nl !== -1) lf++;
    } else {
      const nl = newlines!.next(start);
      const ret = returns!.next(start);
      end = nl < ret ? nl : ret;
      if (end > length) end = length;
      if (end >= length) next = -1;
      else if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) {
        next = end + 2;
        crlf++;
      } else {
        if (text.charCodeAt(end) === 13) cr++;
        else lf++;
        next = end + 1;
      }
    }
    readLine(start, end, lineNo);
    lineNo++;
    if (next === -1) break;
    start = next;
  }
  if (continued) currentEntry!.finish();
  closeSection();

  const lineCount = lineNo;
  for (let i = 0; i < sections.length; i++) {
    sections[i].endLine = i + 1 < sections.length ? sections[i + 1].headerLine - 1 : lineCount - 1;
  }
  const eol = crlf >= lf && crlf >= cr && crlf > 0 ? '\r\n' : cr > lf ? '\r' : '\n';
  return new ParsedDocument(source, lineCount, sections, comments, problems, duplicateKeys, multiLineEntries, unreadable, eol);

  function readLine(lineStart: number, lineEnd: number, line: number): void {
    const commentAt = commentStart(text, semis, hashes, lineStart, lineEnd);
    const contentEnd = commentAt === -1 ? lineEnd : commentAt;
    let first = lineStart;
    while (first < contentEnd && isPySpace(text.charCodeAt(first))) first++;
    let last = contentEnd;
    while (last > first && isPySpace(text.charCodeAt(last - 1))) last--;

    if (commentAt !== -1) {
      comments.push(new ParsedComment(source, commentAt, line * 2 + (first < last ? 1 : 0)));
    }
    if (first === last) {
      // Empty after stripping: a blank line stays inside a value only if it carries no comment.
      if (commentAt === -1 && currentEntry) {
        blankLines[blankCount++] = line;
        blankLines[blankCount++] = first - lineStart;
      }
      return;
    }

    const firstCol = first - lineStart;
    if (current && currentEntry && firstCol > indentLevel) {
      currentEntry.continueWith(blankLines, blankCount, line, firstCol, text.slice(first, last));
      if (!continued) multiLineEntries.push(currentEntry);
      continued = true;
      blankCount = 0;
      return;
    }
    blankCount = 0;
    if (continued) {
      currentEntry!.finish();
      continued = false;
    }
    currentEntry = undefined;
    indentLevel = firstCol;

    if (text.charCodeAt(first) === 91 /* [ */) {
      let close = last - 1;
      while (close >= first + 2 && text.charCodeAt(close) !== 93 /* ] */) close--;
      if (close >= first + 2) {
        openSection(lineStart, line, first, close);
        return;
      }
    }
    if (!current) {
      if (!missingHeaderReported) {
        missingHeaderReported = true;
        unreadable = true;
        problems.push({
          code: 'missing-section-header',
          severity: 'error',
          message: `Text before the first section header: supervisor refuses the file ("File contains no section headers"). Start the file with a section such as [program:name], or comment this line out with ';'.`,
          range: rangeOn(line, firstCol, last - lineStart),
        });
      }
      return;
    }
    readOption(lineStart, line, first, last);
  }

  function closeSection(): void {
    if (current) current.entries = pending.slice(0, pendingCount);
    pendingCount = 0;
  }

  function openSection(lineStart: number, line: number, first: number, close: number): void {
    closeSection();
    const name = text.slice(first + 1, close);
    const colon = name.indexOf(':');
    const section = new ParsedSection(
      name,
      colon === -1 ? name : colon === 0 ? '' : (KINDS.find(text, first + 1, first + 1 + colon) ?? KINDS.intern(name.slice(0, colon))),
      colon === -1 ? undefined : name.slice(colon + 1),
      line,
      first - lineStart,
    );
    const earlier = sectionByName.get(name);
    if (earlier !== undefined) {
      section.duplicateOf = earlier;
      problems.push({
        code: 'duplicate-section',
        severity: 'warning',
        message: `[${truncate(name)}] is already defined on line ${sections[earlier].headerRange.start.line + 1}. Supervisor merges the two sections silently, and for a key set in both the value here wins. Merge them into one section.`,
        range: section.headerRange,
      });
      canonical = sections[earlier];
      merged = mergedBySection.get(earlier);
      if (!merged) mergedBySection.set(earlier, (merged = new MergedEntries(canonical.entries.slice())));
      known = merged.all;
      knownIndex = merged.index;
      knownKeys = -1;
      merging = true;
    } else {
      sectionByName.set(name, sections.length);
      canonical = section;
      known = pending;
      knownIndex = undefined;
      knownKeys = 0;
      merging = false;
      merged = undefined;
    }
    sections.push(section);
    current = section;
  }

  /** The entry supervisor would have for `key` so far in this section (and the headers merged into it). */
  function earlierEntry(key: string): Entry | undefined {
    const bit = keyBit(key);
    const maybeKnown = (knownKeys & bit) !== 0;
    knownKeys |= bit;
    if (!maybeKnown) return undefined;
    if (knownIndex) return knownIndex.get(key);
    const all = known;
    const count = merging ? all.length : pendingCount;
    // Few keys: a backwards scan is cheaper than a map per section; many keys: build the map once.
    if (count <= LINEAR_KEY_SCAN) {
      for (let i = count - 1; i >= 0; i--) if (all[i].key === key) return all[i];
      return undefined;
    }
    const index = new Map<string, Entry>();
    for (let i = 0; i < count; i++) index.set(all[i].key, all[i]);
    knownIndex = index;
    if (merged) merged.index = index;
    return index.get(key);
  }

  function readOption(lineStart: number, line: number, first: number, last: number): void {
    // The first '=' or ':' (configparser's OPTCRE), found by indexOf searches that resume line after line.
    const equal = equals.next(first);
    const colon = colons.next(first);
    const found = equal < colon ? equal : colon;
    const delim = found < last ? found : last;
    if (delim === last || delim === first) {
      unreadable = true;
      problems.push({
        code: 'invalid-line',
        severity: 'error',
        message:
          delim === last
            ? `"${describeLine(text.slice(first, last))}" is neither a section header nor a key=value line: supervisor refuses the file ("Source contains parsing errors"). Add '=' and a value, or comment the line out with ';'.`
            : `This line has a value but no key before '${text[delim]}': supervisor refuses the file ("Source contains parsing errors").`,
        range: rangeOn(line, first - lineStart, last - lineStart),
      });
      return;
    }
    let valueStart = delim + 1;
    while (valueStart < last && isPySpace(text.charCodeAt(valueStart))) valueStart++;

    let keyEnd = delim;
    while (keyEnd > first && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    // A key written in lower case is found as it stands; otherwise lower-case it (and keep it as written).
    let key = keyEnd - first <= INTERN_MAX_LENGTH ? KEYS.find(text, first, keyEnd) : undefined;
    let rawKey: string | undefined;
    if (key === undefined) {
      const raw = text.slice(first, keyEnd);
      key = KEYS.intern(raw.toLowerCase());
      if (key !== raw) rawKey = raw;
    }
    const entry = makeEntry(
      key,
      rawKey,
      valueSlice(text, valueStart, last),
      sections.length - 1,
      line,
      first - lineStart,
      keyEnd - lineStart,
      delim - lineStart,
      valueStart - lineStart,
      text.charCodeAt(delim) === 58 /* : */,
    );
    const earlier = earlierEntry(key);
    if (earlier) {
      const sameHeader = earlier.sectionIndex === entry.sectionIndex;
      duplicateKeys.push({ entry, earlier });
      problems.push({
        code: 'duplicate-key',
        severity: 'warning',
        message: `'${truncate(entry.rawKey)}' is already set on line ${earlier.keyRange.start.line + 1}${sameHeader ? '' : ` (in an earlier [${truncate(canonical!.name)}])`}. Supervisor uses only this later value and ignores the earlier one silently. Remove one of them.`,
        range: entry.keyRange,
      });
    }
    pending[pendingCount++] = entry;
    if (merging) known.push(entry);
    knownIndex?.set(key, entry);
    currentEntry = entry;
  }
}

export type { Position };
