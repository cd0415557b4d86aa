import { describe, expect, it } from 'vitest';
import { sumAdjustments } from './write-batch.js';

describe('sumAdjustments', () => {
  it('sums a batch per grant and day (one statement changes a counter once), dropping what nets to zero', () => {
    const g1 = '00000000-0000-4000-8000-000000000001';
    const g2 = '00000000-0000-4000-8000-000000000002';
    expect(
      JSON.parse(
        sumAdjustments([
          { grantId: g1, day: '2026-12-06', rows: -90 },
          undefined,
          { grantId: g1, day: '2026-12-06', rows: -99 },
          { grantId: g1, day: '2026-12-07', rows: 5 },
          { grantId: g2, day: '2026-12-06', rows: 3 },
          { grantId: g2, day: '2026-12-06', rows: -3 },
          { grantId: g1, day: '2026-12-07', rows: 0 },
        ])!,
      ),
    ).toEqual([
      { g: g1, d: '2026-12-06', r: -189 },
      { g: g1, d: '2026-12-07', r: 5 },
    ]);
    expect(sumAdjustments([undefined, { grantId: g1, day: '2026-12-06', rows: 0 }])).toBeNull();
  });
});
