import { describe, expect, it } from 'vitest';
import { suppressSmallCells } from './suppress.js';

const row = (rows: number, ...keys: string[]) => ({ rows, keys });

describe('small-cell suppression across marginals', () => {
  it('withholds rows under k, and the smallest other row when the total would reveal them', () => {
    // 鼓楼 24, 台江 13, 晋安 3: the grand total minus 鼓楼 and 台江 would give 晋安's 3 rows.
    const result = suppressSmallCells([row(24, '鼓楼'), row(13, '台江'), row(3, '晋安')], 10);
    expect([...result.suppressed].sort()).toEqual([1, 2]);
    expect(result).toMatchObject({ primary: 1, secondary: 1 });
  });

  it('leaves an answer alone when nothing is under k, or the withheld rows already reach k', () => {
    expect(suppressSmallCells([row(10, 'a'), row(11, 'b')], 10).suppressed.size).toBe(0);
    const two = suppressSmallCells([row(30, 'a'), row(6, 'b'), row(5, 'c')], 10);
    expect([...two.suppressed].sort()).toEqual([1, 2]);
  });

  it('protects every marginal of two keys: a district total minus its shown sex gives the other', () => {
    // (D, 男) has 1 row; D's total over both sexes and the 男 total over districts would reveal it.
    const rows = [row(11, 'D', '女'), row(1, 'D', '男'), row(20, 'E', '女'), row(12, 'E', '男')];
    const { suppressed } = suppressSmallCells(rows, 10);
    expect(suppressed.has(1)).toBe(true);
    // Within D, 女 goes too; within 男, E goes too.
    expect(suppressed.has(0)).toBe(true);
    expect(suppressed.has(3)).toBe(true);
    for (const keys of [[0], [1]]) {
      const groups = new Map<string, number>();
      rows.forEach((r, i) => {
        if (!suppressed.has(i)) return;
        const parent = keys.map((k) => r.keys[k]).join();
        groups.set(parent, (groups.get(parent) ?? 0) + r.rows);
      });
      for (const total of groups.values()) expect(total === 0 || total >= 10).toBe(true);
    }
  });
});
