/**
 * Which texts of a large list may occur more than once, without a map holding every one of them:
 * almost every name or path of a file is written once, and a map of thousands of entries is built
 * and dropped on every analysis. A table of counts by hash answers "alone" for most; a hash collision
 * only costs the caller a map entry.
 */

/** FNV-1a of the whole text. */
export function hashText(text: string): number {
  return fnv(0x811c9dc5 | 0, text);
}

/** FNV-1a of two texts as one key (a zero code unit between them). */
export function hashTexts(a: string, b: string): number {
  return fnv(Math.imul(fnv(0x811c9dc5 | 0, a), 0x01000193), b);
}

function fnv(h: number, text: string): number {
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

const MAX_SLOTS = 1 << 20;

export class RepeatTable {
  private readonly counts: Uint8Array;
  private readonly mask: number;

  /** Room for about `n` texts (eight slots each, so few collide; at most a megabyte, where more only collide more). */
  constructor(n: number) {
    let size = 64;
    while (size < n * 8 && size < MAX_SLOTS) size *= 2;
    this.counts = new Uint8Array(size);
    this.mask = size - 1;
  }

  /** Counts a text by its hash (see hashText). */
  add(hash: number): void {
    const slot = hash & this.mask;
    if (this.counts[slot] < 2) this.counts[slot]++;
  }

  /** Was a text with this hash counted more than once (or another text in its slot)? */
  mayRepeat(hash: number): boolean {
    return this.counts[hash & this.mask] > 1;
  }
}
