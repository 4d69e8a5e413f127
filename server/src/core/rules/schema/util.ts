/** Small helpers shared by the schema rules. */
import { distance } from 'fastest-levenshtein';
import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { Range, Severity, TextEdit } from '../../model/types';
import type { Entry, SupervisorDocument } from '../../model/document';
import { deleteLines } from '../../edits';
import { schemaContext, type SchemaContext, type SectionReading } from './context';

/** The candidate nearest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const limit = maxDistance ?? (word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3);
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** `[program:x]` as written. */
export function header(reading: SectionReading): string {
  return `[${reading.section.name}]`;
}

export function finding(code: string, severity: Severity, message: string, range: Range, fixes: Fix[] = []): Finding {
  return { code, severity, message, range, fixes };
}

/** A rule whose check reads the shared schema context. */
export function schemaRule(code: string, defaultSeverity: Severity, summary: string, check: (ctx: SchemaContext, rule: RuleContext) => Finding[]): Rule {
  return { code, defaultSeverity, summary, check: (rc) => check(schemaContext(rc), rc) };
}

/** Short text of a value for messages. */
export function shorten(s: string, max = 60): string {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Replaces an entry's whole value (continuation lines included) with a one-line value. */
export function replaceEntryValue(doc: SupervisorDocument, entry: Entry, value: string): TextEdit[] {
  const first = entry.parts[0];
  const edits: TextEdit[] = [{ range: { start: { line: first.line, character: first.startChar }, end: { line: first.line, character: first.startChar + first.text.length } }, newText: value }];
  const more = [...new Set(entry.parts.slice(1).filter((p) => p.text !== '').map((p) => p.line))].filter((l) => l !== first.line);
  if (more.length) edits.push(...deleteLines(doc, more));
  return edits;
}
