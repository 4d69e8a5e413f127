import type { Finding, Rule } from '../rule';
import { spanRange } from '../../commandEdits';
import { replaceSpan } from '../../commandEdits';

/**
 * memmon compares -p names with process names (process_name expanded for each of numprocs) and -g
 * names with group names, exactly. A name that matches nothing makes memmon silently watch nothing.
 */
export const memmonUnknownProcess: Rule = {
  code: 'memmon-unknown-process',
  defaultSeverity: 'warning',
  summary: 'A memmon -p or -g name that matches no process or group in this file.',
  check({ deployment }) {
    const findings: Finding[] = [];
    if (!deployment.memmonListeners.length) return findings; // nothing to check
    // A fragment's memmon may watch programs defined in other files; then only names that look like
    // ours but do not match are worth a word. In a main file every program should be here.
    let allKnown = true;
    for (const p of deployment.programs) if (!p.processNames) allKnown = false;
    for (const p of deployment.external?.programs ?? []) if (!p.processNames) allKnown = false;
    if (!allKnown) return findings;
    // Every process name and group of the deployment, collected only when a name is not found the
    // quick way (a program of that name whose processes bear it).
    let processNames: Set<string> | undefined;
    let groups: Set<string> | undefined;
    const isProcessName = (name: string): boolean => {
      const own = deployment.byName.get(name) ?? deployment.external?.byName.get(name);
      if (own?.processNames?.includes(name)) return true;
      if (!processNames) {
        processNames = new Set();
        for (const list of [deployment.programs, deployment.external?.programs ?? []]) for (const p of list) for (const n of p.processNames!) processNames.add(n);
      }
      return processNames.has(name);
    };
    const isGroup = (name: string): boolean => {
      if (!groups) {
        groups = new Set();
        for (const list of [deployment.programs, deployment.external?.programs ?? []]) for (const p of list) groups.add(p.group);
        for (const g of deployment.external?.groups ?? []) groups.add(g.name);
      }
      return groups.has(name);
    };
    // A main file, or any file of a deployment whose every file was read: every program is known.
    const closed = deployment.isMainFile || !!deployment.external?.complete;
    const where = deployment.external ? 'in any file of this deployment' : 'in this file';
    for (const listener of deployment.memmonListeners) {
      for (const limit of listener.memmon.programs) {
        if (limit.name === undefined || limit.name.includes(':') || isProcessName(limit.name)) continue;
        const program = deployment.byName.get(limit.name) ?? deployment.external?.byName.get(limit.name);
        const range = spanRange(listener.command, limit.nameStart ?? limit.start, limit.nameEnd ?? limit.end);
        if (program) {
          const names = program.processNames ?? [];
          findings.push({
            code: this.code,
            severity: 'warning',
            message: `memmon -p ${limit.name} matches no process: program '${program.name}' names its processes ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', ...' : ''} (process_name), and memmon compares process names exactly. ${
              program.group === program.name ? `Use -g ${program.name} to watch all of them.` : `Use -p with each process name.`
            }`,
            range,
            fixes:
              program.group === program.name && limit.nameStart !== undefined
                ? [
                    {
                      title: `Watch all of '${program.name}' with -g ${program.name}=${limit.size}`,
                      edits: [...replaceSpan(listener.command, limit.start, limit.end, `-g ${program.name}=${limit.size}`)],
                      isPreferred: true,
                    },
                  ]
                : [],
          });
        } else if (closed) {
          findings.push({
            code: this.code,
            severity: 'warning',
            message: `memmon -p ${limit.name} matches no process ${where}, so memmon never restarts anything for it. Check the name against [program:x] and its process_name.`,
            range,
            fixes: [],
          });
        }
      }
      for (const limit of listener.memmon.groups) {
        if (limit.name === undefined || isGroup(limit.name)) continue;
        const program = deployment.byName.get(limit.name) ?? deployment.external?.byName.get(limit.name);
        if (!program && !closed) continue; // the group may be defined in another file
        findings.push({
          code: this.code,
          severity: 'warning',
          message: program
            ? `memmon -g ${limit.name} matches no group: program '${limit.name}' is listed in [group:${program.group}], so its group is '${program.group}'.`
            : `memmon -g ${limit.name} matches no group ${where}, so memmon never restarts anything for it.`,
          range: spanRange(listener.command, limit.nameStart ?? limit.start, limit.nameEnd ?? limit.end),
          fixes: [],
        });
      }
    }
    return findings;
  },
};
