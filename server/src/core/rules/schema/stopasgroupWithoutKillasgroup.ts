import type { Finding } from '../rule';
import { boolKey, programReadings } from './programs';
import { header, schemaRule } from './util';
import { inFile, ownEntry, removalRestoresDefault, removeKey, setKey, valueAnchor } from '../process/programKeys';

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
      const refused = 'supervisor refuses the file ("Cannot set stopasgroup=true and killasgroup=false")';
      const own = ownEntry(p, 'killasgroup') === kill.entry;
      // Removing the line lets killasgroup follow stopasgroup, unless [DEFAULT] sets it: then set it here.
      const remove = removalRestoresDefault(p, 'killasgroup', kill.entry);
      findings.push({
        code: 'stopasgroup-without-killasgroup',
        severity: 'error',
        message: !own
          ? `${header(reading)} sets stopasgroup=true and reads killasgroup=${kill.entry.value} from [DEFAULT]${inFile(p, kill.entry)}: ${refused}. Set killasgroup=true in it, or move killasgroup out of [DEFAULT].`
          : `${header(reading)} sets stopasgroup=true and killasgroup=${kill.entry.value}: ${refused}. ${
              remove ? 'Remove killasgroup: it follows stopasgroup by default.' : "Set killasgroup=true: without the line, [DEFAULT]'s killasgroup would apply."
            }`,
        range: valueAnchor(ctx.doc, p, kill.entry),
        fixes: [
          remove
            ? { title: 'Remove killasgroup (it defaults to the value of stopasgroup)', edits: removeKey(ctx.doc, p, 'killasgroup'), isPreferred: true }
            : { title: 'Set killasgroup=true in this program', edits: setKey(ctx.doc, p, 'killasgroup', 'true'), isPreferred: true },
        ],
      });
    }
    return findings;
  },
);
