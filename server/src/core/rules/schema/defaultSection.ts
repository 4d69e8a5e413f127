import { defaultEntries, type Entry } from '../../model/document';
import type { Finding } from '../rule';
import { keySpecsOf, type KeySpec } from '../../catalog/keys';
import { ownEffectiveEntry, isReadPerProcess, readValue, schemaContext, type SchemaContext, type SectionReading } from './context';
import { aloneOf } from '../../deployment';
import type { RuleContext } from '../rule';
import { keysReadIn } from './fcgiGroups';
import { hasTemplateSyntax } from './template';
import { checkValue } from './values';
import { header, schemaRule, shorten } from './util';

/** A section that takes a [DEFAULT] key: it reads the key and does not set it itself. */
interface Heir {
  /** The schema context of the heir's file (this file's, or another file's of the deployment read alone). */
  ctx: SchemaContext;
  reading: SectionReading;
  spec: KeySpec;
  /** The other file the section is in, undefined for this file. */
  file?: string;
}

/** Why supervisor refuses the key's value in that section, or undefined. */
function refusal(heir: Heir, entry: Entry): string | undefined {
  const { ctx } = heir;
  // Read as if written in the section (its names, its key's type), not remembered as the entry's own reading.
  const percent = readValue(ctx, heir.reading, heir.spec, entry, false).problems.find((p) => p.refused);
  if (percent) return percent.detail;
  const problem = checkValue(ctx, heir.reading, heir.spec, entry, false);
  return problem && !problem.acceptedButBroken ? problem.error : undefined;
}

function named(heir: { reading: SectionReading; file?: string }): string {
  return heir.file === undefined ? header(heir.reading) : `${header(heir.reading)} in ${heir.file}`;
}

function sectionList(heirs: readonly { reading: SectionReading; file?: string }[]): string {
  const names = heirs.slice(0, 3).map(named);
  if (heirs.length > 3) return `${names.join(', ')} and ${heirs.length - 3} more`;
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The sections of a file that supervisor reads (not templated, not a repeated header). */
function readSections(ctx: SchemaContext): SectionReading[] {
  return ctx.sections.filter((r) => r.resolved && !r.templated && r.section.duplicateOf === undefined);
}

/**
 * The files whose sections a [DEFAULT] key of this file reaches, with their schema contexts: this file,
 * and in a deployment every other file (supervisor reads them all into one parser). Another file is read
 * as it is alone (its own programs and names), which is how its sections read a value.
 */
function filesReached(ctx: SchemaContext): { ctx: SchemaContext; file?: string }[] {
  const files: { ctx: SchemaContext; file?: string }[] = [{ ctx }];
  for (const f of ctx.deployment.external?.files ?? []) files.push({ ctx: schemaContext({ doc: f.doc, deployment: aloneOf(f.doc) } as RuleContext), file: f.path });
  return files;
}

/**
 * configparser's [DEFAULT] section: supervisor's parser lends its keys to every other section that
 * does not set them, and reads them there as if written there (an autostart=maybe in [DEFAULT] makes it
 * refuse the file in [program:x]). supervisor reads every file of a deployment into one parser, so in a
 * deployment a [DEFAULT] key reaches the sections of every file, and one a file read later sets again
 * replaces it everywhere. Each key is reported with the sections that take it: an error where supervisor
 * refuses its value (the value checks run as in that section), else a warning, since a key for every
 * section at once is almost never what was meant. A program's other checks read its [DEFAULT] keys too
 * (ProgramView.get).
 */
export const defaultSection = schemaRule(
  'default-section',
  'warning',
  "A key in configparser's [DEFAULT] section: supervisor reads it in every section that does not set it (an error where it refuses the value there).",
  (ctx) => {
    const findings: Finding[] = [];
    const defaults = defaultEntries(ctx.doc);
    if (!defaults.size) return findings;
    const winners = ctx.deployment.defaults;
    const files = filesReached(ctx);
    const factories = files.flatMap(({ ctx: c, file }) => readSections(c).filter((r) => r.resolved!.spec.openKeys).map((reading) => ({ reading, file })));
    const everywhere = !ctx.deployment.external ? 'of this file' : ctx.deployment.external.complete ? 'of the deployment' : 'of the files read here';
    for (const entry of defaults.values()) {
      if (ctx.template && (hasTemplateSyntax(entry.rawKey) || hasTemplateSyntax(entry.value))) continue;
      const where = `${entry.rawKey}=${shorten(entry.value, 40)} in [DEFAULT]`;
      const winner = winners.entries.get(entry.key);
      const later = winner && winner !== entry ? winners.fileOf(winner) : undefined;
      // supervisor writes a %(here)s value into every section read so far as the section's own key
      // (expand_here, after each file), so a later [DEFAULT] does not replace it there.
      if (later !== undefined && !entry.value.includes('%(here)s')) {
        findings.push({
          code: 'default-section',
          severity: 'warning',
          message: `${where} would apply to every section that does not set ${entry.key}, but [DEFAULT] in ${later}, which supervisor reads after this file, sets ${entry.key}=${shorten(winner!.value, 40)}: that value replaces this one in every section of the deployment, so supervisor never reads this line.`,
          range: entry.keyRange,
          fixes: [],
          tag: 'unnecessary',
        });
        continue;
      }
      const heirs: Heir[] = [];
      for (const { ctx: c, file } of files) {
        for (const reading of readSections(c)) {
          const spec = keySpecsOf(keysReadIn(c, reading).kind)?.get(entry.key);
          if (spec && !ownEffectiveEntry(c, reading, entry.key)) heirs.push({ ctx: c, reading, spec, ...(file === undefined ? {} : { file }) });
        }
      }
      const refused = heirs.map((heir) => ({ heir, error: refusal(heir, entry) })).find((r) => r.error !== undefined);
      const passed = factories.length ? ` supervisor also passes it to ${sectionList(factories)} as a setting of the factory, which may not take it.` : '';
      if (refused) {
        const { reading, spec } = refused.heir;
        const read = reading.resolved!.spec.readBy === 'supervisord' && isReadPerProcess(reading, spec);
        const who = reading.resolved!.spec.readBy !== 'supervisord' ? 'supervisorctl refuses the file' : read ? 'supervisor refuses the file' : 'supervisor refuses the file as soon as numprocs is above 0';
        findings.push({
          code: 'default-section',
          severity: read ? 'error' : 'warning',
          message: `${where} applies to every section that does not set ${entry.key}, and in ${named(refused.heir)} ${who} ("${refused.error}"). Move ${entry.key} into the sections that need it.`,
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
          message: `${where} would apply to every section that does not set ${entry.key}, but no section ${everywhere} reads ${entry.key}: supervisor ignores it there (and a %(${entry.key})s in a value is no name it expands).${passed}`,
          range: entry.keyRange,
          fixes: [],
          ...(factories.length ? {} : { tag: 'unnecessary' as const }),
        });
      }
    }
    return findings;
  },
);
