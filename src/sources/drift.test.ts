import { describe, expect, it } from 'vitest';
import { detectDrift } from './drift.js';
import type { DescribedColumn } from './types.js';

const col = (name: string, type: DescribedColumn['type'], nativeType: string = type): DescribedColumn => ({
  name,
  type,
  nativeType,
  nullable: true,
});

describe('detectDrift', () => {
  it('reports nothing when every expected column is there with its type, extra columns allowed', () => {
    const drift = detectDrift(
      [{ name: 'id', type: 'integer' }],
      [col('id', 'integer', 'bigint'), col('new', 'string')],
    );
    expect(drift).toEqual({ missing: [], retyped: [], drifted: false });
  });

  it('reports missing and retyped columns', () => {
    const drift = detectDrift(
      [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
        { name: '出生日期', type: 'date' },
      ],
      [col('id', 'string', 'text'), col('出生日期', 'date')],
    );
    expect(drift).toEqual({
      missing: ['name'],
      retyped: [{ name: 'id', expected: 'integer', actual: 'string', nativeType: 'text' }],
      drifted: true,
    });
  });
});
