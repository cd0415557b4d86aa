import { describe, expect, it } from 'vitest';
import { remoteFilter } from './remote-table.js';

const int = (value: number) => ({ kind: 'integer' as const, value });
const text = (value: string) => ({ kind: 'text' as const, value });

// What a remote resource's read is asked to leave out: the SQL's pushable conjuncts in the rows
// API's filter language, never one that would leave out a row the SQL keeps.
describe('remoteFilter', () => {
  it('says equality, lists, LIKE, NULL tests and integer ranges in the rows API’s language', () => {
    expect(
      remoteFilter({
        predicates: [
          { column: 'qh', op: '=', value: text('350102') },
          { column: 'age', op: '>', value: int(17) },
          { column: 'age', op: '<', value: int(60) },
          { column: 'n', op: '<=', value: int(3) },
          { column: 'n', op: '>=', value: int(1) },
          { column: 'kind', op: 'in', values: [text('a'), text('b')] },
          { column: 'xm', op: 'like', pattern: '张%' },
          { column: 'sjhm', op: 'is_not_null' },
          { column: 'yhkh', op: 'is_null' },
        ],
      }),
    ).toEqual([
      { column: 'qh', op: 'eq', value: '350102' },
      { column: 'age', op: 'range', min: 18, maxInclusive: true },
      { column: 'age', op: 'range', max: 60, maxInclusive: false },
      { column: 'n', op: 'range', max: 3, maxInclusive: true },
      { column: 'n', op: 'range', min: 1, maxInclusive: true },
      { column: 'kind', op: 'in', values: ['a', 'b'] },
      { column: 'xm', op: 'like', pattern: '张%' },
      { column: 'sjhm', op: 'is_null', value: false },
      { column: 'yhkh', op: 'is_null', value: true },
    ]);
  });

  it('leaves out what the language cannot say, and keeps at most 50 conditions', () => {
    expect(
      remoteFilter({
        predicates: [
          { column: 'qh', op: '<>', value: text('350102') },
          { column: 'qh', op: 'not_in', values: [text('1')] },
        ],
      }),
    ).toEqual([]);
    expect(remoteFilter(undefined)).toEqual([]);
    const many = Array.from({ length: 60 }, (_, i) => ({ column: 'n', op: '=' as const, value: int(i) }));
    expect(remoteFilter({ predicates: many })).toHaveLength(50);
  });
});
