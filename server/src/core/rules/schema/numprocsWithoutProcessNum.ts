import { fromElsewhere, inThisFile, valueAnchor } from '../process/programKeys';
import type { Finding, Fix } from '../rule';
import { insertKeyLinesAfter, lastContentLine } from '../../edits';
import { isOpaqueTemplate } from './context';
import { keysElsewhere, mergedEntry } from '../../deployment';
import { pyInt } from '../../catalog/datatypes';
import { programNumprocs, programReadings } from './programs';
import { header, replaceEntryValue, schemaRule } from './util';

const TEMPLATE = '%(program_name)s_%(process_num)02d';

/**
 * numprocs > 1 while process_name does not contain %(process_num) (SUP010): the processes would all
 * get the same name, and supervisor refuses the file.
 */
export const numprocsWithoutProcessNum = schemaRule(
  'numprocs-without-process-num',
  'error',
  'numprocs > 1 without %(process_num) in process_name: supervisor refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    const readings = programReadings(ctx);
    const numprocsOfReadings = programNumprocs(ctx);
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i];
      const p = reading.program!;
      const elsewhere = keysElsewhere(ctx.deployment.external, reading.section.name);
      // Where another file sets either key, supervisor reads the merged section: judge that.
      const ownNumprocs = p.get('numprocs');
      const ownName = p.get('process_name');
      const numprocsEntry = mergedEntry(elsewhere, 'numprocs', ownNumprocs);
      const nameEntry = mergedEntry(elsewhere, 'process_name', ownName);
      const ownsNumprocs = numprocsEntry === ownNumprocs;
      const numprocs = ownsNumprocs ? numprocsOfReadings[i] : numprocsEntry && numprocsEntry.value.indexOf('%') < 0 ? pyInt(numprocsEntry.value) : undefined;
      if (numprocs === undefined || numprocs <= 1 || !numprocsEntry) continue;
      if (nameEntry && isOpaqueTemplate(ctx, nameEntry.value)) continue;
      const template = nameEntry?.value ?? '%(program_name)s';
      if (template.includes('%(process_num)')) continue;
      const ownsName = !!nameEntry && nameEntry === ownName;
      // Reported where process_name is (the fix goes there), or at numprocs when no file sets it.
      if (nameEntry ? !ownsName : !ownsNumprocs) continue;
      const fixes: Fix[] = [];
      // An entry of another file's [DEFAULT]: the finding goes on the header, and the fix writes this section's own line.
      const here = (e: typeof nameEntry) => !!e && inThisFile(p, e);
      if (nameEntry && !here(nameEntry)) {
        if (!nameEntry.value.includes('\n')) fixes.push({ title: `Add process_name=${nameEntry.value}_%(process_num)02d`, edits: [insertKeyLinesAfter(ctx.doc, lastContentLine(ctx.doc, reading.index), [`process_name=${nameEntry.value}_%(process_num)02d`])], isPreferred: true });
      } else if (nameEntry) {
        if (!nameEntry.value.includes('\n')) fixes.push({ title: `Set process_name=${nameEntry.value}_%(process_num)02d`, edits: replaceEntryValue(ctx.doc, nameEntry, `${nameEntry.value}_%(process_num)02d`), isPreferred: true });
      } else {
        const at = here(numprocsEntry) && numprocsEntry.sectionIndex === reading.index ? numprocsEntry.parts[numprocsEntry.parts.length - 1].line : lastContentLine(ctx.doc, reading.index);
        fixes.push({ title: `Add process_name=${TEMPLATE}`, edits: [insertKeyLinesAfter(ctx.doc, at, [`process_name=${TEMPLATE}`])], isPreferred: true });
      }
      findings.push({
        code: 'numprocs-without-process-num',
        severity: 'error',
        message: `${header(reading)} runs ${numprocs} processes${fromElsewhere(p, numprocsEntry)}, but process_name${nameEntry ? `=${nameEntry.value}${fromElsewhere(p, nameEntry)}` : ' (default %(program_name)s)'} has no %(process_num), so they would share one name: supervisor refuses the file ("%(process_num) must be present within process_name when numprocs > 1"). Use process_name=${TEMPLATE} (processes ${p.name}_00, ${p.name}_01, ...).`,
        range: valueAnchor(ctx.doc, p, ownsNumprocs ? numprocsEntry : nameEntry!),
        fixes,
      });
    }
    return findings;
  },
);
