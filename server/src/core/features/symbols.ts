import type { Section, SupervisorDocument } from '../model/document';
import { nameOfLabel, PROCESS_SECTION_KINDS } from '../deployment';
import type { Range } from '../model/types';

export interface DocumentSymbolInfo {
  name: string;
  detail: string;
  kind: 'section' | 'key';
  range: Range;
  selectionRange: Range;
  children: DocumentSymbolInfo[];
}

/**
 * The most outline items a file gets with its keys as children (VS Code's own JSON support stops at the
 * same 5,000): past it, the sections alone. The editor asks for the outline after every edit, and the keys
 * of a 75,000-line file made about 20 MB of JSON each time, 250-300 ms to send.
 */
export const MAX_OUTLINE_ITEMS = 5000;

/**
 * A section as supervisor names it: a program's or group's name stripped, as supervisor strips it
 * (`[program: worker ]` is `program:worker`); any other section by the text inside its brackets, which
 * supervisor matches as written.
 */
export function sectionSymbolName(section: Section): string {
  const { kind, label } = section;
  if (label === undefined || (kind !== 'group' && !PROCESS_SECTION_KINDS.has(kind))) return section.name;
  const name = nameOfLabel(label);
  return name === label ? section.name : `${kind}:${name}`;
}

/** One symbol per section, named as supervisor names it (sectionSymbolName), with its keys as children while sections and keys number `maxItems` at most. */
export function documentSymbols(doc: SupervisorDocument, maxItems = MAX_OUTLINE_ITEMS): DocumentSymbolInfo[] {
  let items = doc.sections.length;
  for (const section of doc.sections) items += section.entries.length;
  const withKeys = items <= maxItems;
  return doc.sections.map((section) => {
    const lastEntry = section.entries[section.entries.length - 1];
    const end = lastEntry ? lastEntry.range.end : section.headerRange.end;
    return {
      name: sectionSymbolName(section),
      detail: section.label !== undefined ? section.kind : '',
      kind: 'section' as const,
      range: { start: section.headerRange.start, end },
      selectionRange: section.nameRange,
      children: !withKeys ? [] : section.entries.map((e) => ({
        name: e.key,
        detail: keyDetail(e.value),
        kind: 'key' as const,
        range: e.range,
        selectionRange: e.keyRange,
        children: [],
      })),
    };
  });
}

/** A key's value as its symbol's detail: on one line, and shortened. */
function keyDetail(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  // Asked for after every edit, for every key of the file: most values have no line break to replace.
  return shown.indexOf('\n') === -1 ? shown : shown.replace(/\n/g, ' ');
}

export interface WorkspaceSymbolInfo {
  /** The section as supervisor names it (sectionSymbolName): `program:worker`. */
  name: string;
  /** Which file it is in (its URI as given). */
  uri: string;
  range: Range;
}

/** True when the characters of `query` appear in `name` in order, ignoring case (VS Code's own filter is as loose). */
export function matchesQuery(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let at = 0;
  for (const c of query.toLowerCase()) {
    at = n.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** The section headers of the given files that match the query (Go to Symbol in Workspace). */
export function workspaceSymbols(files: readonly { uri: string; doc: SupervisorDocument }[], query: string, limit = 1000): WorkspaceSymbolInfo[] {
  const out: WorkspaceSymbolInfo[] = [];
  for (const { uri, doc } of files) {
    for (const section of doc.sections) {
      if (section.duplicateOf !== undefined) continue;
      const name = sectionSymbolName(section);
      if (!matchesQuery(name, query)) continue;
      out.push({ name, uri, range: section.headerRange });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
