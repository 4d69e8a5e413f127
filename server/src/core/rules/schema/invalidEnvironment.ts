import { valueSpanToRange, type Entry } from '../../model/document';
import type { Finding, Fix } from '../rule';
import type { TextEdit } from '../../model/types';
import { entryIndex } from './entryIndex';
import { environmentReadsCleanly } from './values';
import { isShlexWord, parseEnvironment } from '../../catalog/datatypes';
import { isEffective, isReadPerProcess, readValue, type SchemaContext } from './context';
import { header, schemaRule, shorten } from './util';

const PAIR_START = /\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/g;


/**
 * environment= as supervisor 4.2.x reads it (shlex, non-POSIX): unquoted values may hold only letters,
 * digits and _ / . + - ( ) : (SUP018). Anything else makes supervisor refuse the file, or silently
 * drops part of the value (A=x y gives A=x; a # swallows the rest of the line).
 */
export const invalidEnvironment = schemaRule(
  'invalid-environment',
  'error',
  'A malformed environment= (unquoted special characters, empty values, missing commas): supervisor refuses it or silently drops part of it.',
  (ctx) => {
    const findings: Finding[] = [];
    const { readings, entries, specs } = entryIndex(ctx).environment;
    for (let i = 0; i < entries.length; i++) {
      const reading = readings[i];
      const entry = entries[i];
      const spec = specs[i];
      if (!isEffective(ctx, reading, entry)) continue;
      const rendered = readValue(ctx, reading, spec, entry).rendered;
      if (!rendered) continue; // a % problem, reported by the percent rules
      if (environmentReadsCleanly(rendered.text)) continue;
      if (serverSideStandsForPairs(entry.value, rendered)) continue;
      const back = (i: number) => (rendered.map ? (i < rendered.map.length ? rendered.map[i] : entry.value.length) : i);
      const r = parseEnvironment(rendered.text);
      let fixCache: Fix | undefined | null = null;
      const fixes = (): Fix[] => {
        if (fixCache === null) fixCache = requoteFix(ctx, entry);
        return fixCache ? [fixCache] : [];
      };
      const where = `${header(reading)} environment`;
      if (r.error) {
        const read = isReadPerProcess(reading, spec);
        const at = r.error.message === 'No closing quotation' ? r.error.start : valueBreak(rendered.text, r.error.start);
        const start = back(at);
        const end = at === r.error.start ? Math.max(start + 1, back(Math.max(r.error.start, r.error.end - 1)) + 1) : start + 1;
        findings.push({
          code: 'invalid-environment',
          severity: read ? 'error' : 'warning',
          message: `${where}: ${read ? 'supervisor refuses the file' : 'supervisor refuses the file as soon as numprocs is above 0'} ("${r.error.message === 'No closing quotation' ? 'No closing quotation' : `Unexpected end of key/value pairs in value '${shorten(entry.value)}'`}"). ${cause(rendered.text, at, r.error.message)} Quote every value, as in KEY="value",KEY2="value2".`,
          range: valueSpanToRange(entry, Math.min(start, entry.value.length), Math.min(end, entry.value.length)),
          fixes: fixes(),
        });
        continue;
      }
      for (const d of r.dropped) {
        findings.push({
          code: 'invalid-environment',
          severity: 'warning',
          message: `${where}: supervisor silently drops "${shorten(rendered.text.slice(d.start, d.end), 40)}": an unquoted value ends at the first space or special character. Quote the value (KEY="a b"), and separate pairs with commas.`,
          range: valueSpanToRange(entry, back(d.start), back(d.end - 1) + 1),
          fixes: fixes(),
        });
      }
      for (const c of r.comments) {
        findings.push({
          code: 'invalid-environment',
          severity: 'warning',
          message: `${where}: supervisor's environment parser reads # as the start of a comment, so the rest of this line ("${shorten(rendered.text.slice(c.start, c.end), 40)}") is silently dropped. Quote the value that holds the #.`,
          range: valueSpanToRange(entry, back(c.start), back(Math.max(c.start, c.end - 1)) + 1),
          fixes: fixes(),
        });
      }
    }
    return findings;
  },
);

/**
 * True when a value only the server knows (ENV_X, host_node_name) stands where a pair starts, as in
 * `environment=%(ENV_EXTRA)s`: which pairs it holds is not known here, so the stand-in proves nothing.
 */
function serverSideStandsForPairs(raw: string, rendered: { text: string; map?: number[] }): boolean {
  const { text, map } = rendered;
  if (!map) return false;
  let pairStart = true;
  let quote = 0;
  for (let k = 0; k < text.length; k++) {
    const at = map[k];
    if (pairStart && quote === 0 && (k === 0 || map[k - 1] !== at) && (raw.startsWith('%(ENV_', at) || raw.startsWith('%(host_node_name)', at))) return true;
    const c = text.charCodeAt(k);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    if (quote === 0 && c === 44 /* , */) pairStart = true;
    else if (c !== 32 && c !== 9 && c !== 10) pairStart = false;
  }
  return false;
}

