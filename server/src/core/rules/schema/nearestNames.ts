/**
 * `closest` over one list of names, asked for many words (a group that names thousands of programs no
 * section defines). Each question compares the word with every name, so thousands of questions over
 * thousands of names took seconds. Past a budget of comparisons, the names go into an index of their
 * deletion neighbourhoods: two texts within edit distance k both shrink to a common text by deleting at
 * most k characters each (a substitution is a deletion on both sides, an insertion a deletion on the
 * other), so the index yields every name that can be within k of the word, and each of those is then
 * measured as `closest` measures it. The answers are `closest`'s, ties included (the earliest name wins).
 */
import { distance } from 'fastest-levenshtein';

/** Comparisons answered one by one before the index is built (building it costs about this much). */
const DEFAULT_BUDGET = 200_000;
/** Longer texts have too many deletion variants to index; they are compared one by one. */
const MAX_INDEXED_LENGTH = 40;
/** Deletion neighbourhoods grow as length^k: the index serves small distances only. */
const MAX_INDEXED_DISTANCE = 2;

export class NearestNames {
  private readonly lowered: string[];
  /** Variant -> indexes of the names that have it, ascending. */
  private index: Map<string, number[]> | undefined;
  /** Names too long to index: compared with every word. */
  private unindexed: number[] = [];
  private compared = 0;
  /** seen[i] === question: name i is already among this question's candidates (no set per question). */
  private seen: Int32Array | undefined;
  private question = 0;

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
      return this.best(word, lower, undefined);
    }
    const seen = (this.seen ??= new Int32Array(this.names.length));
    const question = ++this.question;
    const found: number[] = [];
    for (const list of [this.unindexed, ...[...deletionVariants(lower, this.maxDistance)].map((v) => this.index!.get(v))]) {
      if (!list) continue;
      for (const i of list) {
        if (seen[i] === question) continue;
        seen[i] = question;
        found.push(i);
      }
    }
    return this.best(word, lower, found.sort((a, b) => a - b));
  }

  /** The earliest name at the smallest distance among `among` (every name when undefined), if close enough. */
  private best(word: string, lower: string, among: number[] | undefined): string | undefined {
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
    return best >= 0 && bestDistance <= this.maxDistance ? this.names[best] : undefined;
  }

  private buildIndex(): void {
    const index = new Map<string, number[]>();
    for (let i = 0; i < this.lowered.length; i++) {
      const name = this.lowered[i];
      if (name.length > MAX_INDEXED_LENGTH) {
        this.unindexed.push(i);
        continue;
      }
      for (const variant of deletionVariants(name, this.maxDistance)) {
        const list = index.get(variant);
        if (list) list.push(i);
        else index.set(variant, [i]);
      }
    }
    this.index = index;
  }
}

/** Every text left by deleting at most `k` characters of `text` (UTF-16 units), each once. */
export function deletionVariants(text: string, k: number): Set<string> {
  const out = new Set<string>([text]);
  let frontier = [text];
  for (let round = 0; round < k; round++) {
    const next: string[] = [];
    for (const t of frontier) {
      for (let i = 0; i < t.length; i++) {
        const v = t.slice(0, i) + t.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}
