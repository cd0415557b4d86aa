import type { Filter, SortKey } from '../plan.js';
import { checkValue } from '../sql/filters.js';
import type { DescribedColumn } from '../types.js';

type Value = unknown;

// Compares as the SQL sources would: numbers numerically, everything else as text.
function compare(a: Value, b: Value): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/**
 * A predicate over value arrays that applies the plan's filters with SQL's meaning (NULL matches
 * nothing but `is_null`). HTTP sources cannot push filters down, so they run here, after fetching.
 */
export function rowMatcher(
  filters: Filter[],
  indexOf: (name: string) => number,
  columnOf: (name: string) => DescribedColumn,
): (row: Value[]) => boolean {
  const tests = filters.map((f) => filterTest(f, indexOf(f.column), columnOf(f.column)));
  return (row) => tests.every((t) => t(row));
}

const present = (v: Value) => v !== null && v !== undefined;

function filterTest(f: Filter, i: number, column: DescribedColumn): (row: Value[]) => boolean {
  switch (f.op) {
    case 'eq': {
      const want = checkValue(column, f.value);
      return (row) => present(row[i]) && compare(row[i], want) === 0;
    }
    case 'in': {
      const wants = f.values.map((v) => checkValue(column, v));
      return (row) => present(row[i]) && wants.some((w) => compare(row[i], w) === 0);
    }
    case 'range': {
      const min = f.min === undefined ? undefined : checkValue(column, f.min);
      const max = f.max === undefined ? undefined : checkValue(column, f.max);
      return (row) =>
        present(row[i]) &&
        (min === undefined || compare(row[i], min) >= 0) &&
        (max === undefined || (f.maxInclusive ? compare(row[i], max) <= 0 : compare(row[i], max) < 0));
    }
    case 'like': {
      const re = likeRegExp(f.pattern);
      return (row) => typeof row[i] === 'string' && re.test(row[i] as string);
    }
    case 'is_null':
      return (row) => present(row[i]) !== f.value;
  }
}

/** A comparator for the plan's sort keys, NULLs last as on the SQL sources. */
export function rowComparator(
  sort: SortKey[],
  indexOf: (name: string) => number,
): (a: Value[], b: Value[]) => number {
  const keys = sort.map((k) => ({ i: indexOf(k.column), sign: k.direction === 'asc' ? 1 : -1 }));
  return (a, b) => {
    for (const { i, sign } of keys) {
      const x = a[i];
      const y = b[i];
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull !== yNull) return xNull ? 1 : -1;
        continue;
      }
      const c = compare(x, y) * sign;
      if (c !== 0) return c;
    }
    return 0;
  };
}
