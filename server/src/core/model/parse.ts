/**
 * A position-aware reading of supervisor.conf that follows supervisor's UnhosedConfigParser
 * (Python's RawConfigParser with inline_comment_prefixes=(';', '#') and strict=False) line by line.
 * One pass, no regular expressions, never throws.
 */
import type { Comment, Entry, Problem, Section, SupervisorDocument, ValuePart } from './document';
import type { Range } from './types';

/** Python's str.isspace() for one UTF-16 unit (what strip(), \s and isspace() treat as whitespace). */
export function isPySpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) || c === 0x85 || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/**
 * Where configparser starts an inline comment on this line, or -1. It advances the search for ';' and '#'
 * in lock-step rounds and stops at the first round that finds a prefix preceded by whitespace, which is
 * not always the leftmost such prefix (`a#b #c ;d` keeps `a#b #c`): we reproduce that exactly.
 */
export function inlineCommentStart(line: string): number {
  let semi = -1;
  let hash = -1;
  let semiDone = false;
  let hashDone = false;
  while (!semiDone || !hashDone) {
    let found = -1;
    if (!semiDone) {
      semi = line.indexOf(';', semi + 1);
      if (semi === -1) semiDone = true;
      else if (semi === 0 || isPySpace(line.charCodeAt(semi - 1))) found = semi;
    }
    if (!hashDone) {
      hash = line.indexOf('#', hash + 1);
      if (hash === -1) hashDone = true;
      else if ((hash === 0 || isPySpace(line.charCodeAt(hash - 1))) && (found === -1 || hash < found)) found = hash;
    }
    if (found !== -1) return found;
  }
  return -1;
}

function firstNonSpace(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && isPySpace(s.charCodeAt(i))) i++;
  return i;
}

function lastNonSpaceEnd(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && isPySpace(s.charCodeAt(i - 1))) i--;
  return i;
}

