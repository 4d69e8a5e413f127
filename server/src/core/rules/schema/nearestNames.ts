/**
 * `closest` over one list of names, asked for many words (a group that names thousands of programs no
 * section defines). Each question compares the word with every name, so thousands of questions over
 * thousands of names took seconds. Past a budget of comparisons, the names go into an index of their
 * deletion neighbourhoods: two texts within edit distance d both shrink to a common text by deleting at
 * most d characters each (a substitution is a deletion on both sides, an insertion a deletion on the
 * other). The index is searched for d = 0, 1, 2 in turn, so a word one typo away from a name meets
 * only the few names that share a variant one deletion deep, not every name two deletions away; each
 * name found is measured as `closest` measures it. The answers are `closest`'s, ties included (the
 * earliest name wins).
 */
import { distance } from 'fastest-levenshtein';

/** Comparisons answered one by one before the index is built (building it costs about this much). */
const DEFAULT_BUDGET = 200_000;
/** Longer texts have too many deletion variants to index; they are compared one by one. */
const MAX_INDEXED_LENGTH = 40;
/** Deletion neighbourhoods grow as length^d: the index serves small distances only. */
const MAX_INDEXED_DISTANCE = 2;
/** Index entries pack a name's position with the number of deletions that made the variant. */
const DEPTH_BITS = 2;

export class NearestNames {
  private readonly lowered: string[];
  /** Variant -> (name index << DEPTH_BITS | deletions), ascending by name. */
  private index: Map<string, number[]> | undefined;
  /** Names too long to index: measured for every word. */
  private readonly unindexed: number[] = [];
  private compared = 0;
  /** seen[i] === mark: name i is already among the current search's candidates (no set per search). */
  private seen: Int32Array | undefined;
  private mark = 0;

  constructor(
    private readonly names: readonly string[],
    private readonly maxDistance: number,
    private readonly budget = DEFAULT_BUDGET,
  ) {
    this.lowered = names.map((n) => n.toLowerCase());
  }

  /** What `closest(word, names, maxDistance)` returns. */
  closest(word: string): string | undefined {
    const lower = word.toLowerCase();
    const indexable = this.maxDistance <= MAX_INDEXED_DISTANCE && lower.length <= MAX_INDEXED_LENGTH;
    if (indexable && !this.index && this.compared >= this.budget) this.buildIndex();
    if (!indexable || !this.index) {
      this.compared += this.names.length;
      return this.best(word, lower, undefined, this.maxDistance);
    }
    const variants = deletionVariants(lower, this.maxDistance);
    for (let depth = 0; depth <= this.maxDistance; depth++) {
      // Every name within `depth` of the word shares a variant with it at most `depth` deletions deep on both sides.
      const found = this.candidates(variants, depth);
      const answer = this.best(word, lower, found, depth);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  private candidates(variants: Map<string, number>, depth: number): number[] {
    const seen = (this.seen ??= new Int32Array(this.names.length));
    const mark = ++this.mark;
    const found: number[] = [];
    const add = (i: number) => {
      if (seen[i] === mark) return;
      seen[i] = mark;
      found.push(i);
    };
    for (const i of this.unindexed) add(i);
    for (const [variant, deletions] of variants) {
      if (deletions > depth) continue;
      const list = this.index!.get(variant);
      if (!list) continue;
      for (const packed of list) if ((packed & ((1 << DEPTH_BITS) - 1)) <= depth) add(packed >> DEPTH_BITS);
    }
    return found.sort((a, b) => a - b);
  }

  /**
   * The earliest name at the smallest distance among `among` (every name when undefined), when that
   * distance is at most `within`.
   */
  private best(word: string, lower: string, among: number[] | undefined, within: number): string | undefined {
    let best = -1;
    let bestDistance = Infinity;
    const count = among ? among.length : this.names.length;
    for (let k = 0; k < count; k++) {
      const i = among ? among[k] : k;
      if (this.names[i] === word) continue;
      const d = distance(lower, this.lowered[i]);
      if (d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    }
    return best >= 0 && bestDistance <= within ? this.names[best] : undefined;
  }

  private buildIndex(): void {
    const index = new Map<string, number[]>();
    for (let i = 0; i < this.lowered.length; i++) {
      const name = this.lowered[i];
      if (name.length > MAX_INDEXED_LENGTH) {
        this.unindexed.push(i);
        continue;
      }
      for (const [variant, deletions] of deletionVariants(name, this.maxDistance)) {
        const packed = (i << DEPTH_BITS) | deletions;
        const list = index.get(variant);
        if (list) list.push(packed);
        else index.set(variant, [packed]);
      }
    }
    this.index = index;
  }
}

/** Every text left by deleting at most `k` characters of `text` (UTF-16 units), with the fewest deletions that leave it. */
export function deletionVariants(text: string, k: number): Map<string, number> {
  const out = new Map<string, number>([[text, 0]]);
  let frontier = [text];
  for (let depth = 1; depth <= k; depth++) {
    const next: string[] = [];
    for (const t of frontier) {
      for (let i = 0; i < t.length; i++) {
        const v = t.slice(0, i) + t.slice(i + 1);
        if (!out.has(v)) {
          out.set(v, depth);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}
