/**
 * Templates of supervisor configs (Jinja/Ansible/Django `{{ x }}` `{% if %}` `{# #}`, ERB `<%= x %>`,
 * envsubst-style `${VAR}`) are common in deployment repositories. Their placeholders are not
 * supervisor syntax: the checks treat values that contain one as opaque instead of reporting bad
 * integers or stray `%` signs, and the file gets one information finding that it is a template.
 *
 * The engine hook: `templateLineKind(doc, line)` says whether a line the parser could not read
 * (invalid-line, missing-section-header) is nothing but template code, such as `{% if x %}` or
 * `{{ extra_programs }}`: rules/templateStatements.ts drops the findings on such lines.
 */
import { lineText, type SupervisorDocument } from '../../model/document';
import { templateLineKindIn, templateSpans } from '../../templateSyntax';

export type TemplateEngine = 'jinja' | 'erb' | 'envsubst';

export interface TemplateInfo {
  engine: TemplateEngine;
  /** The first template construct: 0-based line and UTF-16 columns. */
  line: number;
  start: number;
  end: number;
  text: string;
}

export type { Span } from '../../templateSyntax';
export { templateSpans };

export function hasTemplateSyntax(s: string, withShellVars = true): boolean {
  return templateSpans(s, withShellVars).length > 0;
}

const cache = new WeakMap<SupervisorDocument, TemplateInfo | null>();

function engineOf(text: string): TemplateEngine {
  return text.startsWith('<%') ? 'erb' : text.startsWith('$') ? 'envsubst' : 'jinja';
}

/**
 * Whether the file is a template, and its first template construct. `${VAR}` counts only outside
 * command= (where a `bash -c` wrapper may legitimately use shell variables) and environment=.
 */
export function detectTemplate(doc: SupervisorDocument): TemplateInfo | undefined {
  const cached = cache.get(doc);
  if (cached !== undefined) return cached ?? undefined;
  let found: TemplateInfo | undefined;
  const text = doc.text;
  if (text.includes('{{') || text.includes('{%') || text.includes('{#') || text.includes('<%') || text.includes('${')) {
    for (let line = 0; line < doc.lineCount && !found; line++) {
      const lt = lineText(doc, line);
      if (!lt.includes('{') && !lt.includes('<%')) continue;
      const spans = templateSpans(lt, false);
      const span = spans[0];
      if (span) found = { engine: engineOf(lt.slice(span.start)), line, start: span.start, end: span.end, text: lt.slice(span.start, span.end) };
    }
    if (!found && text.includes('${')) {
      outer: for (const s of doc.sections) {
        const header = templateSpans(s.name)[0];
        if (header) {
          const at = s.nameRange.start;
          found = { engine: 'envsubst', line: at.line, start: at.character + header.start, end: at.character + header.end, text: s.name.slice(header.start, header.end) };
          break;
        }
        for (const e of s.entries) {
          if (e.key === 'command' || e.key === 'environment') continue;
          const span = templateSpans(e.value)[0];
          if (!span) continue;
          const first = e.parts[0];
          if (span.end > first.text.length) continue;
          found = { engine: 'envsubst', line: first.line, start: first.startChar + span.start, end: first.startChar + span.end, text: e.value.slice(span.start, span.end) };
          break outer;
        }
      }
    }
  }
  cache.set(doc, found ?? null);
  return found;
}

/**
 * What a line of nothing but template constructs renders to: `statements` (`{% if x %}`, `{% endfor %}`,
 * `{# note #}`, `<% end %>`, also followed by a comment, `{% endif %} ; note`) render to nothing;
 * `text` holds an expression too (`{{ extra_programs }}`, `<%= @block %>`), which renders to text this
 * file does not show. Undefined for any other line, and in a file that is no template. supervisor's
 * parser cannot read either kind, but in a template neither is a mistake in the config.
 */
export function templateLineKind(doc: SupervisorDocument, line: number): 'statements' | 'text' | undefined {
  if (!detectTemplate(doc)) return undefined;
  const { text, lineStarts } = doc;
  const at = lineStarts[line];
  if (at === undefined) return undefined;
  return templateLineKindIn(text, at, line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length);
}
