import type { Finding, Fix } from '../rule';
import { SECTION_SPECS, sectionSpec } from '../../catalog/keys';
import type { Section } from '../../model/document';
import { sectionsByName } from './context';
import { sectionWouldBeValid } from './renameSafety';
import { closest, schemaRule } from './util';

const KINDS = SECTION_SPECS.map((s) => s.kind);

/**
 * A section supervisor does not read (SUP016): a misspelled or wrongly cased kind ([Program:x],
 * [programs:x]), a named kind without its name ([program]), or a name supervisor has no use for.
 * supervisor skips such sections silently, so the programs in them never run.
 */
export const unknownSection = schemaRule(
  'unknown-section',
  'warning',
  'A section kind supervisor does not know (a typo, wrong case, or [program] without a name): it ignores the whole section silently.',
  (ctx) => {
    const findings: Finding[] = [];
    // The sections under each name, for the rare section with a rename to offer (built only then).
    let byName: ReadonlyMap<string, readonly Section[]> | undefined;
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      const s = reading.section;
      if (reading.resolved || s.name === 'DEFAULT' || reading.templated || s.duplicateOf !== undefined) continue;
      const colon = s.name.indexOf(':');
      const kind = colon === -1 ? s.name : s.name.slice(0, colon);
      const label = colon === -1 ? undefined : s.name.slice(colon + 1);
      const exact = sectionSpec(kind);
      let target: string | undefined;
      let message: string;
      const ignored = `supervisor ignores [${s.name}] and everything in it`;
      if (exact && exact.named && label === undefined) {
        message = `${ignored}: a [${kind}] section needs a name, as in [${kind}:name].`;
      } else if (exact && !exact.named) {
        message = `${ignored}: [${kind}] takes no name after a colon.`;
        target = kind;
      } else {
        const lower = KINDS.find((k) => k === kind.toLowerCase());
        const guess = lower ?? closest(kind, KINDS, 3);
        const guessSpec = guess ? sectionSpec(guess) : undefined;
        if (guessSpec && (guessSpec.named ? label !== undefined : label === undefined)) target = guessSpec.named ? `${guess}:${label}` : guess;
        message = lower
          ? `${ignored}: section names are case-sensitive, and supervisor only knows [${lower}${label !== undefined ? ':…' : ''}].`
          : `${ignored}: it is not a section kind supervisor knows.${guess ? ` Did you mean [${guessSpec?.named ? `${guess}:${label ?? 'name'}` : guess}]?` : ` Known kinds: ${KINDS.join(', ')}.`}`;
      }
      const fixes: Fix[] = [];
      if (target) {
        byName ??= sectionsByName(ctx);
        const fix = renameFix(byName, s.name, target);
        if (fix) fixes.push(fix);
      }
      findings.push({ code: 'unknown-section', severity: 'warning', message, range: s.headerRange, fixes, tag: 'unnecessary' });
    }
    return findings;
  },
);

/**
 * Renames every header of `name` to `target`, when no section is called `target` yet and supervisor
 * would accept the renamed section (all of its headers' entries together).
 */
function renameFix(byName: ReadonlyMap<string, readonly Section[]>, name: string, target: string): Fix | undefined {
  if (byName.has(target)) return undefined;
  const spec = sectionSpec(target.split(':')[0])!;
  const label = target.includes(':') ? target.slice(target.indexOf(':') + 1) : undefined;
  const headers = byName.get(name)!;
  if (!sectionWouldBeValid(byName, spec, label, headers.flatMap((h) => h.entries))) return undefined;
  return {
    title: `Rename to [${target}]`,
    edits: headers.map((h) => ({ range: h.nameRange, newText: target })),
    isPreferred: true,
    safeForFixAll: false, // the nearest kind is a guess
  };
}
