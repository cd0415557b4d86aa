import { bernoulli, bernoulliExp, cryptoRandom, isqrt, type RandomSource } from './dp-random.js';

/**
 * A draw from the discrete Laplace distribution (two-sided geometric) with scale t/s:
 * P(x) ∝ exp(−|x|·s/t) over the integers (Canonne, Kamath & Steinke 2020, Algorithm 2).
 */
export function sampleDiscreteLaplace(s: bigint, t: bigint, rng: RandomSource = cryptoRandom): bigint {
  for (;;) {
    const u = rng.below(t);
    if (!bernoulliExp(rng, u, t)) continue;
    let v = 0n;
    while (bernoulliExp(rng, 1n, 1n)) v++;
    const y = (u + t * v) / s;
    const negative = bernoulli(rng, 1n, 2n);
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * A draw from the discrete Gaussian with variance parameter σ² = num/den:
 * P(x) ∝ exp(−x²/(2σ²)) over the integers (Canonne, Kamath & Steinke 2020, Algorithm 3).
 */
export function sampleDiscreteGaussian(num: bigint, den: bigint, rng: RandomSource = cryptoRandom): bigint {
  const t = isqrt(num / den) + 1n;
  for (;;) {
    const y = sampleDiscreteLaplace(1n, t, rng);
    const a = y < 0n ? -y : y;
    const diff = a * den * t - num;
    if (bernoulliExp(rng, diff * diff, 2n * num * den * t * t)) return y;
  }
}
