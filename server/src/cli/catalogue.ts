/** The codes the CLI knows (every rule, plus unused-suppression) and their documentation pages. */
import * as fs from 'node:fs';
import type { Severity } from '../core/model/types';
import { RULES, ruleFor } from '../core/rules';
import { UNUSED_SUPPRESSION_RULE } from '../core/suppression';
import { ruleDocsPath } from '../docsLocation';

export const VERSION = '0.1.0';

export interface CatalogueEntry {
  code: string;
  defaultSeverity: Severity;
  summary: string;
}

/** Every code the engine reports: the rules, and unused-suppression (which is not a rule of its own). */
export function catalogue(): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [...RULES];
  if (!entries.some((r) => r.code === UNUSED_SUPPRESSION_RULE.code)) entries.push(UNUSED_SUPPRESSION_RULE);
  return entries;
}

/** The text of a rule's documentation page, or undefined when the package has none (or the code is malformed). */
export function ruleDocs(code: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(code)) return undefined;
  try {
    return fs.readFileSync(ruleDocsPath(code), 'utf8');
  } catch {
    return undefined;
  }
}

/** A code --disable and the config file accept: a rule's, or unused-suppression. */
export function isKnownCode(code: string): boolean {
  return ruleFor(code) !== undefined || code === UNUSED_SUPPRESSION_RULE.code;
}
