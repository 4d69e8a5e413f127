/** Every rule the engine runs, in the order their findings are reported. */
import type { Rule } from './rule';
import { duplicateSection, invalidLine, missingSectionHeader, utf8Bom } from './parserProblems';
import { duplicateKey } from './duplicateKey';

export const RULES: readonly Rule[] = [utf8Bom, missingSectionHeader, invalidLine, duplicateSection, duplicateKey];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleFor(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
