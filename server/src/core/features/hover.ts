import { sectionIndexAt, type SupervisorDocument } from '../model/document';
import { rangeContains, type Position, type Range } from '../model/types';
import { sectionKind } from '../catalog/sections';
import { buildDeployment, type Deployment } from '../deployment';
import { commandHover, type CommandHoverOptions } from './commandHover';

export interface HoverInfo {
  markdown: string;
  range: Range;
}

export interface HoverOptions extends CommandHoverOptions {
  /** The file's deployment when the caller already has it; built from `doc` otherwise. */
  deployment?: Deployment;
}

/** Hover over a section header explains the section kind; over a Celery or memmon option, see commandHover. */
export function hover(doc: SupervisorDocument, position: Position, options: HoverOptions = {}): HoverInfo | undefined {
  const index = sectionIndexAt(doc, position.line);
  for (const section of index >= 0 ? [doc.sections[index]] : []) {
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
  return commandHover(doc, options.deployment ?? buildDeployment(doc), position, options);
}
