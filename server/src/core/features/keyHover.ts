/**
 * Hovers over keys and values of any section, from the catalogue (catalog/keys.ts): what the key does,
 * its type, default, allowed values, the expansions it takes, an example, the version that added it,
 * and a link to supervisor's docs. Over a value: what a boolean word, signal, log level, byte size,
 * umask or autorestart value means, and what an %(expansion)s expands to in this section.
 */
import { positionToValueOffset, sectionIndexAt, type Entry, type SupervisorDocument } from '../model/document';
import { variablesSetFor, type SetVariable } from '../rules/process/environment';
import { rangeContains, type Position } from '../model/types';
import { nameOfLabel, type Deployment, type ProgramView } from '../deployment';
import { EXPANSIONS, KINDS_BY_KEY, keySpec, resolveSection, sectionSpec, type KeySpec, type ResolvedSection } from '../catalog/keys';
import {
  LOG_LEVELS,
  parseAutorestart,
  parseBoolean,
  parseByteSize,
  parseOctal,
  parseSignal,
  scanFormat,
  signalName,
} from '../catalog/datatypes';
import { expandTemplate } from '../model/percent';
import type { HoverInfo } from './hover';
import { lookupTable } from '../lookupTable';
import { logFileHover } from './logFileHover';

const TYPE_NAMES: Record<KeySpec['type'], string> = {
  integer: 'integer',
  boolean: 'boolean (true/false, yes/no, on/off, 1/0)',
  byte_size: 'byte size (a number, optionally with KB, MB or GB)',
  octal: 'octal number',
  signal: 'signal name or number',
  log_level: 'log level',
  autorestart: 'true, false or unexpected',
  exit_codes: 'exit codes separated by commas',
  environment: 'KEY="value" pairs separated by commas',
  logfile: 'file path, AUTO or NONE',
  path: 'file path',
  directory: 'directory path',
  string: 'text',
  password: 'text (clear or {SHA} hash)',
  command: 'command line',
  process_name: 'name template',
  user: 'user name or id',
  user_group: 'user or user:group',
  url: 'URL',
  inet_address: 'host:port or port',
  import_spec: 'module:callable',
  events: 'event types separated by commas',
  program_list: 'program names separated by commas',
  glob_list: 'file globs separated by spaces',
  fcgi_socket: 'tcp://host:port or unix:///path',
};

const SIGNAL_NOTES: Record<string, string> = lookupTable({
  TERM: 'the polite stop request. A Celery worker finishes its running tasks first (warm shutdown).',
  INT: 'like Ctrl-C. Celery treats it as a warm shutdown too.',
  QUIT: 'Celery stops at once and running tasks are lost (cold shutdown).',
  KILL: 'cannot be caught: the process dies at once, running tasks are lost.',
  HUP: 'Celery re-executes itself instead of stopping when not on a terminal.',
  USR1: 'Celery only prints tracebacks of its threads; it keeps running.',
  USR2: 'Celery opens its remote debugger hook; it keeps running.',
});

const LEVEL_NOTES: Record<string, string> = lookupTable({
  critical: 'only messages about failures supervisord cannot recover from',
  error: 'errors',
  warn: 'warnings and errors',
  info: 'the usual activity (process started, exited, ...)',
  debug: 'also the output of the processes, which makes the log large',
  trace: 'also the XML-RPC and event traffic',
  blather: 'everything',
});

