import type { RelatedLocation, Rule } from './rule';
import type { Problem, SupervisorDocument } from '../model/document';

/**
 * The parser's own findings, each under its own code so users can look them up and override them.
 * The check reads them from the model: the parser is the only place that knows them.
 */
function parserRule(
  code: string,
  defaultSeverity: Rule['defaultSeverity'],
  summary: string,
  related?: (doc: SupervisorDocument, problem: Problem) => RelatedLocation[] | undefined,
): Rule {
  return {
    code,
    defaultSeverity,
    summary,
    check: ({ doc }) =>
      doc.problems
        .filter((p) => p.code === code)
        .map((p) => {
          const others = related?.(doc, p);
          return { code, severity: p.severity, message: p.message, range: p.range, fixes: [], ...(others ? { related: others } : {}) };
        }),
  };
}

export const missingSectionHeader = parserRule(
  'missing-section-header',
  'error',
  'Text before the first [section] header: supervisor refuses the file.',
);
export const invalidLine = parserRule('invalid-line', 'error', 'A line that is neither a [section] header nor key=value: supervisor refuses the file.');
export const utf8Bom = parserRule('utf8-bom', 'error', 'A UTF-8 byte order mark at the start of the file: supervisor refuses the file.');
export const duplicateSection = parserRule('duplicate-section', 'warning', 'The same [section] twice: supervisor merges them silently.', (doc, problem) => {
  const again = doc.sections.find((s) => s.headerLine === problem.range.start.line);
  const first = again?.duplicateOf === undefined ? undefined : doc.sections[again.duplicateOf];
  return first && [{ range: first.headerRange, message: `The first [${first.name}], merged with this one` }];
});

