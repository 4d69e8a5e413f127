/**
 * A template's lines of nothing but template code are no mistakes of the config. Statement lines
 * (`{% if gunicorn %}`, `{% endfor %}`, `{% set app = name %}`, `{# note #}`, `<% end %>`) render to
 * nothing; a line of an expression (`{{ extra_programs }}`, `<%= @block %>`) renders to text this file
 * does not show. So nothing supervisor's parser would make of either in the raw file is reported: an
 * invalid line, a key named `{% set app` or `<%`, text before the first section. And
 * two places with a statement line between them may never be rendered together (`command=` in an
 * `{% if %}` and again in its `{% else %}`), so findings that pair them are not reported. template-file
 * says once that the file is a template.
 */
import { lineText, type SupervisorDocument } from '../model/document';
import { detectTemplate, templateLineKind } from './schema/template';
import type { Finding } from './rule';
import { partitionPoint } from '../partitionPoint';

/** Findings about two places at once, where the other place is the first related location. */
const PAIRING_CODES: ReadonlySet<string> = new Set([
  'duplicate-key',
  'duplicate-section',
  'duplicate-program-name',
  'celery-duplicate-node-name',
  'celery-beat-duplicate',
  'shared-log-file',
  'memmon-overlap',
]);

const MISSING_SECTION_HEADER = 'missing-section-header';

type TemplateLines = Map<number, 'statements' | 'text'>;

export function withoutTemplateStatementFindings(doc: SupervisorDocument, findings: Finding[]): Finding[] {
  if (!detectTemplate(doc)) return findings;
  const lines = templateLines(doc);
  if (!lines.size) return findings;
  // In file order, for a binary search: a finding may pair places thousands of lines apart.
  const statements: number[] = [];
  for (const [line, kind] of lines) if (kind === 'statements') statements.push(line);
  const statementBetween = (a: number, b: number) => {
    const low = Math.min(a, b);
    const k = partitionPoint(statements.length, (i) => statements[i] <= low);
    return k < statements.length && statements[k] < Math.max(a, b);
  };
  const kept: Finding[] = [];
  for (const f of findings) {
    const line = f.range.start.line;
    if (f.code === 'template-file') kept.push(f);
    else if (lines.has(line)) {
      // supervisor stops at the first line before any section; the rendered file starts at the next real one.
      const moved = f.code === MISSING_SECTION_HEADER ? textBeforeFirstSection(doc, lines, line) : undefined;
      if (moved) kept.push({ ...f, range: moved });
    } else if (PAIRING_CODES.has(f.code) && f.related?.[0] && f.related[0].file === undefined && statementBetween(line, f.related[0].range.start.line)) continue;
    else kept.push(f);
  }
  return kept;
}

/** The lines of nothing but template code, and what each renders to. */
function templateLines(doc: SupervisorDocument): TemplateLines {
  const lines: TemplateLines = new Map();
  const { text, lineStarts } = doc;
  for (let line = 0; line < doc.lineCount; line++) {
    // Only a line that starts with `{` or `<` can be one: the others are skipped without a copy.
    let at = lineStarts[line];
    while (at < text.length && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    const first = text.charCodeAt(at);
    if (first !== 123 /* { */ && first !== 60 /* < */) continue;
    const kind = templateLineKind(doc, line);
    if (kind) lines.set(line, kind);
  }
  return lines;
}

/** The first line after `from` and before the first section header that is neither blank, a comment nor template code. */
function textBeforeFirstSection(doc: SupervisorDocument, lines: TemplateLines, from: number): Finding['range'] | undefined {
  const end = doc.sections.length ? doc.sections[0].headerLine : doc.lineCount;
  for (let line = from + 1; line < end; line++) {
    const text = lineText(doc, line);
    const first = text.search(/\S/);
    if (first < 0 || text[first] === ';' || text[first] === '#' || lines.has(line)) continue;
    return { start: { line, character: first }, end: { line, character: text.trimEnd().length } };
  }
  return undefined;
}
