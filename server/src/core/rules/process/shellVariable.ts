import type { Finding, Fix, Rule } from '../rule';
import { entriesHolding, type Entry } from '../../model/document';
import { replaceSpan, spanRange } from '../../commandEdits';
import { splitArgv } from '../../command/argv';
import { runsShellScript } from '../../command/invocation';
import { detectTemplate } from '../schema/template';
import { seesSupervisordEnvironment, sharedEnvironmentNames } from './environment';
import { parseEnvironment } from '../../catalog/datatypes';

/** The keys supervisor expands %(ENV_X)s in and hands on as they are, by section kind (supervisor-schema.json, expansions.per_key). */
const KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['program', new Set(['command', 'environment', 'directory', 'stdout_logfile', 'stderr_logfile'])],
  ['fcgi-program', new Set(['command', 'environment', 'directory', 'stdout_logfile', 'stderr_logfile'])],
  ['eventlistener', new Set(['command', 'environment', 'directory', 'stdout_logfile', 'stderr_logfile'])],
  ['supervisord', new Set(['environment', 'directory', 'logfile', 'pidfile', 'childlogdir'])],
]);

/**
 * Where a shell would put a variable: `${name}`, or `$NAME` in capitals and ending there. A `$` before
 * other text (a password such as `s3$cret`, a pattern such as `^a$`) is left alone.
 */
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_]))/g;

/** A variable supervisord has wherever it runs: the fix that names it is safe to apply without looking. */
const ALWAYS_SET = new Set(['PATH']);

/**
 * supervisor starts programs without a shell and reads its values without one: `$HOME` in command=,
 * environment= or a path stays the text `$HOME`. supervisor's own way is `%(ENV_HOME)s`, replaced by
 * the variable of supervisord's environment when it reads the file.
 */
export const shellVariableNotExpanded: Rule = {
  code: 'shell-variable-not-expanded',
  defaultSeverity: 'warning',
  summary: 'A $VAR in command=, environment= or a path: supervisor uses no shell, so it stays the text $VAR (write %(ENV_VAR)s).',
  check({ doc, machine, deployment }) {
    const findings: Finding[] = [];
    if (detectTemplate(doc)) return findings; // `${VAR}` is the template's own syntax there (envsubst)
    const holding = entriesHolding(doc, '$');
    if (holding.length === 0) return findings; // most files: no need to ask for supervisord's environment
    const names: KnownNames = { running: machine?.supervisordEnvironment?.(), shared: sharedEnvironmentNames(deployment) };
    for (const entry of holding) {
      const kind = doc.sections[entry.sectionIndex].kind;
      if (!KEYS.get(kind)?.has(entry.key) || entry.value.indexOf('$') < 0) continue;
      const argv = entry.key === 'command' ? splitArgv(entry.value).tokens : undefined;
      if (argv && runsShellScript(argv)) continue; // the shell expands the script's variables
      VARIABLE.lastIndex = 0;
      for (let m = VARIABLE.exec(entry.value); m; m = VARIABLE.exec(entry.value)) {
        const name = m[1] ?? m[2];
        const executable = argv !== undefined && argv.length > 0 && m.index < argv[0].end;
        findings.push(unexpanded(this.code, kind, entry, m.index, m[0], name, executable, availability(names, name, kind)));
      }
    }
    return findings;
  },
};

/** The variables %(ENV_X)s can name: those of the supervisord running here (when readable) and of the deployment's [supervisord] environment=. */
interface KnownNames {
  running: ReadonlySet<string> | undefined;
  shared: ReadonlySet<string>;
}

/** `set`: %(ENV_X)s will be found; `unset`: the supervisord running here lacks it; `unknown`: no one can tell here. */
type Availability = 'set' | 'unset' | 'unknown';

function availability(names: KnownNames, name: string, kind: string): Availability {
  if (ALWAYS_SET.has(name) || (seesSupervisordEnvironment(kind) && names.shared.has(name)) || names.running?.has(name)) return 'set';
  return names.running ? 'unset' : 'unknown';
}

function unexpanded(code: string, kind: string, entry: Entry, start: number, written: string, name: string, executable: boolean, known: Availability): Finding {
  const expansion = `%(ENV_${name})s`;
  const where = kind === 'supervisord' ? `[supervisord] ${entry.key}=` : `${entry.key}=`;
  const effect =
    entry.key === 'command'
      ? executable
        ? `supervisor starts the command without a shell, so nothing replaces ${written}: it looks for an executable whose path holds the text "${written}", finds none, and the program does not start`
        : `supervisor starts the command without a shell, so nothing replaces ${written}: the program gets the text "${written}" as written`
      : entry.key === 'environment'
      ? `supervisor does not replace ${written} in ${where}: the variable gets the text "${written}" as written, not the ${name} of supervisord's environment${name === 'PATH' ? ', so the program finds none of the commands of the PATH it was meant to keep' : ''}`
      : `supervisor does not replace ${written} in ${where}: the path holds the text "${written}" as written`;
  // [supervisord]'s own keys are read before its environment=: only what starts supervisord sets names there.
  const setIn = kind === 'supervisord' ? 'what starts supervisord' : '[supervisord] environment=';
  const advice =
    known === 'unset'
      ? `The supervisord running here has no ${name} either, so ${expansion} would make supervisor refuse the file: write the value out, or set ${name} in ${setIn} and use ${expansion}.`
      : `Write ${expansion}: supervisor replaces it with the ${name} of supervisord's own environment when it reads the file${
          known === 'set' ? '' : ` (supervisor refuses the file when that environment has no ${name}: set it in ${kind === 'supervisord' ? setIn : `${setIn} or in what starts supervisord`})`
        }.`;
  const fix: Fix = {
    title: `Write ${expansion} (the ${name} of supervisord's environment)`,
    edits: [...replaceSpan(entry, start, start + written.length, expansion)],
    isPreferred: true,
    safeForFixAll: known === 'set',
  };
  const fixable = known !== 'unset' && !(entry.key === 'environment' && setByAnotherEntry(entry.value, name, start));
  return {
    code,
    severity: 'warning',
    message: `${effect}. ${advice} If a tool such as envsubst renders this file before supervisor reads it, this is expected.`,
    range: spanRange(entry, start, start + written.length),
    fixes: fixable ? [fix] : [],
  };
}

/**
 * Does another KEY=value of an environment= value set `name` (`HOME="/srv",PATH="$HOME/bin"`)? Its
 * entries cannot refer to each other: %(ENV_HOME)s there is supervisord's HOME, not /srv. The entry
 * that holds the variable may name itself (`PATH="/venv/bin:$PATH"`). Read with supervisor's own
 * reading of environment=, so a `B=` inside a quoted value (`A="x,B=1"`) is not an entry.
 */
function setByAnotherEntry(value: string, name: string, at: number): boolean {
  return parseEnvironment(value).pairs.some((pair) => pair.key === name && !(pair.valueToken.start <= at && at < pair.valueToken.end));
}
