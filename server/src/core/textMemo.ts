/**
 * Results remembered by text across analyses: real files repeat the same values in every program, and
 * between two keystrokes almost every text is unchanged. Bounded (emptied when full), and keyed by
 * detached copies, so that a text cut from a document never keeps that whole document alive.
 */
import { detach } from './model/strings';

/** Stands for a remembered `undefined`, so that a miss is one lookup (no `has` after an undefined `get`). */
const UNDEFINED: unique symbol = Symbol('undefined');

/** Every memo made so far (module-level singletons, and one per key of an AcceptedTexts), for clearTextMemos. */
const allMemos: TextMemo<unknown>[] = [];

/** Forgets every remembered text: the next analysis computes everything (the benchmark's cold runs). */
export function clearTextMemos(): void {
  for (const memo of allMemos) memo.clear();
}

export class TextMemo<V> {
  private readonly map = new Map<string, V | typeof UNDEFINED>();

  constructor(private readonly limit: number) {
    allMemos.push(this);
  }

  get(text: string): V | undefined {
    const hit = this.map.get(text);
    return hit === UNDEFINED ? undefined : hit;
  }

  has(text: string): boolean {
    return this.map.has(text);
  }

  set(text: string, value: V): void {
    this.store(detach(text), value);
  }

  /** The remembered result, or `compute`'s, which reads the detached copy (so its own strings are no views into the document either). */
  remember(text: string, compute: (own: string) => V): V {
    const hit = this.map.get(text);
    if (hit !== undefined) return hit === UNDEFINED ? (undefined as V) : hit;
    const own = detach(text);
    const value = compute(own);
    this.store(own, value);
    return value;
  }

  clear(): void {
    this.map.clear();
  }

  private store(own: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(own, value === undefined ? UNDEFINED : value);
  }
}

/** A TextMemo per key (a key spec, an option spec): texts each one accepted. */
export class AcceptedTexts<K> {
  private readonly byKey = new Map<K, TextMemo<true>>();

  constructor(private readonly limitPerKey: number) {}

  has(key: K, text: string): boolean {
    return this.byKey.get(key)?.has(text) ?? false;
  }

  add(key: K, text: string): void {
    let memo = this.byKey.get(key);
    if (!memo) this.byKey.set(key, (memo = new TextMemo(this.limitPerKey)));
    memo.set(text, true);
  }
}
