import type { Finding } from '../rule';
import { nameBreaker, parseName } from '../../catalog/datatypes';
import { schemaRule } from './util';

/** Hoisted: an array literal in the loop would be a new array per section. */
const NAMED_KINDS = ['program', 'fcgi-program', 'eventlistener', 'group'];

/**
 * A program, fcgi-program, event listener or group name with a space, : or / (they would break the
 * event protocol and the web UI's URLs): supervisor refuses the file.
 */
export const invalidName = schemaRule(
  'invalid-name',
  'error',
  'A [program:x], [fcgi-program:x], [eventlistener:x] or [group:x] name with a space, : or /: supervisor refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      const r = reading.resolved;
      if (!r || r.label === undefined || reading.templated || reading.section.duplicateOf !== undefined) continue;
      if (!NAMED_KINDS.includes(r.spec.kind)) continue;
      if (nameBreaker(r.label) === undefined) continue;
      const parsed = parseName(r.label);
      if (parsed.ok) continue;
      const range = reading.section.nameRange;
      findings.push({
        code: 'invalid-name',
        severity: 'error',
        message: `supervisor refuses the name in [${reading.section.name}] ("${parsed.message}"). Names may not contain spaces, : or /; use - or _ instead.`,
        range: { start: { line: range.start.line, character: range.start.character + r.spec.kind.length + 1 }, end: range.end },
        fixes: [],
      });
    }
    return findings;
  },
);
