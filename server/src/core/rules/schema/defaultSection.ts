import { defaultEntries, type Entry } from '../../model/document';
import type { Finding } from '../rule';
import { keySpecsOf, type KeySpec } from '../../catalog/keys';
import { ownEffectiveEntry, isReadPerProcess, readValue, type SchemaContext, type SectionReading } from './context';
import { keysReadIn } from './fcgiGroups';
import { hasTemplateSyntax } from './template';
import { checkValue } from './values';
import { header, schemaRule, shorten } from './util';

/** A section that takes a [DEFAULT] key: it reads the key and does not set it itself. */
interface Heir {
  reading: SectionReading;
  spec: KeySpec;
}

/** Why supervisor refuses the key's value in that section, or undefined. */
function refusal(ctx: SchemaContext, heir: Heir, entry: Entry): string | undefined {
  // Read as if written in the section (its names, its key's type), not remembered as the entry's own reading.
  const percent = readValue(ctx, heir.reading, heir.spec, entry, false).problems.find((p) => p.refused);
  if (percent) return percent.detail;
  const problem = checkValue(ctx, heir.reading, heir.spec, entry, false);
  return problem && !problem.acceptedButBroken ? problem.error : undefined;
}

function sectionList(heirs: readonly { reading: SectionReading }[]): string {
  const names = heirs.slice(0, 3).map((h) => header(h.reading));
  if (heirs.length > 3) return `${names.join(', ')} and ${heirs.length - 3} more`;
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * configparser's [DEFAULT] section: supervisor's parser lends its keys to every other section that
 * does not set them, and reads them there as if written there (an autostart=maybe in [DEFAULT] makes it
 * refuse the file in [program:x]). Each key is reported with the sections of this file that take it:
 * an error where supervisor refuses its value (the value checks run as in that section), else a
 * warning, since a key for every section at once is almost never what was meant. A program's other
 * checks read its [DEFAULT] keys too (ProgramView.get).
 */
export const defaultSection = schemaRule(
  'default-section',
  'warning',
  "A key in configparser's [DEFAULT] section: supervisor reads it in every section that does not set it (an error where it refuses the value there).",
  (ctx) => {
    const findings: Finding[] = [];
    const defaults = defaultEntries(ctx.doc);
    if (!defaults.size) return findings;
    const factories = ctx.sections.filter((r) => r.resolved?.spec.openKeys && !r.templated && r.section.duplicateOf === undefined);
    for (const entry of defaults.values()) {
      if (ctx.template && (hasTemplateSyntax(entry.rawKey) || hasTemplateSyntax(entry.value))) continue;
      const heirs: Heir[] = [];
      for (const reading of ctx.sections) {
        if (!reading.resolved || reading.templated || reading.section.duplicateOf !== undefined) continue;
        const spec = keySpecsOf(keysReadIn(ctx, reading).kind)?.get(entry.key);
        if (spec && !ownEffectiveEntry(ctx, reading, entry.key)) heirs.push({ reading, spec });
      }
      const refused = heirs.map((heir) => ({ heir, error: refusal(ctx, heir, entry) })).find((r) => r.error !== undefined);
      const where = `${entry.rawKey}=${shorten(entry.value, 40)} in [DEFAULT]`;
      const passed = factories.length ? ` supervisor also passes it to ${sectionList(factories.map((reading) => ({ reading })))} as a setting of the factory, which may not take it.` : '';
      if (refused) {
        const { reading, spec } = refused.heir;
        const read = reading.resolved!.spec.readBy === 'supervisord' && isReadPerProcess(reading, spec);
        const who = reading.resolved!.spec.readBy !== 'supervisord' ? 'supervisorctl refuses the file' : read ? 'supervisor refuses the file' : 'supervisor refuses the file as soon as numprocs is above 0';
        findings.push({
          code: 'default-section',
          severity: read ? 'error' : 'warning',
          message: `${where} applies to every section that does not set ${entry.key}, and in ${header(reading)} ${who} ("${refused.error}"). Move ${entry.key} into the sections that need it.`,
          range: entry.value ? entry.valueRange : entry.keyRange,
          fixes: [],
        });
      } else if (heirs.length) {
        findings.push({
          code: 'default-section',
          severity: 'warning',
          message: `${where} applies to every section that does not set ${entry.key}: supervisor reads it in ${sectionList(heirs)}, which is rarely what was meant.${passed} Move ${entry.key} into the sections that need it.`,
          range: entry.keyRange,
          fixes: [],
        });
      } else {
        findings.push({
          code: 'default-section',
          severity: 'warning',
          message: `${where} would apply to every section that does not set ${entry.key}, but no section of this file reads ${entry.key}: supervisor ignores it there (and a %(${entry.key})s in a value is no name it expands).${passed}`,
          range: entry.keyRange,
          fixes: [],
          ...(factories.length ? {} : { tag: 'unnecessary' as const }),
        });
      }
    }
    return findings;
  },
);
