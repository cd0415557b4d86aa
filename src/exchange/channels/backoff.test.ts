import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_AFTER_MS, nextRetryDelay, RETRY_CAP_MS } from './backoff.js';

const almostOne = () => 1 - Number.EPSILON;

describe('nextRetryDelay', () => {
  it('doubles the ceiling from 1 s with each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelay(n, almostOne))).toEqual([999, 1999, 3999, 7999, 15999]);
    expect(nextRetryDelay(3, () => 0.5)).toBe(2000);
  });

  it('draws uniformly from zero to the ceiling (full jitter)', () => {
    expect(nextRetryDelay(10, () => 0)).toBe(0);
    const draws = Array.from({ length: 2000 }, () => nextRetryDelay(4));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(8000);
    // Spread over the range, not bunched at the ceiling: the mean of 2,000 draws is near 4 s.
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(3400);
    expect(mean).toBeLessThan(4600);
  });

  it('caps the ceiling at one hour, however many attempts failed', () => {
    expect(nextRetryDelay(12, almostOne)).toBe(2048_000 - 1);
    expect(nextRetryDelay(13, almostOne)).toBe(RETRY_CAP_MS - 1);
    expect(nextRetryDelay(500, almostOne)).toBe(RETRY_CAP_MS - 1);
    expect(nextRetryDelay(Number.POSITIVE_INFINITY, almostOne)).toBe(RETRY_CAP_MS - 1);
  });

  it('reads a count below one, or not a number, as the first failure', () => {
    for (const n of [0, -3, 0.5, Number.NaN]) expect(nextRetryDelay(n, almostOne)).toBe(999);
    expect(nextRetryDelay(2.7, almostOne)).toBe(1999);
  });

  it('stays within the range when the random source misbehaves', () => {
    expect(nextRetryDelay(2, () => 1)).toBe(1999);
    expect(nextRetryDelay(2, () => -1)).toBe(0);
    expect(nextRetryDelay(2, () => Number.NaN)).toBe(0);
  });

  it('retries for a day before a batch goes to dead letters', () => {
    expect(DEAD_LETTER_AFTER_MS).toBe(86_400_000);
    // Even with the longest draws: 12 attempts within the first 1.1 h, then one an hour.
    let attempts = 0;
    for (let elapsed = 0; elapsed < DEAD_LETTER_AFTER_MS; attempts++)
      elapsed += nextRetryDelay(attempts + 1, almostOne);
    expect(attempts).toBe(35);
  });
});
