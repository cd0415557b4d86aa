import { describe, expect, it } from 'vitest';
import type { Filter, SortKey } from '../plan.js';
import type { ColumnType, DescribedColumn } from '../types.js';
import { rowComparator, rowMatcher } from './match-filters.js';

// An HTTP JSON API hands back whatever its records hold: a number column may carry text,
// an empty string, a boolean or nothing. Issue 13 (finding 8): such a value compared as NaN,
// which compared as equal, so rows that a grant's row filter should have excluded passed.
const NAMES = ['id', 'amount'];
const column = (name: string, type: ColumnType): DescribedColumn => ({
  name,
  type,
  nativeType: type,
  nullable: true,
});
const COLUMNS: Record<string, DescribedColumn> = {
  id: column('id', 'integer'),
  amount: column('amount', 'number'),
};
const ROWS: unknown[][] = [
  [1, 5],
  [2, 'abc'],
  [3, ''],
  [4, ' '],
  [5, true],
  [6, '0x10'],
  [7, [5]],
  [8, Number.NaN],
  [9, '5'],
  [10, 20],
  [11, null],
];

const matching = (filters: Filter[]) => {
  const matches = rowMatcher(
    filters,
    (n) => NAMES.indexOf(n),
    (n) => COLUMNS[n]!,
  );
  return ROWS.filter(matches).map((r) => r[0]);
};

describe('HTTP JSON row filters', () => {
  it('never match a value that is not a number in a number column', () => {
    expect(matching([{ column: 'amount', op: 'eq', value: 5 }])).toEqual([1, 9]);
    expect(matching([{ column: 'amount', op: 'eq', value: '5' }])).toEqual([1, 9]);
    expect(matching([{ column: 'amount', op: 'eq', value: 0 }])).toEqual([]);
    expect(matching([{ column: 'amount', op: 'eq', value: 16 }])).toEqual([]);
    expect(matching([{ column: 'amount', op: 'eq', value: 1 }])).toEqual([]);
    expect(matching([{ column: 'amount', op: 'in', values: [0, 5, 16] }])).toEqual([1, 9]);
  });

  it('keep a grant’s range to the numbers inside it', () => {
    const range = (min?: number, max?: number) =>
      matching([{ column: 'amount', op: 'range', min, max, maxInclusive: true }]);
    expect(range(0, 10)).toEqual([1, 9]);
    expect(range(10)).toEqual([10]);
    expect(range(undefined, 4)).toEqual([]);
  });

  it('still compares numbers numerically, not as text', () => {
    expect(matching([{ column: 'amount', op: 'range', min: '10', maxInclusive: true }])).toEqual([10]);
    expect(matching([{ column: 'id', op: 'range', min: 9, maxInclusive: true }])).toEqual([9, 10, 11]);
  });

  it('sorts non-numbers after numbers and NULL last', () => {
    const sort: SortKey[] = [{ column: 'amount', direction: 'asc' }];
    const order = rowComparator(
      sort,
      (n) => NAMES.indexOf(n),
      (n) => COLUMNS[n]!,
    );
    for (const rows of [ROWS, [...ROWS].reverse()]) {
      const sorted = [...rows].sort(order).map((r) => r[0]);
      expect(new Set(sorted.slice(0, 2))).toEqual(new Set([1, 9]));
      expect(sorted[2]).toBe(10);
      expect(sorted.at(-1)).toBe(11);
    }
  });
});
