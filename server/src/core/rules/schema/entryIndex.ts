/**
 * One pass over every entry of the sections supervisor reads (not templated), shared by the schema
 * rules that look at entries: which key spec each has, and the few entries each rule cares about.
 * Lists keep document order, so every rule reports in the order it did when it walked the sections.
 */
import type { Entry } from '../../model/document';
import { keySpecsOf, type KeySpec } from '../../catalog/keys';
import type { SchemaContext, SectionReading } from './context';
import { keysReadIn } from './fcgiGroups';
import { acceptsPlainValue, environmentReadsCleanly, isCheckedType } from './values';

/** How supervisor treats a key of an open section ([rpcinterface:x]) that the catalogue does not list. */
export const OPEN_KEY: KeySpec = { name: '*', type: 'string', summary: '', expansions: [], example: '' };

const ENVIRONMENT_KINDS: ReadonlySet<string> = new Set(['supervisord', 'program', 'fcgi-program', 'eventlistener']);

export interface EntryList {
  readings: SectionReading[];
  entries: Entry[];
  specs: KeySpec[];
}

export interface EntryIndex {
  /**
   * Keys of the section's kind whose type supervisor converts, less the plain values (no %, no
   * template) that it surely accepts: the only entries invalid-value can report.
   */
  typed: EntryList;
  /** Keys the section's kind does not list (readings and entries only). */
  unknown: EntryList;
  /** Values with a % (keys of the kind, or any key of an open section). */
  percent: EntryList;
  /** environment= of [supervisord] and the process sections, less plain values that read cleanly. */
  environment: EntryList;
}

function list(): EntryList {
  return { readings: [], entries: [], specs: [] };
}

const cache = new WeakMap<SchemaContext, EntryIndex>();

/** A key of a kind, what the entry pass asks about it, and a number for per-pass tables. */
interface KeyInfo {
  spec: KeySpec;
  checked: boolean;
  id: number;
}

/** Per section kind the catalogue knows (a fixed few, so this stays small whatever the files say). */
const keyInfos = new Map<string, Map<string, KeyInfo>>();
let keyInfoCount = 0;

/** keySpecsOf(kind) with isCheckedType answered once per key, not once per entry. */
function keyInfosOf(kind: string): Map<string, KeyInfo> | undefined {
  let infos = keyInfos.get(kind);
  if (infos) return infos;
  const specs = keySpecsOf(kind);
  if (!specs) return undefined;
  infos = new Map();
  for (const [key, spec] of specs) infos.set(key, { spec, checked: isCheckedType(spec), id: keyInfoCount++ });
  keyInfos.set(kind, infos);
  return infos;
}

/**
 * keyInfosOf(kind).get(key) for the entries of one section after another. Sections of a kind tend to
 * list the same keys in the same order (keys are interned): a pointer comparison with the previous
 * section's key at the same position usually answers instead of a map lookup.
 */
class KeyInfoGuess {
  #infos: Map<string, KeyInfo> | undefined = undefined;
  readonly #keys: string[] = [];
  readonly #found: (KeyInfo | undefined)[] = [];

  /** Starts a section read with `infos`. */
  section(infos: Map<string, KeyInfo> | undefined): void {
    if (infos === this.#infos) return;
    this.#infos = infos;
    this.#keys.length = 0;
    this.#found.length = 0;
  }

  /** The info of `key`, the entry at `position` of the section. */
  info(key: string, position: number): KeyInfo | undefined {
    if (this.#keys[position] === key) return this.#found[position];
    const info = this.#infos?.get(key);
    this.#keys[position] = key;
    this.#found[position] = info;
    return info;
  }
}

export function entryIndex(ctx: SchemaContext): EntryIndex {
  let index = cache.get(ctx);
  if (index) return index;
  index = { typed: list(), unknown: list(), percent: list(), environment: list() };
  const { typed, unknown, percent, environment } = index;
  // Values are cut from the text: without a % in the file, no value has one (and need not be read for it).
  const anyPercent = ctx.doc.text.indexOf('%') !== -1;
  // The value each key last had when it was accepted as plain: programs repeat `autostart=true`, and
  // comparing with the previous text is cheaper than looking a fresh string up in acceptsPlainValue's memo.
  const lastAccepted: (string | undefined)[] = [];
  let lastCleanEnvironment: string | undefined;
  const acceptedAsPlain = (info: KeyInfo, value: string): boolean => {
    if (lastAccepted[info.id] === value) return true;
    if (!acceptsPlainValue(info.spec, value)) return false;
    lastAccepted[info.id] = value;
    return true;
  };
  const readsCleanly = (value: string): boolean => {
    if (value === lastCleanEnvironment) return true;
    if (!environmentReadsCleanly(value)) return false;
    lastCleanEnvironment = value;
    return true;
  };
  const guess = new KeyInfoGuess();
  // An indexed loop: for...of allocates iterators and results wherever the engine has not optimized it away.
  for (let i = 0; i < ctx.sections.length; i++) {
    const reading = ctx.sections[i];
    const resolved = reading.resolved;
    if (!resolved || reading.templated) continue;
    const kind = resolved.spec.kind;
    const open = !!resolved.spec.openKeys;
    const environmentKind = ENVIRONMENT_KINDS.has(kind);
    // A grouped fcgi-program is read as a plain program (see fcgiGroups.ts).
    const keysKind = kind === 'fcgi-program' ? keysReadIn(ctx, reading).kind : kind;
    guess.section(keyInfosOf(keysKind));
    const entries = reading.section.entries;
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      const info = guess.info(entry.key, k);
      // socket and socket_* there: never read, which group-fcgi-program reports.
      if (info === undefined && keysKind !== kind && keyInfosOf(kind)?.has(entry.key)) continue;
      const spec = info?.spec;
      const value = entry.value;
      const hasPercent = anyPercent && value.indexOf('%') !== -1;
      // A value without % outside a template is read as written.
      const plain = !hasPercent && !ctx.template;
      if (spec) {
        if (info.checked && !(plain && acceptedAsPlain(info, value))) {
          typed.readings.push(reading);
          typed.entries.push(entry);
          typed.specs.push(spec);
        }
        if (environmentKind && entry.key === 'environment' && !(plain && readsCleanly(value))) {
          environment.readings.push(reading);
          environment.entries.push(entry);
          environment.specs.push(spec);
        }
      } else {
        unknown.readings.push(reading);
        unknown.entries.push(entry);
      }
      if (hasPercent && (spec || open)) {
        percent.readings.push(reading);
        percent.entries.push(entry);
        percent.specs.push(spec ?? OPEN_KEY);
      }
    }
  }
  cache.set(ctx, index);
  return index;
}
