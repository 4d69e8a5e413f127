import type { SupervisorDocument } from '../model/document';
import { rangeContains, type Position, type Range } from '../model/types';
import { sectionKind } from '../catalog/sections';

export interface HoverInfo {
  markdown: string;
  range: Range;
}

/** Hover over a section header explains the section kind. Feature modules for keys and Celery options add to this. */
export function hover(doc: SupervisorDocument, position: Position): HoverInfo | undefined {
  for (const section of doc.sections) {
    if (section.headerRange.start.line !== position.line) continue;
    if (!rangeContains(section.headerRange, position)) continue;
    const kind = sectionKind(section.kind);
    if (!kind) {
      return {
        range: section.nameRange,
        markdown: `**[${section.name}]**\n\nSupervisor does not know the section kind \`${section.kind}\` and ignores this section (section names are case-sensitive).`,
      };
    }
    const required = kind.required.length ? `\n\nRequired: ${kind.required.map((k) => `\`${k}\``).join(', ')}.` : '';
    return {
      range: section.nameRange,
      markdown: `**[${section.name}]**: ${kind.summary}${required}\n\n[supervisor docs](${kind.docs})`,
    };
  }
  return undefined;
}
