// Every deadline is counted in Asia/Shanghai. China has kept UTC+8 without daylight saving since
// 1991, so a day is plain arithmetic on a fixed offset, the same on every server whatever its TZ.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** A calendar day `YYYY-MM-DD` in Asia/Shanghai. */
export type DayKey = string;

/** The Asia/Shanghai day of an instant. */
export function dayOf(instant: Date): DayKey {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai day begins (its 00:00 +08:00). */
export function startOfDay(day: DayKey): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** The day after (or `n` days after, `n` may be negative). */
export function addDays(day: DayKey, n = 1): DayKey {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a day falls on Saturday or Sunday. */
export function isWeekend(day: DayKey): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Whether a string is a real calendar day `YYYY-MM-DD` (not 2025-02-30). */
export function isDayKey(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}
