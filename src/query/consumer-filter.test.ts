import { describe, expect, it } from 'vitest';
import { type ConsumerFilter, ConsumerFilterSchema, rowPredicate } from './consumer-filter.js';

// Conditions on masked columns run here, on the values the consumer sees: each must keep exactly
// the rows it names, so that it can neither probe a hidden value nor let a row it excludes through.
const keep = (
  filter: { op: ConsumerFilter['op'] } & Record<string, unknown>,
  values: unknown[],
  index = 1,
) => {
  const test = rowPredicate(ConsumerFilterSchema.parse({ column: 'c', ...filter }), index);
  return values.filter((v) => test(index === 1 ? ['other', v] : [v]));
};

describe('rowPredicate', () => {
  it('eq compares as text and never matches a null', () => {
    expect(keep({ op: 'eq', value: '3501' }, ['3501', 3501, '35011', null, undefined, '350'])).toEqual([
      '3501',
      3501,
    ]);
    expect(keep({ op: 'eq', value: 'null' }, [null, 'null'])).toEqual(['null']);
    // The column read is the one given.
    expect(keep({ op: 'eq', value: 'x' }, ['x', 'y'], 0)).toEqual(['x']);
  });

  it('in matches any listed value as text, never a null', () => {
    expect(keep({ op: 'in', values: ['a', 2] }, ['a', 'b', 2, '2', null, 'null'])).toEqual(['a', 2, '2']);
    expect(keep({ op: 'in', values: ['null'] }, [null, 'null'])).toEqual(['null']);
  });

  it('range: min inclusive, max inclusive unless said otherwise, numbers as numbers', () => {
    expect(keep({ op: 'range', min: 18, max: 60 }, [17, 18, 30, 60, 61, '20', null, undefined])).toEqual([
      18,
      30,
      60,
      '20',
    ]);
    expect(keep({ op: 'range', min: 18, max: 60, maxInclusive: false }, [18, 59, 60])).toEqual([18, 59]);
    expect(keep({ op: 'range', min: 10 }, [9, 10, 1e9])).toEqual([10, 1e9]);
    expect(keep({ op: 'range', max: 10 }, [-5, 10, 11])).toEqual([-5, 10]);
    // Text compares as text: '9' sorts after '10'.
    expect(keep({ op: 'range', min: 'b', max: 'd' }, ['a', 'b', 'c', 'd', 'e'])).toEqual(['b', 'c', 'd']);
    expect(keep({ op: 'range', min: '10', max: '20' }, ['9', '10', '15', '20', '21'])).toEqual([
      '10',
      '15',
      '20',
    ]);
    expect(keep({ op: 'range', min: 'b', max: 'b', maxInclusive: false }, ['b'])).toEqual([]);
    expect(keep({ op: 'range' }, ['x', null])).toEqual(['x']);
    // A number on either side compares as numbers: text '9' is below 10, 9 is below text '10'.
    expect(keep({ op: 'range', min: 10 }, ['9', '10', '100'])).toEqual(['10', '100']);
    expect(keep({ op: 'range', min: '10' }, [9, 10, 100])).toEqual([10, 100]);
    expect(keep({ op: 'range', max: 10 }, ['9', '100'])).toEqual(['9']);
    // A missing bound is no bound, for text too ('a' sorts before 'undefined').
    expect(keep({ op: 'range', max: 'm' }, ['a', 'z'])).toEqual(['a']);
    expect(keep({ op: 'range', min: 'b' }, ['a', 'z'])).toEqual(['z']);
  });

  it('like: % any run, _ one character (a Chinese one too), anchored, every other character literal', () => {
    expect(keep({ op: 'like', pattern: '张%' }, ['张三', '张', '小张', null])).toEqual(['张三', '张']);
    expect(keep({ op: 'like', pattern: '张_' }, ['张三', '张', '张三丰'])).toEqual(['张三']);
    expect(keep({ op: 'like', pattern: '%1_' }, ['a1b', '1b', 'a1', 'a1bc'])).toEqual(['a1b', '1b']);
    // % spans line breaks, and regular-expression characters are plain text.
    expect(keep({ op: 'like', pattern: 'a%b' }, ['a\nb', 'ab', 'a\nc'])).toEqual(['a\nb', 'ab']);
    expect(keep({ op: 'like', pattern: 'a.c' }, ['a.c', 'abc'])).toEqual(['a.c']);
    expect(keep({ op: 'like', pattern: '(x)+[y]?$^|\\{2}*' }, ['(x)+[y]?$^|\\{2}*', 'xx'])).toEqual([
      '(x)+[y]?$^|\\{2}*',
    ]);
    expect(keep({ op: 'like', pattern: '%' }, ['', 'a', null])).toEqual(['', 'a']);
    expect(keep({ op: 'like', pattern: '_' }, ['a', '', 'ab', '😀'])).toEqual(['a', '😀']);
  });

  it('is_null: null and absent values, or the others', () => {
    expect(keep({ op: 'is_null' }, [null, undefined, '', 0])).toEqual([null, undefined]);
    expect(keep({ op: 'is_null', value: false }, [null, undefined, '', 0])).toEqual(['', 0]);
  });
});

describe('ConsumerFilterSchema', () => {
  it('takes the five operators with their own fields only', () => {
    for (const good of [
      { column: 'c', op: 'eq', value: 1 },
      { column: 'c', op: 'in', values: ['a'] },
      { column: 'c', op: 'range', min: 1 },
      { column: 'c', op: 'like', pattern: '%' },
      { column: 'c', op: 'is_null' },
    ])
      expect(ConsumerFilterSchema.safeParse(good).success, JSON.stringify(good)).toBe(true);
    expect(ConsumerFilterSchema.parse({ column: 'c', op: 'range' })).toMatchObject({ maxInclusive: true });
    expect(ConsumerFilterSchema.parse({ column: 'c', op: 'is_null' })).toMatchObject({ value: true });
    for (const bad of [
      { column: 'c', op: 'sql', value: '1=1' },
      { column: 'c', op: 'eq', value: 1, where: 'true' },
      { column: '', op: 'eq', value: 1 },
      { column: 'x'.repeat(129), op: 'eq', value: 1 },
      { column: 'c', op: 'in', values: [] },
      { column: 'c', op: 'in', values: Array.from({ length: 1001 }, (_, i) => i) },
      { column: 'c', op: 'eq', value: 'x'.repeat(10_001) },
      { column: 'c', op: 'like', pattern: '%'.repeat(1001) },
      { column: 'c', op: 'eq', value: { a: 1 } },
    ])
      expect(ConsumerFilterSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
  });
});
