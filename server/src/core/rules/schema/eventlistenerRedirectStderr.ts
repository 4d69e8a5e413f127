import type { Finding } from '../rule';
import { boolKey, programReadings } from './programs';
import { header, schemaRule } from './util';
import { inFile, ownEntry, removalRestoresDefault, removeKey, setKey, valueAnchor } from '../process/programKeys';

/**
 * redirect_stderr=true in an [eventlistener:x] (SUP014): the listener's stdout carries the event
 * protocol, so supervisor refuses the file rather than mix stderr into it.
 */
export const eventlistenerRedirectStderr = schemaRule(
  'eventlistener-redirect-stderr',
  'error',
  'redirect_stderr=true in an [eventlistener:x]: supervisor refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    const readings = programReadings(ctx);
    for (let j = 0; j < readings.length; j++) {
      const reading = readings[j];
      if (reading.program!.kind !== 'eventlistener') continue;
      const redirect = boolKey(ctx, reading, 'redirect_stderr');
      if (!redirect?.value) continue;
      const p = reading.program!;
      const why = "supervisor refuses the file, because an event listener's stdout carries the event protocol and stderr output would corrupt it.";
      const own = ownEntry(p, 'redirect_stderr') === redirect.entry;
      // Without the line redirect_stderr is false, unless [DEFAULT] sets it: then set it here.
      const remove = removalRestoresDefault(p, 'redirect_stderr', redirect.entry);
      findings.push({
        code: 'eventlistener-redirect-stderr',
        severity: 'error',
        message: !own
          ? `${header(reading)} reads redirect_stderr=true from [DEFAULT]${inFile(p, redirect.entry)}: ${why} Set redirect_stderr=false in it, or move redirect_stderr out of [DEFAULT].`
          : `${header(reading)} sets redirect_stderr=true: ${why} ${
              remove ? 'Remove the line' : "Set redirect_stderr=false (without the line, [DEFAULT]'s redirect_stderr would apply)"
            } and send stderr to its own file with stderr_logfile=.`,
        range: valueAnchor(ctx.doc, p, redirect.entry),
        fixes: [
          remove
            ? { title: 'Remove redirect_stderr', edits: removeKey(ctx.doc, p, 'redirect_stderr'), isPreferred: true }
            : { title: 'Set redirect_stderr=false in this event listener', edits: setKey(ctx.doc, p, 'redirect_stderr', 'false'), isPreferred: true },
        ],
      });
    }
    return findings;
  },
);
