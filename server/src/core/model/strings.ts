/** The parser's shared strings: interned keys and section kinds, and one copy of each short value seen lately. */

/**
 * Keys (and section kinds) seen so far, shared by every parse: a key is looked up from its characters
 * without allocating, and every entry with that key gets the same internalized string, so the parser
 * makes no strings per key and `entry.key === 'command'` is a pointer comparison. Learned on first sight
 * and bounded, so odd files cannot grow it.
 */
const INTERN_BITS = 11;
const INTERN_MASK = (1 << INTERN_BITS) - 1;
const INTERN_LIMIT = 1 << (INTERN_BITS - 1);
export const INTERN_MAX_LENGTH = 64;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * A hash of non-empty text[from, to) from its length and four of its characters: enough to spread
 * supervisor's keys, and no work per character.
 */
export function sparseHash(text: string, from: number, to: number): number {
  const n = to - from;
  let h = Math.imul(n ^ FNV_OFFSET, FNV_PRIME);
  h = Math.imul(h ^ text.charCodeAt(from), FNV_PRIME);
  h = Math.imul(h ^ text.charCodeAt(from + (n >> 1)), FNV_PRIME);
  h = Math.imul(h ^ text.charCodeAt(to - 1), FNV_PRIME);
  h = Math.imul(h ^ text.charCodeAt(from + ((n * 3) >> 2)), FNV_PRIME);
  return h ^ (h >>> 15);
}

/** A string with the same characters that V8 keeps in its string table and that holds no reference to `s`'s source. */
export function internalize(s: string): string {
  const holder: Record<string, number> = Object.create(null);
  holder[s] = 0;
  for (const k in holder) return k;
  return s;
}

/**
 * Strings seen so far, shared by every parse: one is found again from the text's characters without
 * allocating, so each entry with that key gets the same internalized string (no strings made per line,
 * and `entry.key === 'command'` is a pointer comparison). Learned on first sight and bounded, so odd
 * files cannot grow it; only short ASCII strings go in.
 */
class InternTable {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(1 << INTERN_BITS).fill(undefined);
  private count = 0;

  /** The known string equal to non-empty text[from, to), or undefined. */
  find(text: string, from: number, to: number): string | undefined {
    const length = to - from;
    const slots = this.slots;
    let slot = sparseHash(text, from, to) & INTERN_MASK;
    for (;;) {
      const s = slots[slot];
      if (s === undefined || (s.length === length && text.startsWith(s, from))) return s;
      slot = (slot + 1) & INTERN_MASK;
    }
  }

  /** The known string equal to `s`, learning it when it is new (and fits); `s` itself otherwise. */
  intern(s: string): string {
    const length = s.length;
    if (length === 0 || length > INTERN_MAX_LENGTH) return s;
    for (let i = 0; i < length; i++) if (s.charCodeAt(i) >= 128) return s;
    const slots = this.slots;
    let slot = sparseHash(s, 0, length) & INTERN_MASK;
    for (;;) {
      const known = slots[slot];
      if (known === undefined) break;
      if (known === s) return known;
      slot = (slot + 1) & INTERN_MASK;
    }
    if (this.count >= INTERN_LIMIT) return s;
    this.count++;
    return (slots[slot] = internalize(s));
  }
}

/** Keys, lower-cased. */
export const KEYS = new InternTable();
/** Section kinds, as written. */
export const KINDS = new InternTable();

/**
 * Short values seen lately (`true`, `1`, `app` ...), so repeated ones share one string instead of one
 * copy per line. A direct-mapped cache: a collision replaces the slot. Only values too short for V8 to
 * slice (a copy, not a view of the text) go in, so it never keeps a document's text alive.
 */
const SHORT_VALUE = 12;
const VALUE_CACHE_MASK = 1023;
const valueCache: (string | undefined)[] = new Array<string | undefined>(VALUE_CACHE_MASK + 1).fill(undefined);

export function valueSlice(text: string, from: number, to: number): string {
  const length = to - from;
  if (length > SHORT_VALUE) return text.slice(from, to);
  if (length === 0) return '';
  let h = length;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  const slot = (h ^ (h >>> 13)) & VALUE_CACHE_MASK;
  const cached = valueCache[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === text.charCodeAt(from + i)) i++;
    if (i === length) return cached;
  }
  return (valueCache[slot] = text.slice(from, to));
}

/** Below this length V8 copies a substring; from it on, a substring is a view that keeps its parent alive. */
const SLICED_STRING_MIN_LENGTH = 13;

/**
 * A copy of `s` that does not keep the text it was cut from alive. A module-level cache keyed by a value
 * sliced from a document would otherwise hold on to that whole document, and typing in a big file
 * would keep every version of it in memory. Use it for what such caches store; it costs a copy.
 */
export function detach(s: string): string {
  // Concatenating makes a cons string; slicing it flattens it into a fresh copy of the characters.
  return s.length < SLICED_STRING_MIN_LENGTH ? s : (` ${s}`).slice(1);
}
