import type { SupervisorDocument } from '../model/document';
import type { Range } from '../model/types';

export interface DocumentSymbolInfo {
  name: string;
  detail: string;
  kind: 'section' | 'key';
  range: Range;
  selectionRange: Range;
  children: DocumentSymbolInfo[];
}

/** One symbol per section, named by the text inside its brackets, with its keys as children. */
export function documentSymbols(doc: SupervisorDocument): DocumentSymbolInfo[] {
  return doc.sections.map((section) => {
    const lastEntry = section.entries[section.entries.length - 1];
    const end = lastEntry ? lastEntry.range.end : section.headerRange.end;
    return {
      name: section.name,
      detail: section.label !== undefined ? section.kind : '',
      kind: 'section' as const,
      range: { start: section.headerRange.start, end },
      selectionRange: section.nameRange,
      children: section.entries.map((e) => ({
        name: e.key,
        detail: e.value.length > 60 ? `${e.value.slice(0, 57).replace(/\n/g, ' ')}...` : e.value.replace(/\n/g, ' '),
        kind: 'key' as const,
        range: e.range,
        selectionRange: e.keyRange,
        children: [],
      })),
    };
  });
}
