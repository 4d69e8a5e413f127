/**
 * The items `keep` accepts, for a rule to remember for the analysis: `all` itself when it accepts every
 * one (usually the case: no copy is built), else a copy sized once (filter grows and copies its result
 * on the way). Callers never change the list.
 */
export function selection<T>(all: T[], keep: (item: T) => boolean): T[] {
  let count = 0;
  for (let i = 0; i < all.length; i++) if (keep(all[i])) count++;
  if (count === all.length) return all;
  const kept = new Array<T>(count);
  for (let i = 0, k = 0; k < count; i++) if (keep(all[i])) kept[k++] = all[i];
  return kept;
}
