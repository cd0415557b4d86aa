import { describe, expect, it } from 'vitest';
import { bucketQuantile } from './snapshot.js';

describe('quantiles from histogram buckets', () => {
  it('interpolates within the bucket where the rank falls, as histogram_quantile does', () => {
    const buckets = [
      { le: 0.1, count: 50 },
      { le: 0.5, count: 90 },
      { le: 1, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(bucketQuantile(0.7, buckets)).toBeCloseTo(0.3);
    expect(bucketQuantile(0.95, buckets)).toBeCloseTo(0.75);
  });

  it('answers the last finite bound past it, and nothing without observations', () => {
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 1 },
        { le: Number.POSITIVE_INFINITY, count: 10 },
      ]),
    ).toBe(1);
    expect(bucketQuantile(0.5, [{ le: 1, count: 0 }])).toBeNull();
    expect(bucketQuantile(0.5, [])).toBeNull();
  });
});
