import { lineText, sectionIndexAt, type SupervisorDocument } from '../model/document';
import { rangeContains, type Position, type Range } from '../model/types';
import { resolveSection, SECTION_SPECS } from '../catalog/keys';
import { buildDeployment, nameOfLabel, type Deployment } from '../deployment';
import { commandHover, type CommandHoverOptions } from './commandHover';
import { keyHover } from './keyHover';
import { templateLineKind } from '../rules/schema/template';

export interface HoverInfo {
  markdown: string;
  range: Range;
}

export interface HoverOptions extends CommandHoverOptions {
  /** The file's deployment when the caller already has it; built from `doc` otherwise. */
  deployment?: Deployment;
}

const MAX_NAMES = 12;

/** The section header's hover: the kind, its required keys, and for process sections the process names. */
function sectionHover(doc: SupervisorDocument, deployment: () => Deployment, index: number): HoverInfo {
  const section = doc.sections[index];
  const resolved = resolveSection(section.name);
  if (!resolved) {
    const colon = section.name.indexOf(':');
    const kind = colon === -1 ? section.name : section.name.slice(0, colon);
    const near = SECTION_SPECS.find((s) => s.kind === kind.toLowerCase());
    return {
      range: section.nameRange,
      markdown: `**[${section.name}]**\n\nsupervisor does not read this section and ignores everything in it${
        section.name === 'DEFAULT' ? ' (a configparser [DEFAULT] section lends its keys to every other section)' : near ? ` (section names are case-sensitive: ${near.header})` : ''
      }.`,
    };
  }
  const spec = resolved.spec;
  const parts = [`**[${section.name}]** · ${spec.header}`, spec.summary];
  const required = spec.keys.filter((k) => k.required).map((k) => `\`${k.name}\``);
  if (required.length) parts.push(`Required: ${required.join(', ')}.`);
  if (spec.readBy === 'supervisorctl') parts.push('Read by supervisorctl only.');
  if (resolved.label !== undefined && ['program', 'fcgi-program', 'eventlistener'].includes(spec.kind)) {
    const p = deployment().byName.get(nameOfLabel(resolved.label));
    if (p && p.kind === spec.kind) {
      const names = p.processNames;
      if (names === undefined) {
        parts.push(`Processes: ${p.numprocs} (their names depend on a value known only on the server).`);
      } else if (!names.length) {
        parts.push('Processes: none (numprocs is 0).');
      } else {
        const shown = names.slice(0, MAX_NAMES).map((n) => `\`${n}\``).join(', ');
        const more = names.length > MAX_NAMES ? `, ... (${names.length} in all)` : '';
        const grouped = p.group !== p.name || names.some((n) => n !== p.group);
        parts.push(
          `Processes: ${shown}${more}, in group \`${p.group}\`.${
            grouped ? ` supervisorctl calls them \`${p.group}:${names[0]}\`${names.length > 1 ? ', ...' : ''} (or \`${p.group}:\` for all); memmon takes \`-p ${names[0]}=SIZE\` or \`-g ${p.group}=SIZE\`.` : ` supervisorctl and memmon's -p call it \`${names[0]}\`.`
          }`,
        );
      }
    }
  }
  if (spec.kind === 'group' && resolved.label !== undefined) {
    const members = groupMembers(deployment(), nameOfLabel(resolved.label));
    if (members) parts.push(members);
  }
  parts.push(`[supervisor docs](${spec.docs})`);
  return { range: section.nameRange, markdown: parts.join('\n\n') };
}

/** A group's programs with their processes, as supervisorctl names them (undefined when it lists none). */
function groupMembers(d: Deployment, group: string): string | undefined {
  const view = d.groups.find((g) => g.name === group);
  if (!view?.programs.length) return undefined;
  const lines = view.programs.slice(0, MAX_NAMES).map((name) => {
    const p = d.byName.get(name) ?? d.external?.byName.get(name);
    if (!p) return `- \`${name}\`: defined in no file read here`;
    const names = p.processNames;
    if (names === undefined) return `- \`${name}\`: ${p.numprocs} process${p.numprocs === 1 ? '' : 'es'} (named on the server)`;
    const shown = names.slice(0, 4).map((n) => `\`${group}:${n}\``).join(', ');
    return `- \`${name}\`: ${names.length ? `${shown}${names.length > 4 ? `, ... (${names.length})` : ''}` : 'no process (numprocs=0)'}`;
  });
  if (view.programs.length > MAX_NAMES) lines.push(`- ... (${view.programs.length} programs in all)`);
  return `Programs, with the process names supervisorctl uses (\`supervisorctl restart ${group}:*\` restarts them all):\n${lines.join('\n')}`;
}

/**
 * Hover over a section header explains the section kind (and a program's process names); over a
 * Celery or memmon option, see commandHover; over any other key or value, see keyHover.
 */
export function hover(doc: SupervisorDocument, position: Position, options: HoverOptions = {}): HoverInfo | undefined {
  let deployment = options.deployment;
  const getDeployment = () => (deployment ??= buildDeployment(doc));
  const index = sectionIndexAt(doc, position.line);
  if (index >= 0) {
    const section = doc.sections[index];
    if (section.headerRange.start.line === position.line && rangeContains(section.headerRange, position)) return sectionHover(doc, getDeployment, index);
  }
  return templateLineHover(doc, position) ?? commandHover(doc, getDeployment(), position, options) ?? keyHover(doc, getDeployment(), position);
}

/** A template's line of nothing but template code: no key, whatever supervisor's parser would make of it raw. */
function templateLineHover(doc: SupervisorDocument, position: Position): HoverInfo | undefined {
  const kind = templateLineKind(doc, position.line);
  if (!kind) return undefined;
  const text = lineText(doc, position.line);
  const start = text.search(/\S/);
  const end = text.trimEnd().length;
  if (position.character < start || position.character > end) return undefined;
  const renders = kind === 'statements' ? 'a template statement: the line renders to nothing' : 'a template expression: the line renders to text this file does not show';
  return {
    range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
    markdown: `**Template code**: ${renders}. supervisor reads the rendered file, so nothing is checked on this line.`,
  };
}
