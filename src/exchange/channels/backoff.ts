// When to try a failed push again. Full jitter (a random delay between 0 and the exponential
// ceiling) rather than a fixed schedule: when a consumer's endpoint comes back after an outage,
// the subscriptions that were waiting on it do not all knock at the same second.

/** The ceiling of the first retry (ms); it doubles with each failed attempt. */
export const RETRY_BASE_MS = 1000;

/** The largest ceiling (ms): an endpoint down for a day is still tried at least once an hour. */
export const RETRY_CAP_MS = 3600_000;

/** How long a batch is retried (ms, from its first failed attempt) before it goes to dead letters. */
export const DEAD_LETTER_AFTER_MS = 24 * 3600_000;

/**
 * The delay (ms) before the next attempt, after `attempt` failed attempts (1 after the first):
 * uniformly random in [0, min(1 h, 1 s × 2^(attempt − 1))). `random` returns [0, 1) like
 * Math.random (tests pass their own).
 */
export function nextRetryDelay(attempt: number, random: () => number = Math.random): number {
  // A count below 1 (or NaN) is read as the first failure, not as a shorter delay; 2^12 s
  // already passes the cap, so stopping there keeps the power finite for any count.
  const n = attempt >= 1 ? Math.min(Math.floor(attempt), 13) : 1;
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (n - 1));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(Math.floor(unit * ceiling), ceiling - 1);
}
