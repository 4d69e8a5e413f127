/**
 * Tables looked up with names read from the file. A plain object literal would also answer for the
 * names every object inherits (`constructor`, `toString`, `__proto__`), so these have no prototype.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
