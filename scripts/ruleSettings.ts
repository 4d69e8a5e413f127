/**
 * The rule codes in the two JSON schemas users edit by hand, generated from the rule registry so
 * that they cannot drift: package.json's `supervisor.rules` setting (completion and checks in
 * settings.json) and schemas/supervisor-lint.schema.json's `rules` (the same in .supervisor-lint.json).
 * Written by `npm run docs:rules`; test/unit/readme.test.ts checks both are current.
 */
import { catalogue } from '../server/src/cli/catalogue';

export const SEVERITY_CHOICES = ['error', 'warning', 'information', 'hint', 'off'];

/** One property per code: the severities to choose from, and what the rule finds. */
export function ruleProperties(): Record<string, { type: string; enum: string[]; description: string }> {
  const entries = catalogue().sort((a, b) => a.code.localeCompare(b.code));
  return Object.fromEntries(
    entries.map((r) => [r.code, { type: 'string', enum: SEVERITY_CHOICES, description: `${r.summary} Default: ${r.defaultSeverity}.` }]),
  );
}

/** `rules` (an object schema) with the current codes, unknown codes refused. */
export function withRuleProperties<T extends object>(rules: T): T & { properties: ReturnType<typeof ruleProperties>; additionalProperties: false } {
  return { ...rules, properties: ruleProperties(), additionalProperties: false };
}

/** package.json with its `supervisor.rules` setting regenerated. */
export function packageWithRuleCodes(pkg: { contributes: { configuration: { properties: Record<string, object> } } }): typeof pkg {
  const props = pkg.contributes.configuration.properties;
  return { ...pkg, contributes: { ...pkg.contributes, configuration: { ...pkg.contributes.configuration, properties: { ...props, 'supervisor.rules': withRuleProperties(props['supervisor.rules']) } } } };
}

/** The .supervisor-lint.json schema with its `rules` regenerated. */
export function schemaWithRuleCodes(schema: { properties: Record<string, object> }): typeof schema {
  return { ...schema, properties: { ...schema.properties, rules: withRuleProperties(schema.properties.rules) } };
}
