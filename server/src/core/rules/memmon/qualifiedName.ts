import type { Finding, Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';

/**
 * memmon's docs allow `-p group:process=SIZE`, but superlance 2.0.0 then looks the limit up by the
 * bare process name and crashes with KeyError on the first TICK.
 */
export const memmonQualifiedName: Rule = {
  code: 'memmon-qualified-name',
  defaultSeverity: 'warning',
  summary: 'memmon -p group:process=SIZE crashes superlance 2.0.0 memmon on its first check.',
  check({ deployment }) {
    const findings: Finding[] = [];
    for (const listener of deployment.memmonListeners) {
      for (const limit of listener.memmon.programs) {
        if (!limit.name?.includes(':') || limit.nameStart === undefined || limit.nameEnd === undefined) continue;
        const bare = limit.name.slice(limit.name.indexOf(':') + 1);
        const group = limit.name.slice(0, limit.name.indexOf(':'));
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `memmon -p ${limit.name}: superlance 2.0.0 looks limits up by the bare process name, so this form crashes memmon with KeyError on its first tick. Write -p ${bare}=${limit.size}, or -g ${group}=${limit.size} for the whole group.`,
          range: spanRange(listener.command, limit.nameStart, limit.nameEnd),
          fixes: [
            { title: `Use the bare process name: -p ${bare}`, edits: [...replaceSpan(listener.command, limit.nameStart, limit.nameEnd, bare)], isPreferred: true },
          ],
        });
      }
    }
    return findings;
  },
};
