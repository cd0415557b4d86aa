// Calendar checks shared by the ID-number and birth-date detectors.

/** Whether y-m-d is a real calendar date (proleptic Gregorian). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days =
    m === 2
      ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
        ? 29
        : 28
      : [4, 6, 9, 11].includes(m)
        ? 30
        : 31;
  return d <= days;
}

/** Whether y-m-d is a plausible birth date: real, from 1900 on, and not after `today`. */
export function isPlausibleBirthDate(y: number, m: number, d: number, today: Date): boolean {
  if (y < 1900 || !isRealDate(y, m, d)) return false;
  const ty = today.getUTCFullYear();
  if (y !== ty) return y < ty;
  const tm = today.getUTCMonth() + 1;
  return m < tm || (m === tm && d <= today.getUTCDate());
}

/** Reads `len` ASCII digits of `s` at `at` as a number (caller guarantees they are digits). */
export function digitsAt(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** Age in whole years on `today` of someone born on y-m-d. */
export function ageOn(y: number, m: number, d: number, today: Date): number {
  const tm = today.getUTCMonth() + 1;
  const td = today.getUTCDate();
  return today.getUTCFullYear() - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}
