import { lineText, sectionIndexAt, type SupervisorDocument } from '../model/document';
import type { Position, Range } from '../model/types';
import { SECTION_KINDS, sectionKind } from '../catalog/sections';

export interface CompletionInfo {
  label: string;
  kind: 'section' | 'key';
  detail: string;
  insertText: string;
  range: Range;
}

/** Section headers after `[`, and the keys of the current section at the start of a line. */
export function completion(doc: SupervisorDocument, position: Position): CompletionInfo[] {
  const text = lineText(doc, position.line);
  const before = text.slice(0, position.character);
  const indent = before.length - before.trimStart().length;
  const typed = before.trimStart();
  if (typed.startsWith('[')) {
    const range = { start: { line: position.line, character: indent }, end: { line: position.line, character: text.length } };
    return SECTION_KINDS.map((k) => ({
      label: k.named ? `[${k.kind}:name]` : `[${k.kind}]`,
      kind: 'section' as const,
      detail: k.summary,
      insertText: k.named ? `[${k.kind}:` : `[${k.kind}]`,
      range,
    }));
  }
  if (indent > 0 || /[=:]/.test(typed)) return [];
  const index = sectionIndexAt(doc, position.line);
  if (index < 0) return [];
  const kind = sectionKind(doc.sections[index].kind);
  if (!kind) return [];
  const present = new Set(doc.sections[index].entries.filter((e) => e.range.start.line !== position.line).map((e) => e.key));
  const range = { start: { line: position.line, character: 0 }, end: position };
  return kind.keys
    .filter((k) => !present.has(k))
    .map((k) => ({ label: k, kind: 'key' as const, detail: `[${kind.kind}${kind.named ? ':x' : ''}] key`, insertText: `${k}=`, range }));
}