function md(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** The Markdown that documents one key of one section kind. */
export function keyDoc(kind: string, spec: KeySpec): string {
  const section = sectionSpec(kind)!;
  const facts: string[] = [`Type: ${TYPE_NAMES[spec.type]}`];
  if (spec.required) facts.push('required');
  if (spec.default !== undefined) facts.push(`default ${md(spec.default)}`);
  const paragraphs = [`**${spec.name}** · ${section.header}`, spec.summary, facts.join(' · ')];
  if (spec.values && spec.values.length <= 12) paragraphs.push(`Values: ${spec.values.map(md).join(', ')}`);
  const names = [...spec.expansions.map((n) => `%(${n})s`), '%(ENV_X)s'];
  paragraphs.push(`Expansions: ${names.map(md).join(', ')}${spec.expandedTwice ? ' (expanded twice in 4.2.x: a literal % is written %%%%)' : ''}`);
  paragraphs.push(`Example: ${md(`${spec.name}=${spec.example}`)}`);
  const versions = [spec.since ? `Since ${spec.since}.` : '', spec.changed ? `Changed in ${spec.changed}` : ''].filter(Boolean).join(' ');
  if (versions) paragraphs.push(versions);
  if (spec.notes?.length) paragraphs.push(spec.notes.map((n) => `- ${n}`).join('\n'));
  paragraphs.push(`[supervisor docs: ${section.header} values](${section.valuesDocs})`);
  return paragraphs.join('\n\n');
}

/** The hover over a key or a value at `position`, or undefined. */
export function keyHover(doc: SupervisorDocument, deployment: Deployment, position: Position): HoverInfo | undefined {
  const index = sectionIndexAt(doc, position.line);
  if (index < 0) return undefined;
  const section = doc.sections[index];
  const entry = section.entries.find((e) => e.range.start.line <= position.line && position.line <= e.range.end.line && (rangeContains(e.keyRange, position) || rangeContains(e.valueRange, position)));
  if (!entry) return undefined;
  const resolved = resolveSection(section.name);
  if (rangeContains(entry.keyRange, position)) return { range: entry.keyRange, markdown: keyMarkdown(resolved, section.name, entry) };
  if (!resolved) return undefined;
  const spec = keySpec(resolved.spec.kind, entry.key);
  if (!spec) return undefined;
  const offset = positionToValueOffset(entry, position);
  if (offset < 0) return undefined;
  const program = resolved.label !== undefined ? deployment.byName.get(nameOfLabel(resolved.label)) : undefined;
  const logFile = program && spec.type === 'logfile' ? logFileHover(entry, program) : undefined;
  return expansionHover(entry, offset, spec, resolved, program, () => variablesSetFor(doc.sections, section, entry.key, deployment)) ?? (logFile ? { range: entry.valueRange, markdown: logFile } : valueHover(entry, spec));
}

function keyMarkdown(resolved: ResolvedSection | undefined, sectionName: string, entry: Entry): string {
  if (sectionName === 'DEFAULT') return defaultKeyMarkdown(entry);
  if (!resolved) return `**${entry.rawKey}** in [${sectionName}]: supervisor does not read this section, so it ignores this key too.`;
  const kind = resolved.spec.kind;
  const spec = keySpec(kind, entry.key);
  if (spec) return keyDoc(kind, spec);
  if (resolved.spec.openKeys) {
    return `**${entry.rawKey}** · ${resolved.spec.header}\n\nNot a supervisor setting: supervisor passes it to the factory of [${sectionName}] as the keyword argument ${md(entry.key)} (keys are lower-cased).`;
  }
  const elsewhere = KINDS_BY_KEY.get(entry.key);
  if (elsewhere) {
    return `**${entry.rawKey}** is a key of ${elsewhere.map((k) => sectionSpec(k)!.header).join(', ')}; supervisor ignores it in [${sectionName}].`;
  }
  return `**${entry.rawKey}**: supervisor does not know this key in ${resolved.spec.header} and ignores it silently. [Keys of ${resolved.spec.header}](${resolved.spec.valuesDocs})`;
}

/** A [DEFAULT] key: not ignored, but lent by configparser to every section that does not set it. */
function defaultKeyMarkdown(entry: Entry): string {
  const lent = `**${entry.rawKey}** in [DEFAULT]: configparser lends it to every section that does not set ${md(entry.key)} itself, and supervisor reads it there as if written there`;
  const kinds = KINDS_BY_KEY.get(entry.key);
  if (!kinds) return `${lent}. No section of supervisor has this key, so only the factories of [rpcinterface:x] sections notice it, as an argument they are given.`;
  return `${lent}: in ${kinds.map((k) => sectionSpec(k)!.header).join(', ')}.\n\n---\n\n${keyDoc(kinds[0], keySpec(kinds[0], entry.key)!)}`;
}

function expansionHover(
  entry: Entry,
  offset: number,
  spec: KeySpec,
  resolved: ResolvedSection,
  program: ProgramView | undefined,
  environment: () => Map<string, SetVariable>,
): HoverInfo | undefined {
  if (entry.value.indexOf('%(') === -1) return undefined;
  // The expansion the cursor is in, else one that ends at the cursor (on `%(a)s|%(b)s` the cursor is in b).
  const keyed = scanFormat(entry.value).filter((x) => x.kind === 'keyed');
  const d = keyed.find((x) => offset >= x.start && offset < x.end) ?? keyed.find((x) => offset === x.end);
  if (!d || d.name === undefined) return undefined;
  const name = d.name;
  const text = entry.value.slice(d.start, d.end);
  const doc = EXPANSIONS.find((e) => e.name === name || (e.name === 'ENV_X' && name.startsWith('ENV_')));
  const lines = [`**${md(text)}**`];
  if (doc) lines.push(name.startsWith('ENV_') ? `Environment variable ${md(name.slice(4))} of supervisord, read on the server. ${doc.summary}` : doc.summary);
  else lines.push('supervisor does not know this name.');
  if (!name.startsWith('ENV_') && doc && !spec.expansions.includes(name as never)) lines.push(`Not available in ${spec.name}: supervisor offers ${[...spec.expansions, 'ENV_X'].map((n) => md(`%(${n})s`)).join(', ')} there.`);
  const known: Record<string, string | number> = {};
  if (resolved.label !== undefined) known.program_name = nameOfLabel(resolved.label);
  if (program) {
    known.group_name = program.group;
    known.numprocs = program.numprocs;
  }
  if (name === 'process_num' && program) {
    const start = Number(program.get('numprocs_start')?.value ?? 0) || 0;
    const values = [];
    for (let n = start; n < start + Math.min(program.numprocs, 5); n++) {
      const names = { ...known, process_num: n };
      values.push(expandTemplate(entry.value, names) ?? expandTemplate(text, names) ?? String(n));
    }
    lines.push(`Here: ${values.map(md).join(', ')}${program.numprocs > 5 ? ', ...' : ''}`);
  } else if (known[name] !== undefined) {
    const v = expandTemplate(text, known);
    if (v !== undefined) lines.push(`Here: ${md(v)}`);
  } else if (name.startsWith('ENV_')) {
    const set = environment().get(name.slice(4));
    if (set) lines.push(`Here: ${md(set.value)} (set by ${set.from}, over supervisord's own environment)`);
  }
  const first = valuePos(entry, d.start);
  const last = valuePos(entry, d.end);
  return { range: { start: first, end: last }, markdown: lines.join('\n\n') };
}

function valuePos(entry: Entry, offset: number): Position {
  let acc = 0;
  for (const part of entry.parts) {
    const end = acc + part.text.length;
    if (offset <= end) return { line: part.line, character: part.startChar + offset - acc };
    acc = end + 1;
  }
  return entry.valueRange.end;
}

function valueHover(entry: Entry, spec: KeySpec): HoverInfo | undefined {
  const v = entry.value;
  let text: string | undefined;
  switch (spec.type) {
    case 'boolean': {
      const b = parseBoolean(v);
      const readsAs = 'supervisor reads true/yes/on/1 and false/no/off/0 in any case';
      // `true` means true: only another spelling (`Yes`, `0`) needs its meaning said.
      if (b.ok) text = v.trim() === String(b.value) ? `A yes/no value: ${readsAs}.` : `${md(v)} means **${b.value}** for supervisor (${readsAs}).`;
      break;
    }
    case 'autorestart': {
      const a = parseAutorestart(v);
      if (a.ok) text = a.value === 'true' ? 'Restart the process whenever it exits.' : a.value === 'false' ? 'Never restart the process.' : 'Restart the process only when its exit code is not in exitcodes.';
      break;
    }
    case 'signal': {
      const s = parseSignal(v);
      if (s.ok) {
        const name = signalName(s.value);
        text = `Signal ${name ? `SIG${name} ` : ''}(${s.value})${name && SIGNAL_NOTES[name] ? `: ${SIGNAL_NOTES[name]}` : '.'}`;
      }
      break;
    }
    case 'log_level': {
      const l = v.toLowerCase();
      if (l in LOG_LEVELS) text = `Log level ${md(l)} (${LOG_LEVELS[l]}): records ${LEVEL_NOTES[l]}.`;
      break;
    }
    case 'byte_size': {
      const b = parseByteSize(v);
      if (b.ok) text = b.value === 0 ? `0: ${spec.name.includes('capture') ? 'capture mode off' : 'no rotation'}.` : `${md(v)} = ${b.value.toLocaleString('en-US')} bytes (${(b.value / 1048576).toFixed(b.value % 1048576 ? 2 : 0)} MiB).`;
      break;
    }
    case 'octal': {
      const o = parseOctal(v);
      if (o.ok) {
        const bits = (n: number) => `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
        const perms = spec.name === 'umask' ? 0o777 & ~o.value : o.value & 0o777;
        text = `Octal ${md(v)} = ${o.value} decimal. ${spec.name === 'umask' ? 'New directories get' : 'Permissions:'} ${bits(perms >> 6)}${bits(perms >> 3)}${bits(perms)}.`;
      }
      break;
    }
    case 'logfile': {
      const l = v.toLowerCase();
      if (l === 'auto') text = 'AUTO: a file in childlogdir with a generated name, deleted when supervisord restarts.';
      else if (l === 'none' || l === 'off') text = 'No log file: the output is discarded.';
      else if (l === 'syslog') text = 'Deprecated: use the *_syslog=true key instead.';
      break;
    }
    default:
      break;
  }
  return text ? { range: entry.valueRange, markdown: `**${spec.name}=${v}**\n\n${text}` } : undefined;
}