/**
 * Where the unquoted value that the error surfaces in really breaks: shlex reads `KEY=<x>` as `KEY`,
 * `=` and `<`, and the parse fails only at the leftover `>`. The first character of the value (after
 * its `=`) that no unquoted word may hold, up to a blank; else `at` itself.
 */
function valueBreak(text: string, at: number): number {
  const valueStart = text.lastIndexOf('=', at - 1) + 1;
  if (valueStart === 0 || text.slice(valueStart, at).includes(',')) return at;
  for (let k = valueStart; k < at; k++) {
    const ch = text[k];
    // A blank ends the value as well, but what follows it is the real trouble (the message says so).
    if (/\s/.test(ch)) return at;
    if (!isShlexWord(ch) && ch !== '"' && ch !== "'") return k;
  }
  return at;
}

function cause(text: string, at: number, message: string): string {
  if (message === 'No closing quotation') return 'A quote is opened and never closed.';
  const ch = text[at];
  const eq = text.indexOf('=', at);
  const after = eq >= 0 ? text.slice(eq + 1).trimStart() : '';
  if (eq >= 0 && (after === '' || after.startsWith(','))) return 'A value is empty: write KEY="".';
  if (ch && !isShlexWord(ch) && ch !== ',' && ch !== '"' && ch !== "'") return `The character ${ch} ends an unquoted value.`;
  return 'An unquoted value holds a character supervisor does not allow there (a space, @, *, ?, =, % or non-ASCII text), or a comma is missing between pairs.';
}

/** Quotes every value that needs it, and puts commas between pairs separated only by spaces. */
function requoteFix(ctx: SchemaContext, entry: Entry): Fix | undefined {
  const raw = entry.value;
  const edits: { at: number; end: number; text: string }[] = [];
  // Top-level segments split on commas outside quotes.
  let segStart = 0;
  let quote: string | undefined;
  const segments: [number, number][] = [];
  for (let i = 0; i <= raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === ',' || i === raw.length) {
      segments.push([segStart, i]);
      segStart = i + 1;
    }
  }
  if (quote) return undefined;
  for (const [s, e] of segments) {
    const seg = raw.slice(s, e);
    if (!seg.trim()) continue;
    // `A=1 B=2`: pairs separated by spaces.
    const pieces: [number, number][] = [];
    let last = 0;
    PAIR_START.lastIndex = 0;
    for (let m = PAIR_START.exec(seg); m; m = PAIR_START.exec(seg)) {
      if (seg.slice(last, m.index).includes('=')) {
        pieces.push([s + last, s + m.index]);
        edits.push({ at: s + m.index, end: s + m.index + m[0].length, text: ',' });
        last = m.index + m[0].length;
      }
    }
    pieces.push([s + last, e]);
    for (const [ps, pe] of pieces) {
      const piece = raw.slice(ps, pe);
      const eq = piece.indexOf('=');
      if (eq < 0) return undefined;
      let vs = ps + eq + 1;
      while (vs < pe && /\s/.test(raw[vs])) vs++;
      let ve = pe;
      while (ve > vs && /\s/.test(raw[ve - 1])) ve--;
      const value = raw.slice(vs, ve);
      const q = value[0];
      if ((q === '"' || q === "'") && value.length > 1 && value.endsWith(q) && !value.slice(1, -1).includes(q)) continue;
      if (isShlexWord(value) && !value.includes('#')) continue;
      // supervisor strips every quote from both ends of a value (strip('\'"')): one that starts or ends
      // with a quote (-Dfoo="bar baz") cannot be written, quoted or not.
      if (value[0] === '"' || value[0] === "'" || value.endsWith('"') || value.endsWith("'")) return undefined;
      const use = !value.includes('"') ? '"' : !value.includes("'") ? "'" : undefined;
      if (!use || value.includes('\n')) return undefined;
      edits.push({ at: vs, end: vs, text: use }, { at: ve, end: ve, text: use });
    }
  }
  if (!edits.length) return undefined;
  edits.sort((a, b) => a.at - b.at);
  let fixed = '';
  let at = 0;
  for (const e of edits) {
    fixed += raw.slice(at, e.at) + e.text;
    at = e.end;
  }
  fixed += raw.slice(at);
  const check = parseEnvironment(fixed);
  if (check.error || check.dropped.length || check.comments.length) return undefined;
  const textEdits: TextEdit[] = edits.map((e) => ({ range: valueSpanToRange(entry, e.at, e.end), newText: e.text }));
  void ctx;
  return { title: 'Quote the values', edits: textEdits, isPreferred: true };
}
