import { describe, expect, it } from 'vitest';
import { ageHierarchy, dateHierarchy, regionHierarchy, suppressOnly } from './hierarchies.js';
import { kAnonymity } from './k-anonymity.js';
import { generaliseToK } from './k-anonymity-search.js';

// A deterministic table: ages 20–69, six districts of two cities of Fujian, two genders.
const districts = ['350102', '350103', '350104', '350203', '350205', '350206'];
const rows = Array.from({ length: 240 }, (_, i) => ({
  age: 20 + ((i * 37) % 50),
  region: districts[(i * 7) % 6],
  gender: i % 2 ? '男' : '女',
  born: `19${60 + ((i * 11) % 40)}-0${1 + (i % 9)}-15`,
}));

describe('k-anonymity', () => {
  it('reports k, the class count and the smallest classes', () => {
    const small = [
      { a: 1, b: 'x' },
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: null, b: 'y' },
    ];
    const report = kAnonymity(small, ['a', 'b']);
    expect(report).toMatchObject({ rowCount: 4, k: 1, classCount: 3 });
    expect(report.smallest[0]!.size).toBe(1);
    expect(report.smallest[2]).toEqual({ values: { a: '1', b: 'x' }, size: 2 });
    expect(kAnonymity([], ['a']).k).toBeNull();
  });

  it('finds the least generalisation that reaches k', () => {
    const quasi = [
      { column: 'age', hierarchy: ageHierarchy([5, 10, 20]) },
      { column: 'region', hierarchy: regionHierarchy() },
      { column: 'gender', hierarchy: suppressOnly() },
    ];
    expect(kAnonymity(rows, ['age', 'region', 'gender']).k).toBeLessThan(5);
    const result = generaliseToK(rows, quasi, { k: 5 });
    expect(result.ok).toBe(true);
    expect(result.report.k).toBeGreaterThanOrEqual(5);
    expect(result.suppressedRows).toEqual([]);
    // Minimal: lowering any single level breaks k.
    for (let q = 0; q < quasi.length; q++) {
      if (result.levels[q] === 0) continue;
      const lower = result.masks.map((m, i) =>
        i === q
          ? result.levels[q]! > 1
            ? quasi[q]!.hierarchy[result.levels[q]! - 2]!
            : { kind: 'none' as const }
          : m.mask,
      );
      expect(kAnonymity(rows, ['age', 'region', 'gender'], { masks: lower }).k!).toBeLessThan(5);
    }
  });

  it('trades generalisation for suppression within the allowed share', () => {
    const quasi = [{ column: 'born', hierarchy: dateHierarchy() }];
    const strict = generaliseToK(rows, quasi, { k: 3 });
    const loose = generaliseToK(rows, quasi, { k: 3, maxSuppression: 0.2 });
    expect(loose.levels[0]!).toBeLessThanOrEqual(strict.levels[0]!);
    expect(loose.suppressedRows.length).toBeLessThanOrEqual(48);
    expect(loose.report.k!).toBeGreaterThanOrEqual(3);
  });

  it('handles empty tables and refuses bad arguments', () => {
    expect(generaliseToK([], [{ column: 'a', hierarchy: suppressOnly() }], { k: 2 })).toMatchObject({
      ok: true,
      levels: [0],
    });
    expect(() => generaliseToK(rows, [], { k: 2 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => generaliseToK(rows, [{ column: 'a', hierarchy: [] }], { k: 0 })).toThrow(/positive/);
  });
});
