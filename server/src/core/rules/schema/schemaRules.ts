/** Rules that check the file against supervisor's own schema: sections, keys, value types, expansions. */
import type { Rule } from '../rule';

export const SCHEMA_RULES: readonly Rule[] = [];
