// Small-cell suppression (小数抑制) over the rows of one answer. Each row carries its source-row
// count; a row under k is suppressed (primary). Since a total minus the rows shown gives the
// suppressed rows' aggregate, suppression goes on (secondary) until, in every marginal of the GROUP
// BY keys (each subset of them, the empty one being the grand total), the rows suppressed together
// are none or at least k: what a differencing against any coarser grouping reveals is itself an
// aggregate of at least k rows.

/** One output row as the checks see it. */
export interface CountedRow {
  /** The rows its every aggregate reads (the least of count(*) and each aggregated column's count). */
  rows: number;
  /** Its GROUP BY key values, as JSON text. */
  keys: string[];
}

/** Which rows are suppressed (by index), and why. */
export interface Suppression {
  suppressed: Set<number>;
  primary: number;
  secondary: number;
}

/** Every subset of key positions except the whole set: the marginals a differencing can use. */
function marginals(keyCount: number): number[][] {
  const subsets: number[][] = [];
  for (let mask = 0; mask < 2 ** keyCount - 1; mask++)
    subsets.push([...Array(keyCount).keys()].filter((i) => mask & (1 << i)));
  return subsets;
}

/** Suppresses rows under k, then more rows until every marginal's suppressed total is 0 or ≥ k. */
export function suppressSmallCells(rows: CountedRow[], k: number): Suppression {
  const suppressed = new Set<number>();
  rows.forEach((row, i) => {
    if (row.rows < k) suppressed.add(i);
  });
  const primary = suppressed.size;
  const keyCount = rows[0]?.keys.length ?? 0;
  const subsets = marginals(keyCount);
  for (let changed = primary > 0; changed; ) {
    changed = false;
    for (const subset of subsets) {
      const parents = new Map<string, number[]>();
      rows.forEach((row, i) => {
        const parent = JSON.stringify(subset.map((s) => row.keys[s]));
        parents.set(parent, [...(parents.get(parent) ?? []), i]);
      });
      for (const members of parents.values()) {
        const hidden = members.filter((i) => suppressed.has(i));
        const total = hidden.reduce((sum, i) => sum + rows[i]!.rows, 0);
        if (total === 0 || total >= k) continue;
        // The smallest row still shown goes too: the least information lost.
        const next = members
          .filter((i) => !suppressed.has(i))
          .sort((a, b) => rows[a]!.rows - rows[b]!.rows)[0];
        if (next === undefined) continue;
        suppressed.add(next);
        changed = true;
      }
    }
  }
  return { suppressed, primary, secondary: suppressed.size - primary };
}
