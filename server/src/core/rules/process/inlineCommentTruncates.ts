import type { Finding, Rule } from '../rule';
import type { Severity, TextEdit } from '../../model/types';
import { entryOnLine, lineText, type Entry, type SupervisorDocument } from '../../model/document';
import { inlineCommentStart, isPySpace } from '../../model/parse';
import { splitArgv } from '../../command/argv';

/** Values that supervisor splits with shlex, where a cut leaves an unclosed quote, by section kind. */
const SPLIT_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['program', ['command', 'environment']],
  ['fcgi-program', ['command', 'environment']],
  ['eventlistener', ['command', 'environment']],
  ['supervisord', ['environment']],
]);

const UNCLOSED = 'No closing quotation';
const MAX_ROUNDS = 20;
/** The repair simulation is quadratic in the value's length; real commands are far shorter than this. */
const MAX_REPAIR_LENGTH = 4000;

interface Repair {
  /** Whitespace runs to delete, in document coordinates. */
  deletions: { line: number; start: number; end: number; char: string }[];
  /** What supervisor drops on the first cut line: from the comment character to where the value should end. */
  dropped: { line: number; start: number; end: number };
  /** The value as supervisor reads it now. */
  cut: string;
}

/** One physical line of the value, with the characters removed so far. */
class LineState {
  /** Original column of each remaining character. */
  cols: number[];
  constructor(
    readonly line: number,
    readonly original: string,
    readonly valueStart: number,
  ) {
    this.cols = Array.from({ length: original.length }, (_, i) => i);
  }
  get text(): string {
    return this.cols.map((c) => this.original[c]).join('');
  }
  /** Index (in `text`) of the comment start at or after the value start, or -1. */
  comment(): number {
    const t = this.text;
    const c = inlineCommentStart(t);
    return c >= 0 && this.cols[c] >= this.valueStart ? c : -1;
  }
  value(): string {
    const t = this.text;
    const c = this.comment();
    const from = this.cols.findIndex((col) => col >= this.valueStart);
    let end = c === -1 ? t.length : c;
    while (end > from && isPySpace(t.charCodeAt(end - 1))) end--;
    return from === -1 || end <= from ? '' : t.slice(from, end);
  }
}

/**
 * Simulates removing the whitespace before each comment character that cuts the value inside an open
 * quote, until the value reads without a quoting error. Undefined when that does not get there.
 */
function repair(doc: SupervisorDocument, entry: Entry): Repair | undefined {
  const states: LineState[] = [];
  const seen = new Set<number>();
  for (const part of entry.parts) {
    if (seen.has(part.line)) continue;
    seen.add(part.line);
    states.push(new LineState(part.line, lineText(doc, part.line), part.startChar));
  }
  const deletions: Repair['deletions'] = [];
  let dropped: Repair['dropped'] | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const values = states.map((s) => s.value());
    const whole = splitArgv(values.join('\n'));
    if (!whole.error) break;
    if (whole.error.message !== UNCLOSED) return undefined;
    // The first line whose comment cuts the value while a quote is open.
    let k = -1;
    for (let i = 0; i < states.length; i++) {
      if (states[i].comment() === -1) continue;
      if (splitArgv(values.slice(0, i + 1).join('\n')).error?.message === UNCLOSED) {
        k = i;
        break;
      }
    }
    if (k === -1) return undefined;
    const s = states[k];
    const t = s.text;
    const c = s.comment();
    let from = c;
    while (from > 0 && isPySpace(t.charCodeAt(from - 1))) from--;
    if (s.cols[from] < s.valueStart) return undefined;
    deletions.push({ line: s.line, start: s.cols[from], end: s.cols[c], char: t[c] });
    if (!dropped) dropped = { line: s.line, start: s.cols[c], end: s.cols[c] };
    s.cols.splice(from, c - from);
  }
  if (!deletions.length || !dropped) return undefined;
  const final = states.map((s) => s.value());
  if (splitArgv(final.join('\n')).error) return undefined;
  // The dropped text on the first cut line runs to where the repaired value ends on that line.
  const s = states.find((x) => x.line === dropped!.line)!;
  const c = s.comment();
  let end = c === -1 ? s.text.length : c;
  while (end > 0 && isPySpace(s.text.charCodeAt(end - 1))) end--;
  dropped.end = end > 0 ? s.cols[end - 1] + 1 : dropped.start;
  const cut = entry.value;
  return { deletions, dropped, cut };
}