function rangeOn(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

const SECTION_NAME_LIMIT = 200;

function describeLine(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function parse(text: string): SupervisorDocument {
  const sections: Section[] = [];
  const comments: Comment[] = [];
  const problems: Problem[] = [];
  const sectionByName = new Map<string, number>();
  /** For duplicate-key reports: section name -> key -> line of the first definition. */
  const keyLines = new Map<string, Map<string, Entry>>();

  let unreadable = false;
  let current: Section | undefined; // cursect (the DEFAULT section counts as one)
  let currentEntry: Entry | undefined; // optname's value list
  let currentEntryHasText = false;
  let pendingBlankParts: ValuePart[] = []; // blank lines inside a value, kept only if more value follows
  let indentLevel = 0;
  let missingHeaderReported = false;
  let crlf = 0;
  let lf = 0;
  let cr = 0;

  let lineNo = 0;
  let offset = 0;
  const length = text.length;
  const lineStarts: number[] = [];

  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom) {
    // Python reads the BOM as a character: '\ufeff[supervisord]' is not a section header.
    unreadable = true;
    problems.push({
      code: 'utf8-bom',
      severity: 'error',
      message:
        'The file starts with a UTF-8 byte order mark; supervisor then fails with "File contains no section headers". Save the file as UTF-8 without BOM.',
      range: rangeOn(0, 0, 1),
    });
  }

  while (offset <= length) {
    // Split on \r\n, \n or \r, as Python's universal newlines and LSP both do.
    let end = offset;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    let next = end;
    if (end < length) {
      if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) {
        next = end + 2;
        crlf++;
      } else {
        if (text.charCodeAt(end) === 13) cr++;
        else lf++;
        next = end + 1;
      }
    } else {
      next = length + 1;
    }
    lineStarts.push(offset);
    // After reporting a BOM, read past it (as a same-width space) so the rest of the file still gets a model.
    const line = lineNo === 0 && hasBom ? ' ' + text.slice(1, end) : text.slice(offset, end);
    readLine(line, lineNo);
    lineNo++;
    offset = next;
  }

  const lineCount = lineNo;
  for (let i = 0; i < sections.length; i++) {
    sections[i].endLine = i + 1 < sections.length ? sections[i + 1].headerRange.start.line - 1 : lineCount - 1;
  }
  const eol = crlf >= lf && crlf >= cr && crlf > 0 ? '\r\n' : cr > lf ? '\r' : '\n';
  return { text, lineCount, sections, comments, problems, unreadable, eol, lineStarts };

  function closeValue(): void {
    pendingBlankParts = [];
  }

  function readLine(line: string, lineNo: number): void {
    const commentAt = inlineCommentStart(line);
    const contentEnd = commentAt === -1 ? line.length : commentAt;
    const first = firstNonSpace(line, 0, contentEnd);
    const last = lastNonSpaceEnd(line, first, contentEnd);
    const isFullLineComment = first === contentEnd && commentAt !== -1;
    const fullFirst = firstNonSpace(line, 0, line.length);
    const startsWithCommentChar = fullFirst < line.length && (line[fullFirst] === ';' || line[fullFirst] === '#');

    if (commentAt !== -1 || startsWithCommentChar) {
      const at = startsWithCommentChar ? fullFirst : commentAt;
      comments.push({
        range: rangeOn(lineNo, at, lastNonSpaceEnd(line, at, line.length)),
        text: line.slice(at, lastNonSpaceEnd(line, at, line.length)),
        inline: first < at && !startsWithCommentChar,
      });
    }
    if (startsWithCommentChar || isFullLineComment || first === last) {
      // Empty after stripping: a blank line stays inside a value only if it carries no comment.
      if (commentAt === -1 && !startsWithCommentChar && currentEntry) {
        pendingBlankParts.push({ line: lineNo, startChar: first, text: '' });
      }
      return;
    }

    if (current && currentEntry && first > indentLevel) {
      appendContinuation(currentEntry, { line: lineNo, startChar: first, text: line.slice(first, last) });
      return;
    }
    closeValue();
    indentLevel = first;

    if (line.charCodeAt(first) === 91 /* [ */) {
      const close = line.lastIndexOf(']', last - 1);
      if (close >= first + 2) {
        openSection(line, lineNo, first, close);
        return;
      }
    }
    if (!current) {
      currentEntry = undefined;
      if (!missingHeaderReported) {
        missingHeaderReported = true;
        unreadable = true;
        problems.push({
          code: 'missing-section-header',
          severity: 'error',
          message: `Text before the first section header: supervisor refuses the file ("File contains no section headers"). Start the file with a section such as [program:name], or comment this line out with ';'.`,
          range: rangeOn(lineNo, first, last),
        });
      }
      return;
    }
    readOption(line, lineNo, first, last);
  }

  function appendContinuation(entry: Entry, part: ValuePart): void {
    if (pendingBlankParts.length) {
      entry.parts.push(...pendingBlankParts);
      entry.value += '\n'.repeat(pendingBlankParts.length);
      pendingBlankParts = [];
    }
    entry.parts.push(part);
    entry.value += '\n' + part.text;
    const end = { line: part.line, character: part.startChar + part.text.length };
    // The value starts at its first non-empty line (the key line may hold nothing after '=').
    const start = currentEntryHasText ? entry.valueRange.start : { line: part.line, character: part.startChar };
    currentEntryHasText = true;
    entry.valueRange = { start, end };
    entry.range = { start: entry.range.start, end };
  }

  function openSection(line: string, lineNo: number, first: number, close: number): void {
    currentEntry = undefined;
    const name = line.slice(first + 1, close);
    const colon = name.indexOf(':');
    const headerRange = rangeOn(lineNo, first, close + 1);
    const section: Section = {
      name,
      kind: colon === -1 ? name : name.slice(0, colon),
      label: colon === -1 ? undefined : name.slice(colon + 1),
      headerRange,
      nameRange: rangeOn(lineNo, first + 1, close),
      entries: [],
      endLine: lineNo,
    };
    const earlier = sectionByName.get(name);
    if (earlier !== undefined) {
      section.duplicateOf = earlier;
      const firstLine = sections[earlier].headerRange.start.line + 1;
      problems.push({
        code: 'duplicate-section',
        severity: 'warning',
        message: `[${truncate(name)}] is already defined on line ${firstLine}. Supervisor merges the two sections silently, and for a key set in both the value here wins. Merge them into one section.`,
        range: headerRange,
      });
    } else {
      sectionByName.set(name, sections.length);
    }
    sections.push(section);
    current = section;
  }

  function readOption(line: string, lineNo: number, first: number, last: number): void {
    let delim = -1;
    for (let i = first; i < last; i++) {
      const c = line.charCodeAt(i);
      if (c === 61 /* = */ || c === 58 /* : */) {
        delim = i;
        break;
      }
    }
    if (delim === -1 || delim === first) {
      currentEntry = undefined;
      unreadable = true;
      problems.push({
        code: 'invalid-line',
        severity: 'error',
        message:
          delim === -1
            ? `"${describeLine(line.slice(first, last))}" is neither a section header nor a key=value line: supervisor refuses the file ("Source contains parsing errors"). Add '=' and a value, or comment the line out with ';'.`
            : `This line has a value but no key before '${line[delim]}': supervisor refuses the file ("Source contains parsing errors").`,
        range: rangeOn(lineNo, first, last),
      });
      return;
    }
    const keyEnd = lastNonSpaceEnd(line, first, delim);
    const valueStart = firstNonSpace(line, delim + 1, last);
    const rawKey = line.slice(first, keyEnd);
    const key = rawKey.toLowerCase();
    const value = line.slice(valueStart, last);
    const section = current!;
    const sectionIndex = sections.length - 1;
    const valueRange = rangeOn(lineNo, valueStart, last);
    const entry: Entry = {
      key,
      rawKey,
      keyRange: rangeOn(lineNo, first, keyEnd),
      separator: line[delim] as '=' | ':',
      separatorRange: rangeOn(lineNo, delim, delim + 1),
      value,
      parts: [{ line: lineNo, startChar: valueStart, text: value }],
      valueRange,
      range: rangeOn(lineNo, first, last),
      sectionIndex,
    };
    const canonical = sections[section.duplicateOf ?? sectionIndex].name;
    let keys = keyLines.get(canonical);
    if (!keys) keyLines.set(canonical, (keys = new Map()));
    const earlier = keys.get(key);
    if (earlier) {
      const sameHeader = earlier.sectionIndex === sectionIndex;
      problems.push({
        code: 'duplicate-key',
        severity: 'warning',
        message: `'${truncate(rawKey)}' is already set on line ${earlier.keyRange.start.line + 1}${sameHeader ? '' : ` (in an earlier [${truncate(canonical)}])`}. Supervisor uses only this later value and ignores the earlier one silently. Remove one of them.`,
        range: entry.keyRange,
      });
    }
    keys.set(key, entry);
    section.entries.push(entry);
    currentEntry = entry;
    currentEntryHasText = value !== '';
  }
}

function truncate(s: string): string {
  return s.length > SECTION_NAME_LIMIT ? `${s.slice(0, SECTION_NAME_LIMIT)}...` : s;
}
