import type { Finding } from '../rule';
import { programNumprocs, programReadings } from './programs';
import { header, schemaRule } from './util';
import { fromElsewhere, valueAnchor } from '../process/programKeys';

/** numprocs=0 or below (SUP019): supervisor accepts it and runs no process at all. */
export const numprocsZero = schemaRule(
  'numprocs-zero',
  'warning',
  'numprocs=0 (or negative): supervisor accepts it, and the program runs no process.',
  (ctx) => {
    const findings: Finding[] = [];
    const readings = programReadings(ctx);
    const numprocs = programNumprocs(ctx);
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i];
      const n = numprocs[i];
      if (n === undefined || n > 0) continue;
      const p = reading.program!;
      const e = p.get('numprocs')!;
      findings.push({
        code: 'numprocs-zero',
        severity: 'warning',
        message: `numprocs=${e.value}${fromElsewhere(p, e)}: supervisor accepts it, but ${header(reading)} then runs no process (and supervisor does not even check its command). Set numprocs=1 or more, or set autostart=false to keep the program stopped.`,
        range: valueAnchor(ctx.doc, p, e),
        fixes: [],
      });
    }
    return findings;
  },
);
