import type { Finding, Fix, Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';
import type { MemmonLimit } from '../../command/memmon';
import { hasTemplateSyntax } from '../schema/template';

/** A size (or NAME=SIZE) supervisor expands (`%(ENV_LIMIT)s`) or a template renders (`<%= @limit %>`): memmon reads what it becomes. */
function unknownHere(size: string): boolean {
  return size.includes('%(') || hasTemplateSyntax(size, false);
}

/** memmon parses sizes with supervisor's byte_size: an integer with an optional KB, MB or GB suffix. */
export const memmonInvalidSize: Rule = {
  code: 'memmon-invalid-size',
  defaultSeverity: 'warning',
  summary: 'A memmon size memmon rejects (256M, 1.5GB, 256MiB): memmon exits at start.',
  check({ deployment }) {
    const findings: Finding[] = [];
    for (const listener of deployment.memmonListeners) {
      const m = listener.memmon;
      const limits: MemmonLimit[] = [...m.programs, ...m.groups, ...(m.any ? [m.any] : [])];
      for (const limit of limits) {
        if (limit.missingValue || unknownHere(limit.size)) continue;
        if (limit.malformed) {
          findings.push({
            code: this.code,
            severity: 'warning',
            message: `memmon ${limit.spelling} needs NAME=SIZE (for example worker=512MB); memmon exits with "Unparseable value" on '${limit.size}'.`,
            range: spanRange(listener.command, limit.start, limit.end),
            fixes: [],
          });
          continue;
        }
        if (limit.bytes !== undefined) continue;
        const fixes: Fix[] = [];
        const suggestion = suggestSize(limit.size);
        if (suggestion) {
          fixes.push({ title: `Write ${suggestion}`, edits: [...replaceSpan(listener.command, limit.sizeStart, limit.sizeEnd, suggestion)], isPreferred: true });
        }
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon cannot read the size '${limit.size}': it takes a whole number with an optional KB, MB or GB suffix${suggestion ? ` (${suggestion})` : ''}. memmon exits at start ("Unparseable byte_size"), and supervisor keeps restarting it.`,
          range: spanRange(listener.command, limit.sizeStart, limit.sizeEnd),
          fixes,
        });
      }
    }
    return findings;
  },
};

/** 256M -> 256MB, 256MiB -> 256MB, 1.5GB -> 1536MB, 512mb stays as is (valid). */
function suggestSize(size: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG])(?:i?[bB])?$/.exec(size.trim());
  if (!m) return undefined;
  const unit = m[2].toUpperCase();
  const value = Number(m[1]);
  if (Number.isInteger(value)) return `${value}${unit}B`;
  const lower = unit === 'G' ? 'M' : unit === 'M' ? 'K' : undefined;
  return lower ? `${Math.round(value * 1024)}${lower}B` : undefined;
}
