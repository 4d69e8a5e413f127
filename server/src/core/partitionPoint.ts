/**
 * The binary search every sorted list here needs: the first index in [0, length) for which `before`
 * is false, given that `before` holds for a prefix of the indexes and fails for the rest (length when
 * it holds everywhere).
 */
export function partitionPoint(length: number, before: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
