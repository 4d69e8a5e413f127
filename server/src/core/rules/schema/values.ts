/**
 * Checks one value against its key's type the way supervisor 4.2.5 converts it, after %-expansion.
 * Values that depend on the server (an %(ENV_X)s, %(here)s, a user, a directory) or on a template are
 * never judged.
 */
import type { Entry } from '../../model/document';
import type { KeySpec } from '../../catalog/keys';
import {
  EVENT_TYPES,
  LOG_LEVELS,
  SIGNALS,
  STOP_SIGNALS,
  parseAutorestart,
  parseBoolean,
  parseByteSize,
  parseEnvironment,
  parseEvents,
  parseExitCodes,
  parseFcgiSocket,
  parseImportSpec,
  parseInetAddress,
  parseInteger,
  parseLogLevel,
  parseName,
  parseOctal,
  parseSignal,
  parseUserGroup,
  pyStrip,
  type Parsed,
} from '../../catalog/datatypes';
import { effectiveEntry, isOpaqueTemplate, readValue, type SchemaContext, type SectionReading } from './context';
import { closest } from './util';
import { lookupTable } from '../../lookupTable';
import { AcceptedTexts, TextMemo } from '../../textMemo';

export interface ValueProblem {
  /** supervisor's own error text. */
  error: string;
  /** Offsets into entry.value of the part at fault (the whole value when undefined). */
  start?: number;
  end?: number;
  /** Replacement values for the whole entry that supervisor accepts. */
  suggestions: string[];
  /** supervisor accepts it but it cannot work (an empty command): a warning, not an error. */
  acceptedButBroken?: boolean;
}

/** Types none of whose accepted values holds a `/`: %(here)s, a folder path, can never be one. */
const PATH_FREE = new Set<KeySpec['type']>(['integer', 'boolean', 'byte_size', 'octal', 'signal', 'log_level', 'autorestart', 'exit_codes', 'events']);

const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off'];
const AUTORESTART_WORDS: Record<string, string> = lookupTable({ always: 'true', never: 'false', unexpected: 'unexpected', 'on-failure': 'unexpected', onfailure: 'unexpected', yes: 'true', no: 'false' });
const SIGNAL_NAMES = Object.keys(SIGNALS).filter((n) => !n.startsWith('_'));
const RPC_MODULES: Record<string, readonly string[]> = lookupTable({
  'supervisor.rpcinterface': ['make_main_rpcinterface', 'make_allfunc', 'SupervisorNamespaceRPCInterface'],
  'supervisor.dispatchers': ['default_handler'],
});
const SECONDS = /^\s*(\d+)\s*(s|secs?|seconds?)\s*$/i;
const BYTES_SHORT = /^\s*(\d+)\s*([kmg])(i?b)?\s*$/i;
const BYTES_DECIMAL = /^\s*(\d+)\.(\d+)\s*([kmg])(i?b)?\s*$/i;

function accepted(parse: (v: string) => Parsed<unknown>, candidates: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const c of candidates) if (c !== undefined && parse(c).ok && !out.includes(c)) out.push(c);
  return out;
}

function byteSuggestions(v: string): string[] {
  const m = BYTES_SHORT.exec(v);
  if (m) return [`${m[1]}${m[2].toUpperCase()}B`];
  const d = BYTES_DECIMAL.exec(v);
  if (d) {
    const units = ['k', 'm', 'g'];
    const u = units.indexOf(d[3].toLowerCase());
    const value = Number(`${d[1]}.${d[2]}`) * 1024;
    if (u > 0 && Number.isInteger(value)) return [`${value}${units[u - 1].toUpperCase()}B`];
  }
  return [];
}

/** Value types supervisor converts (and invalid-value checks); the others take any text. */
const UNCHECKED = new Set<KeySpec['type']>(['path', 'directory', 'string', 'password', 'url', 'glob_list', 'program_list', 'environment', 'logfile']);

export function isCheckedType(spec: KeySpec): boolean {
  return !UNCHECKED.has(spec.type);
}

/**
 * True when supervisor surely accepts this value, written without % and outside a template, for the
 * key: then checkValue finds nothing. Lets the rules skip the many values every program repeats.
 */
export function acceptsPlainValue(spec: KeySpec, value: string): boolean {
  if (!isCheckedType(spec)) return true;
  // process_name is checked before expansion by checkValue itself; socket looks at other keys.
  if (spec.type === 'process_name' || spec.type === 'fcgi_socket') return false;
  return checkText(undefined, undefined, spec, value) === undefined;
}

/**
 * environment= texts that read without an error, a dropped part or a comment (no finding): real files
 * repeat the same environment= in many programs. Remembered by text; the reading depends on nothing else.
 */
