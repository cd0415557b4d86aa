import { describe, expect, it } from 'vitest';
import { DEFAULT_MASKS, defaultMaskForKind } from './default-masks.js';
import { PERSONAL_INFO_KINDS } from './grades.js';
import { applyMask, parseMaskSpec } from './mask-js.js';
import type { MaskSpec } from './mask-spec.js';
import { maskSql } from './mask-sql.js';
import { lit, quoteIdent, regex } from './sql-dialects.js';

const refused = (f: () => unknown, code: string, message?: string) =>
  expect(f).toThrow(expect.objectContaining(message === undefined ? { code } : { code, message }));

describe('mask specs', () => {
  it('parse every kind with its parameters, and refuse anything else', () => {
    const good: MaskSpec[] = [
      { kind: 'none' },
      { kind: 'redact' },
      { kind: 'first', n: 0 },
      { kind: 'last', n: 1000 },
      { kind: 'keep', first: 6, last: 4 },
      { kind: 'hmac', keyId: 'k' },
      { kind: 'hmac' },
      { kind: 'null' },
      { kind: 'suppress' },
      { kind: 'year' },
      { kind: 'year', width: 100 },
      { kind: 'age-band', width: 200, top: 90 },
      { kind: 'age-band', width: 1 },
      { kind: 'region', level: 'province' },
      { kind: 'address' },
      { kind: 'id-number' },
      { kind: 'mobile' },
      { kind: 'name' },
      { kind: 'bank-card' },
    ];
    for (const spec of good) expect(parseMaskSpec(spec)).toEqual(spec);
    for (const bad of [
      null,
      { kind: 'bogus' },
      { kind: 'first' },
      { kind: 'first', n: -1 },
      { kind: 'first', n: 1001 },
      { kind: 'last', n: 1.5 },
      { kind: 'keep', first: 1 },
      { kind: 'hmac', keyId: '' },
      { kind: 'year', width: 0 },
      { kind: 'year', width: 101 },
      { kind: 'age-band', width: 0 },
      { kind: 'region', level: 'district' },
    ]) {
      refused(() => parseMaskSpec(bad), 'invalid_mask_spec');
      expect(() => parseMaskSpec(bad)).toThrow('invalid mask specification');
      try {
        parseMaskSpec(bad);
      } catch (e) {
        expect((e as { details: { issues: number } }).details.issues).toBeGreaterThan(0);
      }
    }
  });

  it('refuse an unknown kind in JS and SQL, and counts that are not non-negative integers in SQL', () => {
    const bogus = { kind: 'bogus' } as unknown as MaskSpec;
    refused(() => applyMask(bogus, 'x'), 'invalid_mask_spec', 'unknown mask bogus');
    refused(() => maskSql(bogus, '"x"', 'duckdb'), 'invalid_mask_spec', 'unknown mask bogus');
    const counts = 'mask counts are non-negative integers';
    refused(() => maskSql({ kind: 'first', n: -1 }, '"x"', 'postgres'), 'invalid_mask_spec', counts);
    refused(() => maskSql({ kind: 'keep', first: 1.5, last: 0 }, '"x"', 'postgres'), 'invalid_mask_spec');
    refused(() => maskSql({ kind: 'age-band', width: Number.NaN }, '"x"', 'mysql'), 'invalid_mask_spec');
  });
});

describe('default masks', () => {
  it('give every kind of personal information the documented mask (docs/privacy.md)', () => {
    expect(Object.keys(DEFAULT_MASKS).sort()).toEqual([...PERSONAL_INFO_KINDS].sort());
    const byMask = (kinds: string) =>
      Object.fromEntries(kinds.split(' ').map((k) => [k, DEFAULT_MASKS[k as never]]));
    expect(byMask('id-number mobile bank-card name address')).toEqual({
      'id-number': { kind: 'id-number' },
      mobile: { kind: 'mobile' },
      'bank-card': { kind: 'bank-card' },
      name: { kind: 'name' },
      address: { kind: 'address' },
    });
    expect(DEFAULT_MASKS['birth-date']).toEqual({ kind: 'year', width: 10 });
    expect(DEFAULT_MASKS.age).toEqual({ kind: 'age-band', width: 10, top: 90 });
    for (const k of ['gender', 'ethnicity', 'marital', 'religion', 'health', 'criminal-record'] as const)
      expect(DEFAULT_MASKS[k], k).toEqual({ kind: 'suppress' });
    for (const k of [
      'credit-code',
      'landline',
      'email',
      'passport',
      'plate',
      'ipv4',
      'ipv6',
      'biometric',
      'location',
      'financial',
    ] as const)
      expect(DEFAULT_MASKS[k], k).toEqual({ kind: 'redact' });
    expect(defaultMaskForKind(null)).toEqual({ kind: 'redact' });
    expect(defaultMaskForKind('ethnicity')).toEqual({ kind: 'suppress' });
  });
});

describe('SQL text safety', () => {
  it('quotes identifiers by doubling the quote character, and refuses NUL', () => {
    expect(quoteIdent('a"b`c', 'postgres')).toBe('"a""b`c"');
    expect(quoteIdent('a"b`c', 'duckdb')).toBe('"a""b`c"');
    expect(quoteIdent('a"b`c', 'mysql')).toBe('`a"b``c`');
    refused(() => quoteIdent('a\u0000b', 'postgres'), 'invalid_argument', 'identifier contains NUL');
  });

  it('refuses literals and patterns outside the safe alphabet', () => {
    expect(lit('欧阳 *+-_.9')).toBe("'欧阳 *+-_.9'");
    for (const bad of ["'", '\\', 'a;b', '"', '\n'])
      refused(() => lit(bad), 'invalid_argument', 'unsafe SQL literal refused');
    expect(regex('^([^区]{1,2}[省市])')).toBe("'^([^区]{1,2}[省市])'");
    for (const bad of ["a'b", 'a\\d', 'a\nb', 'a\u0000b'])
      refused(() => regex(bad), 'invalid_argument', 'unsafe SQL pattern refused');
  });
});
