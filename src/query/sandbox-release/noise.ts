import { type DpResult, DpSumAccumulator, dpCount, type RandomSource } from '../../privacy/index.js';
import type { BudgetLeft } from '../../sharing/index.js';
import type { Column } from '../row-stream.js';
import type { NoisePlan } from './noise-plan.js';
import type { NoiseReport } from './report.js';
import { CHECK_PREFIX } from './rewrite.js';

// The noise itself: each released value of a noised column is replaced by the discrete Laplace
// mechanism's answer (src/privacy, the same mechanisms as the statistics endpoint), computed from
// exact totals that never leave the server. Nothing here decides what is released: the output
// checks and suppression have already run, on the exact counts.

const asNumber = (value: unknown) => (typeof value === 'bigint' ? Number(value) : Number(value ?? 0));

/** An exact integer total as DuckDB gives it (HUGEINT: a bigint, a number or a decimal string). */
function asBigInt(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.round(value));
  return BigInt(String(value).split('.')[0]!);
}

/**
 * Replaces each noised column's values in the rows to release (the analyst's columns only) by
 * noised ones. `full` are the same rows with the totals the rewrite appended (`__ht_s<i>` and
 * `__ht_v<i>` for SUM and AVG), `columns` their columns.
 */
export function noiseRows(
  shown: unknown[][],
  full: unknown[][],
  columns: Column[],
  noise: NoisePlan,
  rng?: RandomSource,
): unknown[][] {
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  const params = { epsilon: noise.epsilon };
  return shown.map((row, r) => {
    const out = [...row];
    for (const column of noise.columns) {
      let result: DpResult;
      if (column.aggregate === 'count') result = dpCount(asNumber(row[column.index]), params, rng);
      else {
        const total = asBigInt(full[r]![at(`${CHECK_PREFIX}s${column.index}`)]);
        const n = asNumber(full[r]![at(`${CHECK_PREFIX}v${column.index}`)]);
        const sums = DpSumAccumulator.ofTotals(column.bounds!, total, n);
        result = column.aggregate === 'sum' ? sums.sum(params, rng) : sums.avg(params, rng);
      }
      out[column.index] = result.value;
    }
    return out;
  });
}

const rounded = (x: number) => Math.round(x * 1000) / 1000;

/**
 * What the answer says of its noise: the mechanism, ε per column, spent and left, and per noised
 * column the standard deviation of its noise. For an AVG (a noised sum over a noised count, each
 * with ε/2) both are given: the average's own spread depends on its row count, which is not
 * released.
 */
export function noiseReport(noise: NoisePlan, columns: Column[], left: BudgetLeft): NoiseReport {
  return {
    mechanism: 'discrete-laplace',
    epsilon: {
      perAggregate: noise.epsilon,
      spent: noise.cost,
      remainingToday: left.remainingToday,
      remainingTotal: left.remainingTotal,
    },
    columns: noise.columns.map((column) => {
      const name = columns[column.index]?.name ?? String(column.index + 1);
      if (column.aggregate === 'count')
        return {
          name,
          aggregate: 'count',
          noiseStddev: rounded(Math.SQRT2 / floorMicro(noise.epsilon)),
          countNoiseStddev: null,
        };
      const epsilon = column.aggregate === 'sum' ? noise.epsilon : noise.epsilon / 2;
      const sumStddev = DpSumAccumulator.ofTotals(column.bounds!, 0n, 0).sum({ epsilon }).noiseStddev;
      return {
        name,
        aggregate: column.aggregate,
        noiseStddev: rounded(sumStddev),
        countNoiseStddev: column.aggregate === 'avg' ? rounded(Math.SQRT2 / floorMicro(epsilon)) : null,
      };
    }),
  };
}

/** ε as the mechanism uses it: rounded down to 10⁻⁶ (so that rounding only adds noise). */
const floorMicro = (epsilon: number) => Math.floor(epsilon * 1e6) / 1e6;
