import type { Filter, SortKey } from '../plan.js';
import { checkValue } from '../sql/filters.js';
import type { DescribedColumn } from '../types.js';

type Value = unknown;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMERIC_TYPES = new Set(['integer', 'number', 'decimal']);

// A value as a SQL number column would hold it (finite, decimal notation), or undefined: not
// Number(), which reads '' and ' ' as 0, true as 1, 'abc' as NaN and '0x10' as 16.
function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return undefined;
}

// Compares as the SQL sources would: numbers numerically, everything else as text. When a
// number is compared with something that is not one, the answer is NaN, and every predicate
// over NaN (=, <, >=, …) is false: such a row matches no condition, as a failed cast would not
// either (NaN once compared as equal, so rows that a grant's row filter excludes passed).
function compareValues(a: Value, b: Value, numeric = false): number {
  if (numeric || typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x === undefined || y === undefined) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// A total order for sorting: where `compare` has no answer, numbers come before other values,
// and those are ordered as text.
function sortCompare(a: Value, b: Value, numeric: boolean): number {
  const c = compareValues(a, b, numeric);
  if (!Number.isNaN(c)) return c;
  const [x, y] = [asNumber(a) !== undefined, asNumber(b) !== undefined];
  if (x !== y) return x ? -1 : 1;
  return compareValues(JSON.stringify(a), JSON.stringify(b));
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
  const numeric = NUMERIC_TYPES.has(column.type);
  const compare = (a: Value, b: Value) => compareValues(a, b, numeric);
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
  columnOf?: (name: string) => DescribedColumn,
): (a: Value[], b: Value[]) => number {
  const keys = sort.map((k) => ({
    i: indexOf(k.column),
    sign: k.direction === 'asc' ? 1 : -1,
    numeric: columnOf ? NUMERIC_TYPES.has(columnOf(k.column).type) : false,
  }));
  return (a, b) => {
    for (const { i, sign, numeric } of keys) {
      const x = a[i];
      const y = b[i];
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull !== yNull) return xNull ? 1 : -1;
        continue;
      }
      const c = sortCompare(x, y, numeric) * sign;
      if (c !== 0) return c;
    }
    return 0;
  };
}
