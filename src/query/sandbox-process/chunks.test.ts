import { describe, expect, it } from 'vitest';
import { decimalOf, scaledDecimal } from './chunks.js';

describe('scaledDecimal', () => {
  const d = { width: 38, scale: 10 };

  it('scales plain decimal text up to the column scale', () => {
    expect(scaledDecimal('12.34', d)).toBe(123_400_000_000n);
    expect(scaledDecimal('-0.5', d)).toBe(-5_000_000_000n);
    expect(scaledDecimal('100', d)).toBe(1_000_000_000_000n);
    expect(scaledDecimal('000.1', d)).toBe(1_000_000_000n);
  });

  it('leaves to DuckDB what it cannot build exactly', () => {
    expect(scaledDecimal('1.12345678901', d)).toBeUndefined();
    expect(scaledDecimal('4.5e3', d)).toBeUndefined();
    expect(scaledDecimal('NaN', d)).toBeUndefined();
    expect(scaledDecimal('1'.repeat(29), d)).toBeUndefined();
    expect(scaledDecimal(' 1', d)).toBeUndefined();
  });
});

describe('decimalOf', () => {
  it('reads the width and scale of a DECIMAL column type', () => {
    expect(decimalOf('DECIMAL(38, 10)')).toEqual({ width: 38, scale: 10 });
    expect(decimalOf('VARCHAR')).toBeUndefined();
  });
});
