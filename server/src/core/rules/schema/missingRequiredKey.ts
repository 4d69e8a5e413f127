import { keysElsewhere, mergedEntry, nameOfLabel } from '../../deployment';
import type { Finding, Fix } from '../rule';
import type { KeySpec, SectionSpec } from '../../catalog/keys';
import { insertKeyLinesAfter, lastContentLine } from '../../edits';
import { parseInteger } from '../../catalog/datatypes';
import { effectiveEntry, type SchemaContext, type SectionReading } from './context';
import { hasTemplateSyntax } from './template';
import { keysReadIn } from './fcgiGroups';
import { header, schemaRule } from './util';

/** Lines a fix may add: only where one value is right for nearly everyone. */
function defaultLine(reading: SectionReading, key: string): string | undefined {
  const kind = reading.resolved!.spec.kind;
  if (kind === 'rpcinterface' && reading.resolved!.label === 'supervisor') return 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface';
  if (kind === 'unix_http_server' && key === 'file') return 'file=/var/run/supervisor.sock';
  if (kind === 'inet_http_server' && key === 'port') return 'port=127.0.0.1:9001';
  if (kind === 'include' && key === 'files') return 'files = conf.d/*.conf';
  if (kind === 'fcgi-program' && key === 'socket') return 'socket=unix:///var/run/%(program_name)s.sock';
  return undefined;
}

const required = new WeakMap<SectionSpec, KeySpec[]>();

/** The keys a section kind requires (and a group's programs), in catalogue order: once per kind, not per section. */
function requiredKeys(section: SectionSpec): KeySpec[] {
  let keys = required.get(section);
  if (!keys) required.set(section, (keys = requiredKeysUncached(section)));
  return keys;
}

/** Apart from requiredKeys: its filter closure would cost every call a context, found or not. */
function requiredKeysUncached(section: SectionSpec): KeySpec[] {
  return section.keys.filter((spec) => spec.required || (section.kind === 'group' && spec.name === 'programs'));
}

/** The names of the sections one of whose headers holds a key with template syntax (one pass, asked only in templated files). */
function namesWithTemplatedKeys(ctx: SchemaContext): Set<string> {
  const names = new Set<string>();
  for (const r of ctx.sections) if (r.section.entries.some((e) => hasTemplateSyntax(e.rawKey))) names.add(r.section.name);
  return names;
}

/**
 * A key supervisor insists on: command in [program:x]/[fcgi-program:x]/[eventlistener:x], socket in
 * fcgi-program, events in eventlistener, files in [include], file/port in the server sections, the
 * factory in [rpcinterface:x]. A [group:x] without programs is accepted (an empty group): a warning.
 */
export const missingRequiredKey = schemaRule(
  'missing-required-key',
  'error',
  'A section without a key supervisor requires (command, socket, events, files, file, port, the rpcinterface factory): it refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    const memmon = new Set(ctx.deployment.memmonListeners.map((l) => l.name));
    const templatedKeys = ctx.template ? namesWithTemplatedKeys(ctx) : undefined;
    // Indexed loops: for...of allocates iterators and results wherever the engine has not optimized it away.
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      const resolved = reading.resolved;
      if (!resolved || reading.templated || reading.section.duplicateOf !== undefined) continue;
      if (templatedKeys?.has(reading.section.name)) continue;
      const kind = resolved.spec.kind;
      // A grouped fcgi-program is read as a plain program: no socket= needed (see fcgiGroups.ts).
      const keys = requiredKeys(kind === 'fcgi-program' ? keysReadIn(ctx, reading) : resolved.spec);
      for (let k = 0; k < keys.length; k++) {
        const spec = keys[k];
        const key = spec.name;
        // The same section in another file of the deployment may set it (supervisor merges them).
        const entry = mergedEntry(keysElsewhere(ctx.deployment.external, reading.section.name), key, effectiveEntry(ctx, reading, key));
        const emptyMatters = (kind === 'eventlistener' && key === 'events') || (kind === 'fcgi-program' && key === 'socket') || (kind === 'group' && key === 'programs');
        if ((entry !== undefined || ctx.deployment.defaults.entries.has(key)) && !(emptyMatters && entry && entry.value.trim() === '')) continue;
        if (kind === 'eventlistener' && key === 'events' && resolved.label !== undefined && memmon.has(nameOfLabel(resolved.label))) continue; // memmon-tick-missing
        if (key === 'command' && reading.program) {
          const n = reading.program.get('numprocs');
          const parsed = n ? parseInteger(n.value) : undefined;
          if (parsed?.ok && parsed.value <= 0) continue; // supervisor reads command once per process
        }
        const h = header(reading);
        let severity: Finding['severity'] = resolved.spec.readBy === 'supervisord' ? 'error' : 'warning';
        let message: string;
        if (kind === 'group') {
          severity = 'warning';
          message = `${h} lists no programs. supervisor accepts it and creates an empty group, which is rarely what was meant. Add programs=name1,name2 or remove the section.`;
        } else if (entry) {
          message = `${h} has an empty ${key}=: supervisor refuses the file ("${kind === 'eventlistener' ? `[${reading.section.name}] section requires an "events" line` : `[${reading.section.name}] section requires a "socket" line`}"). Give it a value, e.g. ${key}=${spec.example}.`;
        } else {
          const why =
            key === 'command'
              ? `program section ${reading.section.name} does not specify a command`
              : key === 'events'
                ? `[${reading.section.name}] section requires an "events" line`
                : key === 'socket'
                  ? `[${reading.section.name}] section requires a "socket" line`
                  : key === 'files'
                    ? '.ini file has [include] section, but no files setting'
                    : kind === 'rpcinterface' || kind === 'ctlplugin'
                      ? `section [${reading.section.name}] does not specify a ${key}`
                      : `section [${reading.section.name}] has no ${key} value`;
          message = `${h} needs ${key}=: ${severity === 'error' ? 'supervisor' : 'supervisorctl'} refuses the file without it ("${why}"). Add it, e.g. ${key}=${spec.example}.`;
        }
        const line = defaultLine(reading, key);
        const fixes: Fix[] = line && !entry ? [{ title: `Add ${line.replace(/\s*=\s*/, '=')}`, edits: [insertKeyLinesAfter(ctx.doc, lastContentLine(ctx.doc, reading.index), [line])], isPreferred: true, safeForFixAll: false }] : []; // an example value
        findings.push({ code: 'missing-required-key', severity, message, range: reading.section.headerRange, fixes });
      }
    }
    return findings;
  },
);