/**
 * The entries with an inline comment on a line of their value, in file order. Found from the
 * comments (comments and sections come in line order), without touching every entry of the file.
 */
function commentedEntries(doc: SupervisorDocument): Entry[] {
  const found: Entry[] = [];
  const sections = doc.sections;
  let s = 0;
  let previous = -1;
  for (const c of doc.comments) {
    if (!c.inline) continue;
    const line = c.line;
    if (line < previous) s = 0; // never from the parser; start over rather than miss a section
    previous = line;
    while (s < sections.length && sections[s].endLine < line) s++;
    if (s === sections.length) break;
    if (sections[s].headerLine > line) continue; // before the first header
    const entry = entryOnLine(sections[s], line);
    if (entry !== undefined && entry !== found[found.length - 1]) found.push(entry);
  }
  return found;
}

function severityFor(key: string): Severity {
  // supervisor reads environment= when it loads the file and refuses it; a command fails only when started.
  return key === 'environment' ? 'error' : 'warning';
}

/**
 * supervisor's parser starts an inline comment at ';' or '#' after whitespace, even inside quotes. In a
 * command= or environment= that cut leaves an unclosed quote, which is never what the author meant.
 */
export const inlineCommentTruncatesValue: Rule = {
  code: 'inline-comment-truncates-value',
  defaultSeverity: 'warning',
  summary: "A ' ;' or ' #' inside a quoted command= or environment= value starts a comment and cuts the value.",
  check({ doc }) {
    const findings: Finding[] = [];
    // Only a value with a quote and an inline comment on one of its lines can have been cut this way.
    for (const entry of commentedEntries(doc)) {
      const section = doc.sections[entry.sectionIndex];
      const keys = SPLIT_KEYS.get(section.kind);
      if (!keys || (section.kind !== 'supervisord' && section.label === undefined)) continue;
      const key = entry.key;
      if (key !== 'environment' && (key !== 'command' || !keys.includes('command'))) continue;
      if (!(entry.value.includes("'") || entry.value.includes('"'))) continue;
      if (splitArgv(entry.value).error?.message !== UNCLOSED) continue;
      if (entry.parts.reduce((n, p) => n + lineText(doc, p.line).length, 0) > MAX_REPAIR_LENGTH) continue;
      const r = repair(doc, entry);
      if (!r) continue;
      const chars = [...new Set(r.deletions.map((d) => d.char))];
      const shown = chars.map((c) => `' ${c}'`).join(' and ');
      const edits: TextEdit[] = r.deletions.map((d) => ({ range: { start: { line: d.line, character: d.start }, end: { line: d.line, character: d.end } }, newText: '' }));
      const severity = severityFor(entry.key);
      const shownCut = r.cut.length > 80 ? `${r.cut.slice(0, 77)}...` : r.cut;
      findings.push({
        code: this.code,
        severity,
        message: `${shown} starts a comment for supervisor, even inside quotes, so ${entry.rawKey}= is cut to \`${shownCut}\`, which has an unclosed quote (${
          severity === 'error' ? 'supervisor refuses the file: "No closing quotation"' : 'the program fails to start: "No closing quotation"'
        }). Remove the whitespace before ${chars.map((c) => `'${c}'`).join('/')} so it stays in the value${entry.key === 'command' ? ', or move the script into a file' : ''}.`,
        range: { start: { line: r.dropped.line, character: r.dropped.start }, end: { line: r.dropped.line, character: r.dropped.end } },
        fixes: [
          {
            title: `Remove the whitespace before ${chars.map((c) => `'${c}'`).join('/')} so it stays in the value`,
            edits,
            isPreferred: !chars.includes('#'),
          },
        ],
      });
    }
    return findings;
  },
};
