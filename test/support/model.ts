import type { SupervisorDocument } from '../../server/src/core/model/document';

/**
 * The model seen the way configparser presents it: sections by name (repeated headers merged, later
 * keys winning), [DEFAULT] keys visible in every section, [DEFAULT] itself not listed.
 */
export function asConfigParserSections(doc: SupervisorDocument): Record<string, Record<string, string>> {
  const defaults: Record<string, string> = {};
  const merged = new Map<string, Record<string, string>>();
  for (const s of doc.sections) {
    const target = s.name === 'DEFAULT' ? defaults : merged.get(s.name) ?? {};
    if (s.name !== 'DEFAULT' && !merged.has(s.name)) merged.set(s.name, target);
    for (const e of s.entries) target[e.key] = e.value;
  }
  const result: Record<string, Record<string, string>> = {};
  for (const [name, keys] of merged) result[name] = { ...defaults, ...keys };
  return result;
}
