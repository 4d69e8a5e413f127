import type { Finding, Fix } from '../rule';
import { KINDS_BY_KEY, keyNames, keySpec } from '../../catalog/keys';
import { hasTemplateSyntax } from './template';
import { renameFix, suggestKey } from './unknownKey';
import { header, orList, schemaRule } from './util';

/**
 * A key that belongs to another section kind (loglevel in [program:x], serverurl in [supervisord],
 * events in [program:x]): supervisor ignores it there silently (SUP016).
 */
export const misplacedKey = schemaRule(
  'misplaced-key',
  'warning',
  'A key of another section kind (e.g. loglevel in [program:x]): supervisor ignores it there silently.',
  (ctx) => {
    const findings: Finding[] = [];
    for (const reading of ctx.sections) {
      const resolved = reading.resolved;
      if (!resolved || reading.templated || resolved.spec.openKeys) continue;
      const kind = resolved.spec.kind;
      const names = keyNames(kind);
      for (const entry of reading.section.entries) {
        if (keySpec(kind, entry.key)) continue;
        const kinds = KINDS_BY_KEY.get(entry.key);
        if (!kinds) continue;
        if (ctx.template && hasTemplateSyntax(entry.rawKey)) continue;
        const where = orList(kinds.map((k) => `[${k}${keySpec(k, entry.key) && isNamed(k) ? ':x' : ''}]`));
        const guess = suggestKey(kind, entry.key, names);
        const fix: Fix | undefined = guess ? renameFix(ctx, reading, entry, kind, guess) : undefined;
        findings.push({
          code: 'misplaced-key',
          severity: 'warning',
          message: `${entry.rawKey} is a key of ${where}; supervisor ignores it in ${header(reading)}.${guess ? ` Did you mean ${guess}?` : ` Move it to ${where}.`}`,
          range: entry.keyRange,
          fixes: fix ? [fix] : [],
        });
      }
    }
    return findings;
  },
);

function isNamed(kind: string): boolean {
  return ['program', 'fcgi-program', 'eventlistener', 'group', 'rpcinterface', 'ctlplugin'].includes(kind);
}
