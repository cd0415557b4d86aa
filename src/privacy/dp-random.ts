import { randomBytes, randomInt } from 'node:crypto';

/** A source of uniform integers; the default draws from `crypto`, tests may inject their own. */
export interface RandomSource {
  /** A uniform integer in [0, n), n ≥ 1. */
  below(n: bigint): bigint;
}

/** Uniform integers from Node's CSPRNG, by rejection sampling (no modulo bias). */
export const cryptoRandom: RandomSource = {
  below(n) {
    if (n <= 1n) return 0n;
    if (n < 2n ** 48n) return BigInt(randomInt(Number(n)));
    const bits = n.toString(2).length;
    const bytes = Math.ceil(bits / 8);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      const r = BigInt(`0x${randomBytes(bytes).toString('hex')}`) & mask;
      if (r < n) return r;
    }
  },
};

/** Bernoulli(num/den), exactly: 0 ≤ num ≤ den. */
export function bernoulli(rng: RandomSource, num: bigint, den: bigint): boolean {
  return rng.below(den) < num;
}

/**
 * Bernoulli(exp(−num/den)), exactly, with rational arithmetic only (Canonne, Kamath & Steinke
 * 2020, Algorithm 1): no floating point touches the noise, so no Mironov-style attack applies.
 */
export function bernoulliExp(rng: RandomSource, num: bigint, den: bigint): boolean {
  if (num <= den) {
    let k = 1n;
    while (bernoulli(rng, num, den * k)) k++;
    return k % 2n === 1n;
  }
  for (let i = 0n; i < num / den; i++) if (!bernoulliExp(rng, 1n, 1n)) return false;
  return bernoulliExp(rng, num % den, den);
}

/** ⌊√n⌋ for a non-negative bigint (Newton's method). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}
