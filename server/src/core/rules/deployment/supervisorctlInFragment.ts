import type { Finding, Rule } from '../rule';

/**
 * supervisorctl reads one file, the one `-c` names (the main file), and follows no [include]
 * (ClientOptions.read_config in supervisor 4.2.5): a [supervisorctl] or [ctlplugin:x] in an included
 * file is never read by it. Judged only when the file is analysed as part of its deployment.
 */
export const supervisorctlInFragment: Rule = {
  code: 'supervisorctl-in-fragment',
  defaultSeverity: 'warning',
  summary: 'A [supervisorctl] or [ctlplugin:x] section in an included file: supervisorctl reads only the main file, so it ignores it.',
  judges: (ctx) => !!ctx.deployment.external?.mainFile,
  check({ doc, deployment }) {
    const main = deployment.external?.mainFile;
    if (main === undefined) return [];
    const findings: Finding[] = [];
    for (const s of doc.sections) {
      if ((s.name !== 'supervisorctl' && s.kind !== 'ctlplugin') || s.duplicateOf !== undefined) continue;
      const mainHasIt = s.name === 'supervisorctl' && deployment.external!.files.some((f) => f.path === main && f.doc.sections.some((x) => x.name === 'supervisorctl'));
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `supervisorctl reads only the main file (${main}) and follows none of its [include] patterns, so it never reads [${s.name}] here${
          s.name !== 'supervisorctl' ? '' : mainHasIt ? ": it uses the main file's [supervisorctl]" : ': with no [supervisorctl] in the main file, every supervisorctl command stops with "Error: .ini file does not include supervisorctl section"'
        }. Move [${s.name}] into ${main}.`,
        range: s.headerRange,
        fixes: [],
      });
    }
    return findings;
  },
};
