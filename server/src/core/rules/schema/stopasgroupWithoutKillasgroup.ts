import type { Finding } from '../rule';
import { deleteLines } from '../../edits';
import { boolKey, programReadings } from './programs';
import { header, schemaRule } from './util';
import { ownEntry, setKey } from '../process/programKeys';

/**
 * stopasgroup=true with killasgroup=false (SUP004): supervisor refuses the file, since stopping a
 * process group but killing only one process cannot work. killasgroup defaults to stopasgroup.
 */
export const stopasgroupWithoutKillasgroup = schemaRule(
  'stopasgroup-without-killasgroup',
  'error',
  'stopasgroup=true with killasgroup=false: supervisor refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    const readings = programReadings(ctx);
    for (let j = 0; j < readings.length; j++) {
      const reading = readings[j];
      const stop = boolKey(ctx, reading, 'stopasgroup');
      if (!stop?.value) continue;
      const kill = boolKey(ctx, reading, 'killasgroup');
      if (!kill || kill.value) continue;
      const p = reading.program!;
      if (ownEntry(p, 'killasgroup') !== kill.entry) {
        // killasgroup=false from [DEFAULT], which every section reads: override it here.
        findings.push({
          code: 'stopasgroup-without-killasgroup',
          severity: 'error',
          message: `${header(reading)} sets stopasgroup=true and reads killasgroup=${kill.entry.value} from [DEFAULT]: supervisor refuses the file ("Cannot set stopasgroup=true and killasgroup=false"). Set killasgroup=true in it, or move killasgroup out of [DEFAULT].`,
          range: kill.entry.valueRange,
          fixes: [{ title: 'Set killasgroup=true in this program', edits: setKey(ctx.doc, p, 'killasgroup', 'true'), isPreferred: true }],
        });
        continue;
      }
      const lines = new Set<number>();
      for (const i of p.sectionIndexes) for (const e of ctx.doc.sections[i].entries) if (e.key === 'killasgroup') for (const part of e.parts) lines.add(part.line);
      findings.push({
        code: 'stopasgroup-without-killasgroup',
        severity: 'error',
        message: `${header(reading)} sets stopasgroup=true and killasgroup=${kill.entry.value}: supervisor refuses the file ("Cannot set stopasgroup=true and killasgroup=false"). Remove killasgroup: it follows stopasgroup by default.`,
        range: kill.entry.valueRange,
        fixes: [{ title: 'Remove killasgroup (it defaults to the value of stopasgroup)', edits: deleteLines(ctx.doc, [...lines].sort((a, b) => a - b)), isPreferred: true }],
      });
    }
    return findings;
  },
);
