import type { Finding, Fix } from '../rule';
import { valueSpanToRange } from '../../model/document';
import { groupReadings } from './groups';
import { header, schemaRule } from './util';
import { readValue, type SchemaContext } from './context';
import type { GroupReading } from './groups';
import { keySpec } from '../../catalog/keys';
import { NearestNames } from './nearestNames';

/**
 * A [group:x] programs= entry that names no [program:x] or [fcgi-program:x] (SUP012). supervisor
 * checks this on the merged configuration, so the severity depends on where the program could be:
 * - a main file without [include]: nowhere else, so supervisor refuses the file (error);
 * - a main file with [include], or a fragment: another included file may define it. When this file
 *   defines programs of its own (or the name is close to one, a likely typo, with the fix) it is a
 *   warning; in a file that only groups programs defined elsewhere it is information.
 * An event listener named in a group, an empty name (a stray comma) and a name that is both a program
 * and an fcgi-program are errors everywhere.
 */
export const groupUnknownProgram = schemaRule(
  'group-unknown-program',
  'error',
  '[group:x] programs= names a program no section defines: supervisor refuses the file (in a fragment the program may come from another file).',
  (ctx) => {
    const findings: Finding[] = [];
    const external = ctx.deployment.external;
    const groups = groupReadings(ctx);
    if (!groups.length) return findings;
    // Every section name of the deployment, collected only for a member the quick test below cannot settle.
    let sections: Set<string> | undefined;
    const hasSection = (name: string): boolean => {
      if (!sections) {
        sections = new Set<string>();
        for (const s of ctx.doc.sections) sections.add(s.name);
        if (external) for (const n of external.sectionNames) sections.add(n);
      }
      return sections.has(name);
    };
    // Without another file and without [fcgi-program:x] sections, a member that is one of this file's
    // programs is a [program:name] (a section's name is its kind, ':' and its label) and nothing else.
    const noFcgi = !external && !ctx.doc.sections.some((s) => s.kind === 'fcgi-program');
    // Needed only for a name no section defines.
    let programNames: string[] | undefined;
    const programNamesOf = () => (programNames ??= [...ctx.deployment.programs, ...(external?.programs ?? [])].filter((p) => p.kind !== 'eventlistener').map((p) => p.name));
    // One index for every member's "did you mean" (a group may name thousands of unknown programs).
    let nearest: NearestNames | undefined;
    const guessFor = (name: string) => (nearest ??= new NearestNames(programNamesOf(), 2)).closest(name);
    // Every file of the deployment was read (or there is no other file): a name none defines is defined nowhere.
    const closed = (ctx.isMainFile && !ctx.hasInclude) || !!external?.complete;
    for (const g of groups) {
      const h = header(g.reading);
      if (namesAFolder(ctx, g)) {
        findings.push({ code: 'group-unknown-program', severity: 'error', message: `${h} programs=${g.entry!.value}: %(here)s is the folder of the config file, a path such as /etc/supervisor, and no program is named after a path (a name cannot hold /): supervisor refuses the file ("names unknown program or fcgi-program /etc/supervisor"). List the programs by name.`, range: g.entry!.valueRange, fixes: [] });
        continue;
      }
      let memberNames: Set<string> | undefined;
      for (const m of g.members) {
        // A program of that name whose section is named exactly program:<name> (supervisor looks the section up).
        const named = ctx.deployment.byName.get(m.name);
        const plainProgram = noFcgi && named?.kind === 'program' && ctx.doc.sections[named.sectionIndexes[0]].label === m.name;
        const isProgram = plainProgram || hasSection(`program:${m.name}`);
        const isFcgi = !plainProgram && hasSection(`fcgi-program:${m.name}`);
        if (isProgram && isFcgi) {
          findings.push({ code: 'group-unknown-program', severity: 'error', message: `${h} names ${m.name}, which is both a [program:${m.name}] and an [fcgi-program:${m.name}]: supervisor refuses the file ("name ${m.name} is ambiguous"). Rename one of them.`, range: m.range, fixes: [] });
          continue;
        }
        if (isProgram || isFcgi) continue;
        const fixes: Fix[] = [];
        if (m.name === '') {
          if (g.entry && m.start !== undefined) {
            const from = m.start > 0 ? m.start - 1 : m.start;
            const to = m.start > 0 ? m.end! : Math.min(g.entry.value.length, m.end! + 1);
            fixes.push({ title: 'Remove the empty entry', edits: [{ range: valueSpanToRange(g.entry, from, to), newText: '' }], isPreferred: true });
          }
          findings.push({ code: 'group-unknown-program', severity: 'error', message: `${h} programs= has an empty entry (a stray comma), and supervisor refuses the file ("names unknown program or fcgi-program "). Remove the extra comma.`, range: m.range, fixes });
          continue;
        }
        if (hasSection(`eventlistener:${m.name}`)) {
          findings.push({ code: 'group-unknown-program', severity: 'error', message: `${h} names ${m.name}, which is an [eventlistener:${m.name}]: groups hold only programs and fcgi-programs, and supervisor refuses the file ("names unknown program or fcgi-program ${m.name}"). Remove it from programs=.`, range: m.range, fixes: [] });
          continue;
        }
        const guess = guessFor(m.name);
        if (guess && g.entry && m.start !== undefined && !(memberNames ??= new Set(g.members.map((x) => x.name))).has(guess)) {
          const item = g.entry.value.slice(m.start, m.end);
          const lead = item.length - item.trimStart().length;
          fixes.push({ title: `Change to ${guess}`, edits: [{ range: valueSpanToRange(g.entry, m.start + lead, m.start + lead + m.name.length), newText: guess }], isPreferred: true, safeForFixAll: false });
        }
        // A fragment that defines programs and groups them most likely means one of its own.
        const severity = closed ? 'error' : guess || programNamesOf().length ? 'warning' : 'information';
        const message = closed
          ? `${h} names ${m.name}, but ${external ? 'no file of this deployment has' : 'this file has no'} [program:${m.name}] or [fcgi-program:${m.name}]: supervisor refuses the file ("names unknown program or fcgi-program ${m.name}").${guess ? ` Did you mean ${guess}?` : ''}`
          : guess
            ? `${h} names ${m.name}, which no section of this file defines; did you mean ${guess}? Unless another included file defines [program:${m.name}], supervisor refuses the configuration.`
            : `${h} names ${m.name}, which this file does not define. That is fine if another included file has [program:${m.name}] or [fcgi-program:${m.name}]; otherwise supervisor refuses the configuration ("names unknown program or fcgi-program ${m.name}").`;
        findings.push({ code: 'group-unknown-program', severity, message, range: m.range, fixes });
      }
    }
    return findings;
  },
);

const PROGRAMS = keySpec('group', 'programs')!;

/** programs= whose only unknown is %(here)s, with an item that holds the folder's path (its leading /). */
function namesAFolder(ctx: SchemaContext, g: GroupReading): boolean {
  if (g.members.length || !g.entry) return false;
  const standIn = readValue(ctx, g.reading, PROGRAMS, g.entry).standIn;
  return !!standIn && standIn.here && !standIn.dump && standIn.text.split(',').some((item) => item.includes('/'));
}
