/** Hover inside a `; supervisor-lint: disable=...` comment: what each code means, and what the directive does. */
import type { SupervisorDocument } from '../model/document';
import { rangeContains, type Position } from '../model/types';
import { commentOnLine, isKnownCode, parseDirective, UNUSED_SUPPRESSION_RULE } from '../suppression';
import type { HoverInfo } from './hover';

const DIRECTIVE_HELP: Record<'line' | 'file', string> = {
  line:
    '**supervisor-lint: disable=**: hides the listed problems on this line (at the end of a line) or on the next line that is not a comment (on a line of its own). ' +
    'Separate codes with commas; text after `--` is a free-form reason.',
  file:
    '**supervisor-lint: disable-file=**: hides the listed problems in the whole file. It must stand before the first section header. ' +
    'Separate codes with commas; text after `--` is a free-form reason.',
};

/**
 * `ruleSummary` gives a rule's one-line summary (the registry's `ruleFor(code)?.summary`); `docsUrl`,
 * when given, the link to its documentation page (the core does not know where the docs live).
 */
export function suppressionHover(
  doc: SupervisorDocument,
  position: Position,
  ruleSummary: (code: string) => string | undefined,
  docsUrl?: (code: string) => string,
): HoverInfo | undefined {
  const comment = commentOnLine(doc, position.line);
  if (!comment || !rangeContains(comment.range, position)) return undefined;
  const d = parseDirective(comment);
  if (!d) return undefined;
  for (const c of d.codes) {
    if (!rangeContains(c.range, position)) continue;
    const summary = ruleSummary(c.code) ?? (c.code === UNUSED_SUPPRESSION_RULE.code ? UNUSED_SUPPRESSION_RULE.summary : undefined);
    if (summary === undefined && !isKnownCode(c.code)) {
      return { range: c.range, markdown: `**${c.text}**: not a rule code, so nothing is suppressed by it. The code of each problem is shown next to its message.` };
    }
    const link = docsUrl ? `\n\n[Documentation for ${c.code}](${docsUrl(c.code)})` : '';
    return { range: c.range, markdown: `**${c.code}**${summary ? `: ${summary}` : ''}${link}` };
  }
  if (!d.problem || d.problem === 'no-codes' || d.problem === 'misplaced-file') {
    if (rangeContains(d.keyword.range, position)) return { range: d.keyword.range, markdown: DIRECTIVE_HELP[d.kind] };
  }
  return undefined;
}
