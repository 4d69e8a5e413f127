import type { Finding, Fix, Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';
import { parseSeconds } from '../../command/memmon';

/** What the getopt error names, when it is a known slip: the docs' --groupname= (memmon.py registers --group=). */
const LONG_OPTION_SLIPS: Readonly<Record<string, string>> = { '--groupname': '--group' };

const EXITS = 'memmon prints its usage and exits at start, supervisor keeps restarting it until it gives up, and no process is watched.';

/**
 * memmon reads its options with getopt and exits on anything it cannot read. Sizes and NAME=SIZE pairs are
 * memmon-invalid-size's; this rule reports the rest: no option at all, a getopt error, -h, an -u time.
 */
export const memmonInvalidOption: Rule = {
  code: 'memmon-invalid-option',
  defaultSeverity: 'warning',
  summary: 'A memmon command line memmon refuses (no option, an unknown option, a missing value, -h, an -u time it cannot read): memmon exits at start.',
  check({ deployment }) {
    const findings: Finding[] = [];
    for (const listener of deployment.memmonListeners) {
      const m = listener.memmon;
      const report = (start: number, end: number, message: string, fixes: Fix[] = []) =>
        findings.push({ code: this.code, severity: 'warning', message, range: spanRange(listener.command, start, end), fixes });
      if (m.noArguments) {
        report(m.executableStart, m.executableEnd, `memmon without options has nothing to watch: ${EXITS} Add what to watch, for example -c -p worker=512MB.`);
        continue;
      }
      if (m.optionError) {
        const { message, start, end } = m.optionError;
        const spelling = listener.command.value.slice(start, end);
        const slip = LONG_OPTION_SLIPS[spelling];
        const fixes: Fix[] = slip ? [{ title: `Write ${slip}`, edits: [...replaceSpan(listener.command, start, end, slip)], isPreferred: true }] : [];
        report(start, end, `memmon stops with "${message}": ${EXITS}${slip ? ` memmon's docs say ${spelling}=, but memmon.py only knows ${slip}=.` : ''}`, fixes);
      }
      for (const o of m.others) {
        if (o.option === '-h') report(o.start, o.end, `${o.spelling} makes memmon print its usage and exit, so supervisor keeps restarting it and no process is watched. Remove it.`);
        if (o.option === '-u' && o.value !== undefined && parseSeconds(o.value) === undefined) {
          report(o.valueStart ?? o.start, o.valueEnd ?? o.end, `memmon cannot read the time '${o.value}' for ${o.spelling} ("Unparseable value for time"): it takes whole seconds, or a whole number with s, m, h or d (2d). ${EXITS}`);
        }
      }
    }
    return findings;
  },
};
