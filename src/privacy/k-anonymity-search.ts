import { PrivacyError } from './errors.js';
import type { QuasiIdentifier } from './hierarchies.js';
import {
  classSize,
  equivalenceClasses,
  type KAnonymityReport,
  kAnonymity,
  quasiColumns,
  type Row,
} from './k-anonymity.js';
import type { MaskContext } from './mask-js.js';
import type { MaskSpec } from './mask-spec.js';

/** Options of the generalisation search. */
export interface GeneraliseOptions {
  /** The k to reach (≥ 1). */
  k: number;
  /** Share of rows that may be suppressed outright (rows in classes smaller than k), default 0. */
  maxSuppression?: number;
  /** Lattice nodes evaluated at most (default 20,000). */
  maxNodes?: number;
  context?: MaskContext;
  /** Rows each row stands for (distinct tuples with their counts); 1 each when absent. */
  weights?: readonly number[];
  /** The least level per quasi-identifier (1 for an item that must not go out in clear). */
  minLevels?: readonly number[];
}

/** The least generalisation found, the masks that enforce it and the rows to drop. */
export interface GeneraliseResult {
  ok: boolean;
  /** Per quasi-identifier: 0 = in clear, n = hierarchy[n − 1]. */
  levels: number[];
  masks: { column: string; mask: MaskSpec }[];
  /** Indexes of the rows to suppress (in classes still smaller than k). */
  suppressedRows: number[];
  report: KAnonymityReport;
  evaluated: number;
}

function* nodesOfHeight(
  maxLevels: readonly number[],
  minLevels: readonly number[],
  height: number,
  at = 0,
  prefix: number[] = [],
): Generator<number[]> {
  if (at === maxLevels.length) {
    if (height === 0) yield prefix;
    return;
  }
  for (let l = minLevels[at] ?? 0; l <= Math.min(maxLevels[at]!, height); l++)
    yield* nodesOfHeight(maxLevels, minLevels, height - l, at + 1, [...prefix, l]);
}

/**
 * Searches the generalisation lattice bottom-up (Samarati's minimal-height search) for the least
 * generalisation reaching k, preferring fewer suppressed rows, then smaller classes (discernibility).
 */
export function generaliseToK(
  rows: readonly Row[],
  quasi: readonly QuasiIdentifier[],
  options: GeneraliseOptions,
): GeneraliseResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1)
    throw new PrivacyError('invalid_argument', 'k must be a positive integer');
  if (quasi.length === 0) throw new PrivacyError('invalid_argument', 'no quasi-identifiers given');
  const columns = quasi.map((q) => q.column);
  const cache = new Map<string, (string | null)[]>();
  const level = (q: number, l: number) => {
    const key = `${q}:${l}`;
    let col = cache.get(key);
    if (!col) {
      const mask = l === 0 ? undefined : [quasi[q]!.hierarchy[l - 1]!];
      col = quasiColumns(rows, [columns[q]!], mask, options.context)[0]!;
      cache.set(key, col);
    }
    return col;
  };
  const weights = options.weights;
  const total = classSize(
    rows.map((_, i) => i),
    weights,
  );
  const budget = Math.floor((options.maxSuppression ?? 0) * total);
  const maxLevels = quasi.map((q) => q.hierarchy.length);
  const minLevels = quasi.map((_, i) => Math.min(options.minLevels?.[i] ?? 0, maxLevels[i]!));
  const maxHeight = maxLevels.reduce((a, b) => a + b, 0);
  const minHeight = minLevels.reduce((a, b) => a + b, 0);
  let evaluated = 0;
  let best: { levels: number[]; suppressed: number[]; dropped: number; loss: number } | undefined;
  for (let h = minHeight; h <= maxHeight && !best && evaluated < (options.maxNodes ?? 20_000); h++) {
    for (const levels of nodesOfHeight(maxLevels, minLevels, h)) {
      if (++evaluated > (options.maxNodes ?? 20_000)) break;
      const classes = equivalenceClasses(
        levels.map((l, q) => level(q, l)),
        rows.length,
      );
      const suppressed: number[] = [];
      let dropped = 0;
      let loss = 0;
      for (const members of classes.values()) {
        const size = classSize(members, weights);
        if (size < k) {
          suppressed.push(...members);
          dropped += size;
        } else loss += size * size;
      }
      if (dropped > budget) continue;
      loss += dropped * total;
      if (!best || dropped < best.dropped || (dropped === best.dropped && loss < best.loss)) {
        best = { levels, suppressed, dropped, loss };
      }
    }
  }
  const levels = best?.levels ?? maxLevels;
  const masks = quasi.map((q, i) => ({
    column: q.column,
    mask: levels[i] === 0 ? ({ kind: 'none' } as MaskSpec) : q.hierarchy[levels[i]! - 1]!,
  }));
  const dropped = new Set(best?.suppressed ?? []);
  const keptIndexes = rows.map((_, i) => i).filter((i) => !dropped.has(i));
  const report = kAnonymity(
    keptIndexes.map((i) => rows[i]!),
    columns,
    {
      masks: masks.map((m) => m.mask),
      context: options.context,
      ...(weights ? { weights: keptIndexes.map((i) => weights[i]!) } : {}),
    },
  );
  return {
    ok: !!best,
    levels,
    masks,
    suppressedRows: best?.suppressed.sort((a, b) => a - b) ?? [],
    report,
    evaluated,
  };
}
