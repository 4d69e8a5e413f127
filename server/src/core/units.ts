/**
 * Sizes and durations written as bare numbers, in the units people think in. supervisor and memmon call
 * 1024-based units KB, MB and GB (their byte_size suffixes), so these labels do too.
 */

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** Rounds to one decimal place and drops a trailing ".0". */
function oneDecimal(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * A byte count in the largest 1024-based unit it reaches: 52428800 -> "50 MB", 1610612736 -> "1.5 GB",
 * 500 -> "500 bytes". `exact` tells whether the label is the whole truth or rounded.
 */
export function describeBytes(bytes: number): { text: string; exact: boolean } {
  if (bytes < 1024) return { text: `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`, exact: true };
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = oneDecimal(value);
  return { text: `${text} ${SIZE_UNITS[unit]}`, exact: Number(text) * 1024 ** (unit + 1) === bytes };
}

/**
 * Seconds as hours, minutes and seconds: 600 -> "10 min", 5400 -> "1 h 30 min", 90 -> "1 min 30 s".
 * Fractions of a second are rounded (`exact` is false then).
 */
export function describeSeconds(seconds: number): { text: string; exact: boolean } {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (min) parts.push(`${min} min`);
  if (s || !parts.length) parts.push(`${s} s`);
  return { text: parts.join(' '), exact: whole === seconds };
}
