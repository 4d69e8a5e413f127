import type { Finding } from '../rule';
import { isEffective, isOpaqueTemplate } from './context';
import { replaceEntryValue, schemaRule } from './util';

/**
 * [supervisord] loglevel=warning (SUP015): supervisor's level is called warn, and it refuses the
 * file with "bad logging level name 'warning'". Celery is the other way round: it wants WARNING.
 */
export const loglevelWarning = schemaRule(
  'loglevel-warning',
  'error',
  "[supervisord] loglevel=warning: supervisor only knows warn and refuses the file.",
  (ctx) => {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      if (reading.resolved?.spec.kind !== 'supervisord') continue;
      for (const entry of reading.section.entries) {
        if (entry.key !== 'loglevel' || entry.value.toLowerCase() !== 'warning' || isOpaqueTemplate(ctx, entry.value)) continue;
        if (!isEffective(ctx, reading, entry)) continue;
        findings.push({
          code: 'loglevel-warning',
          severity: 'error',
          message: `supervisor calls this level warn, not warning, and refuses the file ("bad logging level name '${entry.value}'"). Write loglevel=warn. (Celery is the opposite: its -l takes WARNING and rejects WARN.)`,
          range: entry.valueRange,
          fixes: [{ title: 'Change to loglevel=warn', edits: replaceEntryValue(ctx.doc, entry, 'warn'), isPreferred: true, safeForFixAll: true }],
        });
      }
    }
    return findings;
  },
);
