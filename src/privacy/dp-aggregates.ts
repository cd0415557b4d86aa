import { z } from 'zod';
import { cryptoRandom, type RandomSource } from './dp-random.js';
import { sampleDiscreteGaussian, sampleDiscreteLaplace } from './dp-samplers.js';
import { PrivacyError } from './errors.js';

/** Zod schema of the privacy parameters of one aggregate. */
export const dpParamsSchema = z.object({
  epsilon: z.number().min(1e-6).max(100),
  /** With δ > 0 the discrete Gaussian is used (ρ-zCDP converted to (ε, δ)); else discrete Laplace. */
  delta: z.number().min(0).max(0.01).default(0),
});
/** Privacy parameters of one aggregate. */
export type DpParams = z.input<typeof dpParamsSchema>;

/** Declared bounds for SUM and AVG: values are clamped into them and snapped to `granularity`. */
export interface DpBounds {
  lower: number;
  upper: number;
  /** Resolution of the result (0.01 for money in yuan); default 1. */
  granularity?: number;
}

/** A noisy aggregate, with the noise's standard deviation (in result units) for confidence intervals. */
export interface DpResult {
  value: number;
  epsilon: number;
  delta: number;
  noiseStddev: number;
  mechanism: 'discrete-laplace' | 'discrete-gaussian';
}

const MICRO = 1_000_000n;

function parseParams(params: DpParams): { epsilon: number; delta: number } {
  const parsed = dpParamsSchema.safeParse(params);
  if (!parsed.success)
    throw new PrivacyError('invalid_argument', 'ε must be in [1e-6, 100] and δ in [0, 0.01]');
  return parsed.data;
}

/** Adds integer noise calibrated to an integer sensitivity. ε is rounded down to 10⁻⁶, σ² up. */
export function noisyInteger(
  exact: bigint,
  sensitivity: bigint,
  params: DpParams,
  rng: RandomSource = cryptoRandom,
) {
  const { epsilon, delta } = parseParams(params);
  if (sensitivity <= 0n) throw new PrivacyError('invalid_bounds', 'sensitivity must be positive');
  if (delta === 0) {
    const s = BigInt(Math.floor(epsilon * 1e6));
    const scale = Number(sensitivity) / (Number(s) / 1e6);
    return {
      value: exact + sampleDiscreteLaplace(s, sensitivity * MICRO, rng),
      stddev: Math.SQRT2 * scale,
      gaussian: false,
    };
  }
  const l = Math.log(1 / delta);
  const rho = (Math.sqrt(l + epsilon) - Math.sqrt(l)) ** 2;
  const sigma2 = Number(sensitivity) ** 2 / (2 * rho);
  const num = BigInt(Math.ceil(sigma2 * 1e6));
  return {
    value: exact + sampleDiscreteGaussian(num, MICRO, rng),
    stddev: Math.sqrt(sigma2),
    gaussian: true,
  };
}

/** A differentially private COUNT (each row one individual: sensitivity 1). */
export function dpCount(count: number, params: DpParams, rng?: RandomSource): DpResult {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new PrivacyError('invalid_argument', 'count must be a natural number');
  const p = parseParams(params);
  const n = noisyInteger(BigInt(count), 1n, p, rng);
  return {
    value: Number(n.value),
    epsilon: p.epsilon,
    delta: p.delta,
    noiseStddev: n.stddev,
    mechanism: n.gaussian ? 'discrete-gaussian' : 'discrete-laplace',
  };
}

function units(bounds: DpBounds) {
  const g = bounds.granularity ?? 1;
  if (
    !(g > 0) ||
    !Number.isFinite(bounds.lower) ||
    !Number.isFinite(bounds.upper) ||
    bounds.lower > bounds.upper
  ) {
    throw new PrivacyError('invalid_bounds', 'bounds must be finite with lower ≤ upper and granularity > 0');
  }
  const lo = BigInt(Math.ceil(bounds.lower / g - 1e-9));
  const hi = BigInt(Math.floor(bounds.upper / g + 1e-9));
  if (lo > hi)
    throw new PrivacyError('invalid_bounds', 'no multiple of the granularity lies within the bounds');
  const abs = (x: bigint) => (x < 0n ? -x : x);
  let sensitivity = abs(lo);
  if (abs(hi) > sensitivity) sensitivity = abs(hi);
  return { g, lo, hi, sensitivity: sensitivity === 0n ? 1n : sensitivity };
}

/**
 * The declared bounds in integer units of the granularity, as SUM and AVG clamp values into them:
 * a value v counts as round(v / granularity) clamped to [lower, upper]. For an engine that sums
 * the clamped units itself (the sandbox's DuckDB), whose total then goes to `DpSumAccumulator.ofTotals`.
 */
export function clampUnits(bounds: DpBounds): { granularity: number; lower: bigint; upper: bigint } {
  const u = units(bounds);
  return { granularity: u.g, lower: u.lo, upper: u.hi };
}

