/**
 * A light reading of supervisor's `environment=` (KEY="value",KEY2=value2, read by shlex in 4.2.x):
 * enough to know which variables a section sets. Never throws; stops at the first thing it cannot read.
 */
export function environmentKeys(value: string): Set<string> {
  const keys = new Set<string>();
  const n = value.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && /\s/.test(value[i])) i++;
  };
  while (i < n) {
    skipSpace();
    const keyStart = i;
    while (i < n && /[\w.+\-()/:]/.test(value[i])) i++;
    const key = value.slice(keyStart, i);
    skipSpace();
    if (!key || value[i] !== '=') break;
    keys.add(key);
    i++;
    skipSpace();
    const q = value[i];
    if (q === '"' || q === "'") {
      const close = value.indexOf(q, i + 1);
      if (close === -1) break;
      i = close + 1;
    } else {
      while (i < n && value[i] !== ',' && !/\s/.test(value[i])) i++;
    }
    skipSpace();
    if (value[i] !== ',') break;
    i++;
  }
  return keys;
}
