/**
 * Section kinds supervisor 4.2 reads, with the keys each accepts: a compact view of catalog/keys.ts
 * (the one catalogue) for callers that only need names.
 */
import { SECTION_SPECS, sectionSpec } from './keys';

export interface SectionKind {
  kind: string;
  /** `[program:name]` style sections carry a name after the colon. */
  named: boolean;
  summary: string;
  keys: readonly string[];
  /** Keys supervisor insists on. */
  required: readonly string[];
  docs: string;
}

export const SECTION_KINDS: readonly SectionKind[] = SECTION_SPECS.map((s) => ({
  kind: s.kind,
  named: s.named,
  summary: s.summary,
  keys: s.keys.map((k) => k.name),
  required: s.keys.filter((k) => k.required).map((k) => k.name),
  docs: s.docs,
}));

const BY_KIND = new Map(SECTION_KINDS.map((k) => [k.kind, k]));

export function sectionKind(kind: string): SectionKind | undefined {
  return sectionSpec(kind) ? BY_KIND.get(kind) : undefined;
}
