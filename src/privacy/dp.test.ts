import { describe, expect, it } from 'vitest';
import { dpAvg, dpCount, dpSum } from './dp-aggregates.js';
import { InMemoryBudgetStore, PrivacyAccountant } from './dp-budget.js';
import { bernoulliExp, cryptoRandom, isqrt } from './dp-random.js';
import { sampleDiscreteGaussian, sampleDiscreteLaplace } from './dp-samplers.js';

// Statistical checks use thresholds far in the tails (chance of a false failure < 1e-9 each),
// so they are not flaky although the noise comes from crypto randomness.
const N = 20_000;

function chiSquare(draws: bigint[], pmf: (x: number) => number, range: number): number {
  const weights = new Map<number, number>();
  let total = 0;
  for (let x = -200; x <= 200; x++) {
    const w = pmf(x);
    total += w;
    const bin = Math.max(-range - 1, Math.min(range + 1, x));
    weights.set(bin, (weights.get(bin) ?? 0) + w);
  }
  const observed = new Map<number, number>();
  for (const d of draws) {
    const bin = Math.max(-range - 1, Math.min(range + 1, Number(d)));
    observed.set(bin, (observed.get(bin) ?? 0) + 1);
  }
  let chi = 0;
  for (const [bin, w] of weights) {
    const expected = (w / total) * draws.length;
    chi += ((observed.get(bin) ?? 0) - expected) ** 2 / expected;
  }
  return chi;
}

const mean = (xs: bigint[]) => xs.reduce((a, b) => a + Number(b), 0) / xs.length;
const variance = (xs: bigint[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (Number(b) - m) ** 2, 0) / (xs.length - 1);
};

describe('exact samplers', () => {
  it('isqrt and Bernoulli(exp(−γ)) are exact', () => {
    expect([0n, 1n, 15n, 16n, 10n ** 30n].map(isqrt)).toEqual([0n, 1n, 3n, 4n, 10n ** 15n]);
    let ones = 0;
    for (let i = 0; i < N; i++) if (bernoulliExp(cryptoRandom, 3n, 2n)) ones++;
    expect(Math.abs(ones / N - Math.exp(-1.5))).toBeLessThan(0.02); // σ ≈ 0.0026
  });

  it('discrete Laplace with scale 3: mean 0, variance 2p/(1−p)², chi-square fit', () => {
    const p = Math.exp(-1 / 3);
    const draws = Array.from({ length: N }, () => sampleDiscreteLaplace(1n, 3n));
    expect(Math.abs(mean(draws))).toBeLessThan(0.25);
    expect(variance(draws) / ((2 * p) / (1 - p) ** 2)).toBeGreaterThan(0.88);
    expect(variance(draws) / ((2 * p) / (1 - p) ** 2)).toBeLessThan(1.12);
    expect(chiSquare(draws, (x) => p ** Math.abs(x), 8)).toBeLessThan(90); // df 18
  });

  it('discrete Gaussian with σ² = 4: mean 0, variance ≈ 4, chi-square fit', () => {
    const draws = Array.from({ length: N }, () => sampleDiscreteGaussian(4n, 1n));
    expect(Math.abs(mean(draws))).toBeLessThan(0.12);
    expect(variance(draws)).toBeGreaterThan(3.6);
    expect(variance(draws)).toBeLessThan(4.4);
    expect(chiSquare(draws, (x) => Math.exp(-(x * x) / 8), 6)).toBeLessThan(80); // df 14
  });
});

describe('aggregates', () => {
  it('adds integer noise of the calibrated scale to COUNT', () => {
    const results = Array.from({ length: 2000 }, () => dpCount(1000, { epsilon: 1 }));
    const m = results.reduce((a, r) => a + r.value, 0) / results.length;
    expect(Math.abs(m - 1000)).toBeLessThan(0.3); // σ of the mean ≈ 0.03
    expect(results.every((r) => Number.isInteger(r.value))).toBe(true);
    expect(results[0]).toMatchObject({ epsilon: 1, delta: 0, mechanism: 'discrete-laplace' });
  });

  it('clamps SUM to the bounds and snaps to the granularity', () => {
    const values = [10.004, 20, 1e9, -5, Number.NaN, 'x', '7.5', null];
    const r = dpSum(values, { lower: 0, upper: 100, granularity: 0.01 }, { epsilon: 50 });
    // exact clamped sum 10 + 20 + 100 + 0 + 7.5 = 137.5; noise scale 100/50 = 2.
    expect(Math.abs(r.value - 137.5)).toBeLessThan(60);
    expect(Math.round(r.value * 100) / 100).toBeCloseTo(r.value, 6);
    const big = dpSum([5e8], { lower: 0, upper: 1e9 }, { epsilon: 1, delta: 1e-6 });
    expect(big.mechanism).toBe('discrete-gaussian');
    expect(Math.abs(big.value - 5e8)).toBeLessThan(20 * big.noiseStddev);
  });

  it('gives an AVG inside the bounds and refuses bad bounds', () => {
    const r = dpAvg([30, 40, 50], { lower: 0, upper: 120 }, { epsilon: 1 });
    expect(r.value).toBeGreaterThanOrEqual(0);
    expect(r.value).toBeLessThanOrEqual(120);
    expect(dpAvg([], { lower: 0, upper: 10 }, { epsilon: 1 }).value).toBeLessThanOrEqual(10);
    expect(() => dpSum([1], { lower: 5, upper: 1 }, { epsilon: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_bounds' }),
    );
    expect(() => dpCount(1, { epsilon: 0 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('PrivacyAccountant', () => {
  it('composes spends exactly and refuses to overspend', async () => {
    const accountant = new PrivacyAccountant(new InMemoryBudgetStore(), () => ({
      epsilon: 0.6,
      delta: 1e-6,
    }));
    await accountant.charge('grant-1', { epsilon: 0.1 });
    await accountant.charge('grant-1', { epsilon: 0.2 });
    await accountant.charge('grant-1', { epsilon: 0.3, delta: 1e-6 });
    expect(await accountant.remaining('grant-1')).toEqual({ epsilon: 0, delta: 0 });
    await expect(accountant.charge('grant-1', { epsilon: 0.000001 })).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    await accountant.charge('grant-2', { epsilon: 0.6 });
    await expect(accountant.charge('grant-2', { epsilon: -1 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
