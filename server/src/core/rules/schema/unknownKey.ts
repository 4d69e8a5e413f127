import type { Finding, Fix } from '../rule';
import { KINDS_BY_KEY, keyNames, keySpec } from '../../catalog/keys';
import { effectiveEntry, ownEffectiveEntry, type SchemaContext, type SectionReading } from './context';
import { hasTemplateSyntax } from './template';
import { renameKeepsFileValid } from './renameSafety';
import { closest, header, schemaRule } from './util';
import { entryIndex } from './entryIndex';
import { lookupTable } from '../../lookupTable';
import type { Entry } from '../../model/document';
import { keysElsewhere, setElsewhere } from '../../deployment';

/** Common stand-ins people write for real keys (the key on the right must exist in the kind). */
export const KEY_ALIASES: Readonly<Record<string, string>> = lookupTable({
  chdir: 'directory',
  cwd: 'directory',
  workdir: 'directory',
  working_directory: 'directory',
  dir: 'directory',
  cmd: 'command',
  env: 'environment',
  environ: 'environment',
  log: 'stdout_logfile',
  logfile: 'stdout_logfile',
  log_file: 'stdout_logfile',
  stdout: 'stdout_logfile',
  stdout_log: 'stdout_logfile',
  stderr: 'stderr_logfile',
  stderr_log: 'stderr_logfile',
  error_logfile: 'stderr_logfile',
  stdout_logfile: 'logfile',
  stderr_logfile: 'logfile',
  stdout_logfile_maxbytes: 'logfile_maxbytes',
  stderr_logfile_maxbytes: 'logfile_maxbytes',
  stdout_logfile_backups: 'logfile_backups',
  stderr_logfile_backups: 'logfile_backups',
  log_level: 'loglevel',
  stopsig: 'stopsignal',
  auto_start: 'autostart',
  auto_restart: 'autorestart',
  num_procs: 'numprocs',
});

/** What to suggest instead of `key` in this section kind, if anything. */
export function suggestKey(kind: string, key: string, candidates: readonly string[]): string | undefined {
  const alias = KEY_ALIASES[key];
  if (alias && keySpec(kind, alias)) return alias;
  return closest(key, candidates);
}

/** A fix renaming the key, when the new key is free in the section and supervisor accepts the value for it. */
export function renameFix(ctx: SchemaContext, reading: SectionReading, entry: { keyRange: Finding['range']; value: string }, kind: string, to: string): Fix | undefined {
  const spec = keySpec(kind, to);
  if (!spec || ownEffectiveEntry(ctx, reading, to) || !renameKeepsFileValid(spec, entry.value)) return undefined;
  // The nearest key is a guess: offered, never applied unseen.
  return { title: `Rename to ${to}`, edits: [{ range: entry.keyRange, newText: to }], isPreferred: true, safeForFixAll: false };
}

/** An upper-case key such as PYTHONPATH: almost always an environment variable written as a key. */
const ENVIRONMENT_VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/**
 * `PYTHONPATH=/srv/app` -> `environment=PYTHONPATH="/srv/app"`, where the section has no environment=
 * yet (not from [DEFAULT] or another file either) and the value is one plain line (a guess: offered, never applied unseen).
 */
function environmentFix(ctx: SchemaContext, reading: SectionReading, entry: Entry): Fix | undefined {
  const value = entry.value;
  // An environment= the section takes from [DEFAULT] or another file would be replaced or win: no fix.
  const elsewhere = keysElsewhere(ctx.deployment.external, reading.section.name);
  if (effectiveEntry(ctx, reading, 'environment') || ctx.deployment.defaults.entries.has('environment') || setElsewhere(elsewhere, 'environment')) return undefined;
  if (!value || /[\n%\\]/.test(value)) return undefined;
  const quoted = /^(["'])[^"']*\1$/.test(value) ? value : value.includes('"') ? undefined : `"${value}"`;
  if (quoted === undefined) return undefined;
  return {
    title: `Move into environment=${entry.rawKey}=${quoted}`,
    edits: [{ range: { start: entry.keyRange.start, end: entry.valueRange.end }, newText: `environment=${entry.rawKey}=${quoted}` }],
    safeForFixAll: false,
  };
}

const GROUP_KEY =
  "supervisor has no group= key: a process runs with the primary group of its user= account. To control several programs together, list them in a [group:name] section's programs=.";

/**
 * A key supervisor does not know in this section kind and no other kind uses either (SUP016): a typo
 * such as startsects, or a setting from another tool. supervisor ignores it silently.
 */
export const unknownKey = schemaRule(
  'unknown-key',
  'warning',
  'A key supervisor does not know (a typo or another tool\'s setting): it is ignored silently.',
  (ctx) => {
    const findings: Finding[] = [];
    const { readings, entries } = entryIndex(ctx).unknown;
    for (let i = 0; i < entries.length; i++) {
      const reading = readings[i];
      const resolved = reading.resolved!;
      const kind = resolved.spec.kind;
      const entry = entries[i];
      if (ctx.template && hasTemplateSyntax(entry.rawKey)) continue;
      if (resolved.spec.openKeys) {
        const factory = effectiveEntry(ctx, reading, 'supervisor.rpcinterface_factory');
        if (kind === 'rpcinterface' && factory?.value.trim() === 'supervisor.rpcinterface:make_main_rpcinterface') {
          findings.push({
            code: 'unknown-key',
            severity: 'warning',
            message: `make_main_rpcinterface takes no settings, but supervisor passes ${entry.rawKey} to it: supervisord then logs "Could not make ${resolved.label} rpc interface" and runs without it, so supervisorctl and memmon cannot talk to it. Remove ${entry.rawKey}.`,
            range: entry.keyRange,
            fixes: [],
          });
        }
        continue;
      }
      if (KINDS_BY_KEY.has(entry.key)) continue; // a key of another kind: misplaced-key
      const guess = suggestKey(kind, entry.key, keyNames(kind));
      const variable = !guess && ENVIRONMENT_VARIABLE.test(entry.rawKey) && keySpec(kind, 'environment') !== undefined;
      const fix = guess ? renameFix(ctx, reading, entry, kind, guess) : variable ? environmentFix(ctx, reading, entry) : undefined;
      const special = entry.key === 'group' && kind !== 'supervisord' ? GROUP_KEY : undefined;
      findings.push({
        code: 'unknown-key',
        severity: 'warning',
        message:
          special ??
          `supervisor does not know ${entry.rawKey} in ${header(reading)} and ignores it silently.${guess ? ` Did you mean ${guess}?` : ''}${
            variable ? ` If it is meant as an environment variable, supervisor sets those only through environment=, as in environment=${entry.rawKey}="...".` : ''
          }`,
        range: entry.keyRange,
        fixes: fix ? [fix] : [],
        tag: 'unnecessary',
      });
    }
    return findings;
  },
);
