import type { Finding, Rule } from '../rule';
import { insertKeyLinesAfter } from '../../edits';
import { fromElsewhere, inThisFile, setKey, valueAnchor } from '../process/programKeys';

/** The events that bring memmon a TICK_*: the three, their abstract parent TICK, and EVENT, the parent of all (supervisor's events.py subscribes by type). */
const TICKS = new Set(['TICK_5', 'TICK_60', 'TICK_3600', 'TICK', 'EVENT']);

/** memmon checks memory only when a TICK event arrives; without one it never checks anything. */
export const memmonTickMissing: Rule = {
  code: 'memmon-tick-missing',
  defaultSeverity: 'warning',
  summary: 'A memmon listener whose events= brings it no TICK event never checks memory.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    for (const listener of deployment.memmonListeners) {
      const events = listener.get('events');
      if (!events) {
        const index = listener.sectionIndexes[0];
        const header = doc.sections[index];
        findings.push({
          code: this.code,
          severity: 'error',
          message: `[eventlistener:${listener.name}] has no events= line: supervisor refuses the file ("section requires an events line"). memmon needs events=TICK_60 to check memory every minute.`,
          range: header.headerRange,
          fixes: [{ title: 'Add events=TICK_60', edits: [insertKeyLinesAfter(doc, listener.command.parts[listener.command.parts.length - 1].line, ['events=TICK_60'])], isPreferred: true }],
        });
        continue;
      }
      const names = events.value.split(',').map((e) => e.trim());
      if (names.some((n) => TICKS.has(n))) continue;
      const value = names.filter(Boolean).length ? `${events.value.replace(/\s*\n\s*/g, ' ')},TICK_60` : 'TICK_60';
      // From another file's [DEFAULT]: reported on the header, and set in the listener's own section.
      const elsewhere = !inThisFile(listener, events);
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `memmon acts only on TICK events, and events=${events.value}${fromElsewhere(listener, events)} has none, so it never checks memory. Use events=TICK_60 (every minute).`,
        range: valueAnchor(doc, listener, events),
        fixes: [
          {
            title: names.filter(Boolean).length ? 'Add TICK_60 to the events' : 'Set events=TICK_60',
            edits: elsewhere ? setKey(doc, listener, 'events', value) : [{ range: events.valueRange, newText: value }],
            isPreferred: true,
          },
        ],
      });
    }
    return findings;
  },
};