const cleanEnvironments = new TextMemo<true>(10_000);

export function environmentReadsCleanly(text: string): boolean {
  if (cleanEnvironments.has(text)) return true;
  const r = parseEnvironment(text);
  if (r.error || r.dropped.length || r.comments.length) return false;
  cleanEnvironments.set(text, true);
  return true;
}

/** The problem supervisor has with this value, or undefined when it accepts it (or cannot be judged here). */
export function checkValue(ctx: SchemaContext, reading: SectionReading, spec: KeySpec, entry: Entry, remember = true): ValueProblem | undefined {
  if (!isCheckedType(spec)) return undefined;
  const raw = entry.value;
  if (isOpaqueTemplate(ctx, raw)) return undefined;
  if (spec.type === 'process_name') {
    // supervisor checks the characters of the template itself, before expansion.
    const r = parseName(raw);
    return r.ok ? undefined : { error: r.message, suggestions: [] };
  }
  const { expanded, standIn } = readValue(ctx, reading, spec, entry, remember);
  if (expanded === undefined) {
    // Only %(here)s unknown: whatever folder it is, a path is no number, boolean, signal ...
    if (!standIn || !standIn.here || standIn.dump || !PATH_FREE.has(spec.type) || !checkText(ctx, reading, spec, standIn.text, false)) return undefined;
    return { error: '%(here)s is the folder of the config file, a path such as /etc/supervisor', suggestions: [] };
  }
  return checkText(ctx, reading, spec, expanded, expanded === raw);
}

/**
 * Values each key's type accepts, remembered per key spec: real files repeat `autostart=true` and
 * `startsecs=10` in every program, and whether a value is accepted depends only on the key and the
 * text (except for fcgi-program's socket, which also looks at other keys).
 */
const acceptedTexts = new AcceptedTexts<KeySpec>(10_000);

/** Checks an already expanded value; `exact` when offsets into it are offsets into the entry's value. */
export function checkText(ctx: SchemaContext | undefined, reading: SectionReading | undefined, spec: KeySpec, v: string, exact = true): ValueProblem | undefined {
  // socket looks at other keys; a command is checked faster than it is looked up (and rarely repeats).
  if (spec.type === 'fcgi_socket' || spec.type === 'command') return checkTextUncached(ctx, reading, spec, v, exact);
  if (acceptedTexts.has(spec, v)) return undefined;
  const problem = checkTextUncached(ctx, reading, spec, v, exact);
  if (problem === undefined) acceptedTexts.add(spec, v);
  return problem;
}

