import type { Finding, Fix } from '../rule';
import { KINDS_BY_KEY, keyNames, keySpec } from '../../catalog/keys';
import { hasTemplateSyntax } from './template';
import { renameFix, suggestKey } from './unknownKey';
import { header, orList, schemaRule } from './util';
import { entryIndex } from './entryIndex';

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
    const { readings, entries } = entryIndex(ctx).unknown;
    for (let i = 0; i < entries.length; i++) {
      const reading = readings[i];
      const resolved = reading.resolved!;
      if (resolved.spec.openKeys) continue;
      const kind = resolved.spec.kind;
      const entry = entries[i];
      const kinds = KINDS_BY_KEY.get(entry.key);
      if (!kinds) continue;
      if (ctx.template && hasTemplateSyntax(entry.rawKey)) continue;
      const where = orList(kinds.map((k) => `[${k}${keySpec(k, entry.key) && isNamed(k) ? ':x' : ''}]`));
      const guess = suggestKey(kind, entry.key, keyNames(kind));
      const fix: Fix | undefined = guess ? renameFix(ctx, reading, entry, kind, guess) : undefined;
      findings.push({
        code: 'misplaced-key',
        severity: 'warning',
        message: `${entry.rawKey} is a key of ${where}; supervisor ignores it in ${header(reading)}.${guess ? ` Did you mean ${guess}?` : ` Move it to ${where}.`}`,
        range: entry.keyRange,
        fixes: fix ? [fix] : [],
        tag: 'unnecessary',
      });
    }
    return findings;
  },
);

function isNamed(kind: string): boolean {
  return ['program', 'fcgi-program', 'eventlistener', 'group', 'rpcinterface', 'ctlplugin'].includes(kind);
}
