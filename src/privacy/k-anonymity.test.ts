import { describe, expect, it } from 'vitest';
import { ageHierarchy, dateHierarchy, regionHierarchy, suppressOnly } from './hierarchies.js';
import { kAnonymity } from './k-anonymity.js';
import { generaliseToK } from './k-anonymity-search.js';
import { hierarchyOf, quasiKindOf } from './quasi-identifiers.js';

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

  it('measures and generalises grouped tuples by their counts as it would the rows', () => {
    // The same table as distinct (region, gender) tuples with their counts, as a GROUP BY returns them.
    const counts = new Map<string, number>();
    for (const r of rows)
      counts.set(`${r.region}|${r.gender}`, (counts.get(`${r.region}|${r.gender}`) ?? 0) + 1);
    const tuples = [...counts.keys()].map((key) => ({
      region: key.split('|')[0],
      gender: key.split('|')[1],
    }));
    const weights = [...counts.values()];
    const quasi = [
      { column: 'region', hierarchy: regionHierarchy() },
      { column: 'gender', hierarchy: suppressOnly() },
    ];
    const byRows = kAnonymity(rows, ['region', 'gender']);
    expect(kAnonymity(tuples, ['region', 'gender'], { weights })).toMatchObject({
      rowCount: 240,
      k: byRows.k,
      classCount: byRows.classCount,
    });
    const k = 50;
    const fromRows = generaliseToK(rows, quasi, { k });
    const fromTuples = generaliseToK(tuples, quasi, { k, weights });
    expect(fromTuples.levels).toEqual(fromRows.levels);
    expect(fromTuples.report.k).toBe(fromRows.report.k);
  });

  it('never goes below the least level asked for (a personal item never in clear)', () => {
    const quasi = [{ column: 'region', hierarchy: regionHierarchy() }];
    expect(generaliseToK(rows, quasi, { k: 2 }).levels).toEqual([0]);
    expect(generaliseToK(rows, quasi, { k: 2, minLevels: [1] })).toMatchObject({
      ok: true,
      levels: [1],
      masks: [{ column: 'region', mask: { kind: 'region', level: 'city' } }],
    });
  });

  it('proposes quasi-identifiers from item names and types, each with its hierarchy', () => {
    const kind = (name: string, field?: string, dataType = 'string') =>
      quasiKindOf({ name, field, dataType });
    expect(kind('行政区划代码')).toBe('region');
    expect(kind('所在地', 'xzqh')).toBe('region');
    expect(kind('性别')).toBe('gender');
    expect(kind('年龄')).toBe('age');
    expect(kind('出生日期', 'csrq')).toBe('birth-date');
    expect(kind('职业')).toBe('occupation');
    expect(kind('家庭住址')).toBe('address');
    expect(kind('登记日期', undefined, 'date')).toBe('date');
    expect(kind('保障金额', 'je', 'number')).toBeNull();
    expect(hierarchyOf('birth-date').at(-1)).toEqual({ kind: 'suppress' });
    expect(hierarchyOf('region')[0]).toEqual({ kind: 'region', level: 'city' });
  });
});
