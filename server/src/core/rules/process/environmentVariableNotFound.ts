import type { Finding, Rule } from '../rule';
import { valueSpanToRange, type Entry, type Section } from '../../model/document';
import { scanFormat } from '../../catalog/datatypes';
import { entryIndex } from '../schema/entryIndex';
import { isEffective, isOpaqueTemplate, isReadPerProcess, schemaContext } from '../schema/context';
import { environmentNames, seesOwnEnvironment, seesSupervisordEnvironment, sharedEnvironmentNames } from './environment';

/**
 * supervisor puts the variables of supervisord's own environment into %(ENV_X)s when it reads the
 * file; since 4.2.2 also those [supervisord] environment= sets and, in a program's command, directory
 * and log files, those its own environment= sets. A name none of them has makes it refuse the file.
 * Only where the environment of the supervisord running here can be read (machine.ts): as root, or as
 * supervisord's own user.
 */
export const environmentVariableNotFound: Rule = {
  code: 'environment-variable-not-found',
  defaultSeverity: 'error',
  summary:
    'An %(ENV_X)s naming a variable that neither the supervisord running here nor environment= has (checked only where supervisord runs, see supervisor.machineChecks): supervisor refuses the file.',
  judges: (rc) => !!rc.machine?.supervisordEnvironment?.(),
  check(rc) {
    const daemon = rc.machine?.supervisordEnvironment?.();
    if (!daemon) return [];
    const ctx = schemaContext(rc);
    const shared = sharedEnvironmentNames(rc.deployment);
    const findings: Finding[] = [];
    const { readings, entries, specs } = entryIndex(ctx).percent;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const reading = readings[i];
      if (entry.value.indexOf('%(ENV_') < 0 || !isEffective(ctx, reading, entry) || isOpaqueTemplate(ctx, entry.value)) continue;
      // supervisorctl reads its section with the environment of whoever runs it; numprocs=0 reads no per-process key.
      if (reading.resolved?.spec.readBy !== 'supervisord' || !isReadPerProcess(reading, specs[i])) continue;
      const section = reading.section;
      const own = seesOwnEnvironment(section.kind, entry.key) ? ownEnvironment(reading.program?.sectionIndexes, rc.doc.sections, section) : undefined;
      const seesShared = seesSupervisordEnvironment(section.kind);
      for (const use of environmentUses(entry.value)) {
        if (daemon.has(use.name) || (seesShared && shared.has(use.name)) || own?.has(use.name)) continue;
        findings.push(notFound(this.code, entry, use, section.name, seesShared, shared.has(use.name)));
      }
    }
    return findings;
  },
};

/** What a program's own environment= sets, across the headers of the same name. */
function ownEnvironment(indexes: readonly number[] | undefined, sections: readonly Section[], section: Section): ReadonlySet<string> {
  return environmentNames(indexes ? indexes.map((k) => sections[k]) : [section]);
}

interface EnvironmentUse {
  name: string;
  start: number;
  end: number;
}

/** The %(ENV_X)… expansions of a value, read as Python's %-formatting reads them (`%%` is a literal %). */
function environmentUses(value: string): EnvironmentUse[] {
  const uses: EnvironmentUse[] = [];
  for (const d of scanFormat(value)) if (d.kind !== 'escape' && d.name?.startsWith('ENV_')) uses.push({ name: d.name.slice(4), start: d.start, end: d.end });
  return uses;
}

function notFound(code: string, entry: Entry, use: EnvironmentUse, section: string, seesShared: boolean, sharedSetsIt: boolean): Finding {
  const written = entry.value.slice(use.start, use.end);
  const refused = `supervisor refuses the file ("Format string ... for '${section}.${entry.key}' contains names ('ENV_${use.name}') which cannot be expanded"), so supervisorctl reread fails`;
  const message = seesShared
    ? `The supervisord running here has no environment variable ${use.name}, and no environment= of this deployment sets it: ${refused}. Set ${use.name} in [supervisord] environment= (supervisor 4.2.2 and later) or in what starts supervisord, or write the value out instead of ${written}.`
    : `The supervisord running here has no environment variable ${use.name}${
        sharedSetsIt ? `; [supervisord] environment= sets it, but supervisor reads [${section}] before that environment=` : ''
      }: ${refused}. Set ${use.name} in what starts supervisord, or write the value out instead of ${written}.`;
  return {
    code,
    severity: 'error',
    message,
    range: valueSpanToRange(entry, use.start, use.end),
    fixes: [],
  };
}
