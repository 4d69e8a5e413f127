import type { Finding } from '../rule';
import { deleteLines } from '../../edits';
import { boolKey, programReadings } from './programs';
import { header, schemaRule } from './util';
import { ownEntry, setKey } from '../process/programKeys';

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
      if (ownEntry(p, 'redirect_stderr') !== redirect.entry) {
        // From [DEFAULT], which every section reads: override it here.
        findings.push({
          code: 'eventlistener-redirect-stderr',
          severity: 'error',
          message: `${header(reading)} reads redirect_stderr=true from [DEFAULT]: ${why} Set redirect_stderr=false in it, or move redirect_stderr out of [DEFAULT].`,
          range: redirect.entry.valueRange,
          fixes: [{ title: 'Set redirect_stderr=false in this event listener', edits: setKey(ctx.doc, p, 'redirect_stderr', 'false'), isPreferred: true }],
        });
        continue;
      }
      const lines = new Set<number>();
      for (const i of p.sectionIndexes) for (const e of ctx.doc.sections[i].entries) if (e.key === 'redirect_stderr') for (const part of e.parts) lines.add(part.line);
      findings.push({
        code: 'eventlistener-redirect-stderr',
        severity: 'error',
        message: `${header(reading)} sets redirect_stderr=true: ${why} Remove the line and send stderr to its own file with stderr_logfile=.`,
        range: redirect.entry.valueRange,
        fixes: [{ title: 'Remove redirect_stderr', edits: deleteLines(ctx.doc, [...lines].sort((a, b) => a - b)), isPreferred: true }],
      });
    }
    return findings;
  },
);