function checkTextUncached(ctx: SchemaContext | undefined, reading: SectionReading | undefined, spec: KeySpec, v: string, exact: boolean): ValueProblem | undefined {
  const fail = (r: Parsed<unknown>, suggestions: string[] = []): ValueProblem | undefined => (r.ok ? undefined : { error: r.message, suggestions });
  switch (spec.type) {
    case 'integer': {
      const r = parseInteger(v);
      if (!r.ok) {
        const m = SECONDS.exec(v);
        return { error: r.message, suggestions: m ? [m[1]] : [] };
      }
      if (spec.min !== undefined && r.value < spec.min) {
        return { error: spec.name === 'buffer_size' ? `[${reading?.section.name ?? 'eventlistener:x'}] section sets invalid buffer_size (${r.value})` : `Invalid ${spec.name} value ${r.value}`, suggestions: [String(spec.min)] };
      }
      if (spec.max !== undefined && r.value > spec.max) return { error: `Invalid ${spec.name} value ${r.value}`, suggestions: [String(spec.max)] };
      return undefined;
    }
    case 'boolean': {
      const guess = closest(v.toLowerCase(), BOOLEAN_WORDS, 2);
      return fail(parseBoolean(v), guess ? [guess] : []);
    }
    case 'byte_size':
      return fail(parseByteSize(v), accepted(parseByteSize, byteSuggestions(v)));
    case 'octal': {
      const r = parseOctal(v);
      if (r.ok) return undefined;
      const wrapped = spec.name === 'chmod' ? `Invalid chmod value ${v}` : spec.name === 'socket_mode' ? `Invalid socket_mode value ${v}` : r.message;
      return { error: wrapped, suggestions: [] };
    }
    case 'signal': {
      const name = pyStrip(v).toUpperCase().replace(/^SIG/, '');
      const guess = /^[+-]?\d+$/.test(name) ? undefined : closest(name, [...STOP_SIGNALS, ...SIGNAL_NAMES], 2);
      return fail(parseSignal(v), guess ? [guess] : []);
    }
    case 'log_level': {
      if (v.toLowerCase() === 'warning') return undefined; // loglevel-warning reports it
      const guess = closest(v.toLowerCase(), Object.keys(LOG_LEVELS), 2);
      return fail(parseLogLevel(v), guess ? [guess] : []);
    }
    case 'autorestart': {
      const lower = v.toLowerCase();
      const guess = AUTORESTART_WORDS[lower] ?? closest(lower, ['true', 'false', 'unexpected'], 2);
      return fail(parseAutorestart(v), guess ? [guess] : []);
    }
    case 'exit_codes': {
      const r = parseExitCodes(v);
      if (r.ok) return undefined;
      const parts = v.split(/[\s;]+/).filter(Boolean);
      const fixed = parts.join(',');
      return { error: r.message, suggestions: accepted(parseExitCodes, [parts.length > 1 ? fixed : undefined, v.replace(/,+$/, '') || undefined]) };
    }
    case 'inet_address':
      return fail(parseInetAddress(v));
    case 'user':
      // Only an empty name (name_to_uid('') fails on every machine): whether an account exists depends on the machine.
      return v === '' ? { error: 'Invalid user name', suggestions: [] } : undefined;
    case 'user_group': {
      // Only an empty name: whether the account exists depends on the machine.
      if (parseUserGroup(v).ok) return undefined;
      return { error: `Invalid ${spec.name === 'chown' ? 'sockchown' : spec.name} value ${v}`, suggestions: [] };
    }
    case 'events': {
      if (!v) return undefined; // missing-required-key reports an empty events=
      for (const item of parseEvents(v)) {
        if (item.known) continue;
        const spaced = item.name.includes(' ') && item.name.split(/\s+/).every((n) => EVENT_TYPES.includes(n));
        const guess = closest(item.name, EVENT_TYPES, 2);
        const suggestions = spaced ? [parseEvents(v).map((i) => i.name.split(/\s+/).join(',')).join(',')] : guess ? [v.slice(0, item.start) + replaceItem(v, item, guess)] : item.name === '' ? [v.split(',').map((s) => s.trim()).filter(Boolean).join(',')] : [];
        return {
          error: `Unknown event type ${item.name} in [${reading?.section.name ?? 'eventlistener:x'}] events`,
          start: exact ? item.start : undefined,
          end: exact ? item.end : undefined,
          suggestions: suggestions.filter((s) => s && parseEvents(s).every((i) => i.known)),
        };
      }
      return undefined;
    }
    case 'import_spec': {
      const r = parseImportSpec(v);
      if (!r.ok) {
        return { error: r.message, suggestions: [] };
      }
      const { module, attr } = r.value;
      if (module.startsWith('supervisor.rpcinterface.') && attr === undefined) {
        const fixed = `supervisor.rpcinterface:${module.slice('supervisor.rpcinterface.'.length)}`;
        return { error: `${v} cannot be resolved within [${reading?.section.name ?? 'rpcinterface:x'}]`, suggestions: [fixed] };
      }
      const names = RPC_MODULES[module];
      if (names && attr !== undefined && !names.includes(attr) && !attr.startsWith('_')) {
        const guess = closest(attr, names, 4);
        return { error: `${v} cannot be resolved within [${reading?.section.name ?? 'rpcinterface:x'}]`, suggestions: guess ? [`${module}:${guess}`] : [] };
      }
      return undefined;
    }
    case 'fcgi_socket': {
      if (!v) return undefined; // missing-required-key
      const ownerOrMode = !!ctx && !!reading && (!!effectiveEntry(ctx, reading, 'socket_owner') || !!effectiveEntry(ctx, reading, 'socket_mode'));
      const r = parseFcgiSocket(v, ownerOrMode);
      return r.ok ? undefined : { error: `${r.message} in [${reading?.section.name ?? 'fcgi-program:x'}] socket`, suggestions: [] };
    }
    case 'command':
      return pyStrip(v) === '' ? { error: 'the command is empty', suggestions: [], acceptedButBroken: true } : undefined;
    default:
      return undefined;
  }
}

function replaceItem(v: string, item: { start: number; end: number; name: string }, name: string): string {
  const original = v.slice(item.start, item.end);
  const lead = original.length - original.trimStart().length;
  const trail = original.length - original.trimEnd().length;
  return original.slice(0, lead) + name + original.slice(original.length - trail) + v.slice(item.end);
}

/** True when supervisor accepts the value for this key (used before offering a rename). */
export function acceptsValue(spec: KeySpec, value: string): boolean {
  if (value.indexOf('%') !== -1) return false;
  return checkText(undefined, undefined, spec, value) === undefined;
}

