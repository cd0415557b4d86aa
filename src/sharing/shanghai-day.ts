// Quotas reset at midnight in the platform's time zone, Asia/Shanghai (UTC+8, no daylight saving),
// so the day is plain arithmetic and the same on every server whatever its TZ.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole seconds from `now` to the next Asia/Shanghai midnight (at least 1). */
export function secondsToNextDay(now: Date): number {
  const local = now.getTime() + OFFSET_MS;
  const next = (Math.floor(local / DAY_MS) + 1) * DAY_MS;
  return Math.max(1, Math.ceil((next - local) / 1000));
}