/** A value clamped and snapped into integer units; undefined for NaN, infinities and non-numbers. */
function snapped(raw: unknown, u: ReturnType<typeof units>): bigint | undefined {
  const v =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'bigint'
        ? Number(raw)
        : typeof raw === 'string' && raw.trim()
          ? Number(raw)
          : Number.NaN;
  if (!Number.isFinite(v)) return undefined;
  let x = BigInt(Math.round(v / u.g));
  if (x < u.lo) x = u.lo;
  if (x > u.hi) x = u.hi;
  return x;
}

/** Clamps and snaps values into integer units; NaN, infinities and non-numbers are skipped. */
function snappedSum(values: Iterable<unknown>, u: ReturnType<typeof units>): { sum: bigint; n: number } {
  let sum = 0n;
  let n = 0;
  for (const raw of values) {
    const x = snapped(raw, u);
    if (x === undefined) continue;
    sum += x;
    n++;
  }
  return { sum, n };
}

/**
 * The exact inputs of one SUM or AVG, gathered a value at a time (rows stream in from a source),
 * so that no column is held in memory; `sum()` and `avg()` then noise them as dpSum and dpAvg do.
 */
export class DpSumAccumulator {
  private readonly u: ReturnType<typeof units>;
  private total = 0n;
  private n = 0;

  constructor(private readonly bounds: DpBounds) {
    this.u = units(bounds);
  }

  /**
   * An accumulator holding totals computed elsewhere: `total` the sum of the values already
   * clamped and snapped as `clampUnits` says (in units), `n` how many values it adds up.
   */
  static ofTotals(bounds: DpBounds, total: bigint, n: number): DpSumAccumulator {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new PrivacyError('invalid_argument', 'n must be a natural number');
    const accumulator = new DpSumAccumulator(bounds);
    const { lo, hi } = accumulator.u;
    // A total the clamp cannot give would mean the clamp was not applied: noise calibrated to the
    // bounds would then not cover it.
    if (total < lo * BigInt(n) || total > hi * BigInt(n))
      throw new PrivacyError('invalid_argument', 'the total lies outside n values within the bounds');
    accumulator.total = total;
    accumulator.n = n;
    return accumulator;
  }

  /** Adds one value (clamped to the bounds; NaN, infinities and non-numbers are skipped). */
  add(raw: unknown): void {
    const x = snapped(raw, this.u);
    if (x === undefined) return;
    this.total += x;
    this.n++;
  }

  /** The noisy sum. */
  sum(params: DpParams, rng?: RandomSource): DpResult {
    return sumResult(this.total, this.u, parseParams(params), rng);
  }

  /** The noisy average. */
  avg(params: DpParams, rng?: RandomSource): DpResult {
    return avgResult(this.total, this.n, this.u, this.bounds, parseParams(params), rng);
  }
}

/** A differentially private SUM over values clamped to the declared bounds. */
export function dpSum(
  values: Iterable<unknown>,
  bounds: DpBounds,
  params: DpParams,
  rng?: RandomSource,
): DpResult {
  const u = units(bounds);
  return sumResult(snappedSum(values, u).sum, u, parseParams(params), rng);
}

function sumResult(
  sum: bigint,
  u: ReturnType<typeof units>,
  p: { epsilon: number; delta: number },
  rng?: RandomSource,
): DpResult {
  const noisy = noisyInteger(sum, u.sensitivity, p, rng);
  return {
    value: Number(noisy.value) * u.g,
    epsilon: p.epsilon,
    delta: p.delta,
    noiseStddev: noisy.stddev * u.g,
    mechanism: noisy.gaussian ? 'discrete-gaussian' : 'discrete-laplace',
  };
}

/** A differentially private AVG: a noisy sum over a noisy count, each with half the budget, clamped to the bounds. */
export function dpAvg(
  values: Iterable<unknown>,
  bounds: DpBounds,
  params: DpParams,
  rng?: RandomSource,
): DpResult {
  const u = units(bounds);
  const { sum, n } = snappedSum(values, u);
  return avgResult(sum, n, u, bounds, parseParams(params), rng);
}

function avgResult(
  sum: bigint,
  n: number,
  u: ReturnType<typeof units>,
  bounds: DpBounds,
  p: { epsilon: number; delta: number },
  rng?: RandomSource,
): DpResult {
  if (p.epsilon < 2e-6) throw new PrivacyError('invalid_argument', 'AVG needs ε ≥ 2e-6 (it is split in two)');
  const half = { epsilon: p.epsilon / 2, delta: p.delta / 2 };
  const noisySum = noisyInteger(sum, u.sensitivity, half, rng);
  const noisyCount = noisyInteger(BigInt(n), 1n, half, rng);
  const count = noisyCount.value < 1n ? 1 : Number(noisyCount.value);
  const avg = Math.min(bounds.upper, Math.max(bounds.lower, (Number(noisySum.value) * u.g) / count));
  return {
    value: avg,
    epsilon: p.epsilon,
    delta: p.delta,
    noiseStddev: (noisySum.stddev * u.g) / Math.max(n, 1),
    mechanism: noisySum.gaussian ? 'discrete-gaussian' : 'discrete-laplace',
  };
}
