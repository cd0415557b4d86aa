import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { CopyUnsupported } from './connector.js';
import { copyLiteral } from './postgres-copy.js';

// COPY takes no parameters, so its values are literals: each must mean, on a real server, exactly
// what the same value bound as a parameter means, whatever its text holds.
const up = await serviceAvailable('postgres');
const NASTY = [
  'plain',
  "it's",
  'back\\slash',
  'quote"d',
  '{braces}',
  'a,b',
  'NULL',
  '',
  ' padded ',
  '区划代码',
  "'); DROP TABLE x; --",
  'new\nline',
];

describe.skipIf(!up)('COPY literals', () => {
  const client = new pg.Client(SERVICES.postgres.url);
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  const same = async (value: unknown, cast: string) => {
    const { rows } = await client.query(
      `SELECT CAST(${copyLiteral(value)} AS ${cast}) IS NOT DISTINCT FROM CAST($1 AS ${cast}) AS same`,
      [value],
    );
    return rows[0].same as boolean;
  };

  it('says what the bound parameter says, for scalars and for arrays of join keys', async () => {
    for (const text of NASTY) expect(await same(text, 'TEXT'), text).toBe(true);
    expect(await same(NASTY, 'TEXT[]')).toBe(true);
    expect(await same([...NASTY, null], 'TEXT[]')).toBe(true);
    expect(await same([1n, -2n, 9007199254740993n], 'BIGINT[]')).toBe(true);
    expect(await same([1, 2.5, -3], 'NUMERIC[]')).toBe(true);
    expect(await same([], 'TEXT[]')).toBe(true);
    expect(await same(42n, 'BIGINT')).toBe(true);
    expect(await same(true, 'BOOLEAN')).toBe(true);
    expect(await same(null, 'TEXT')).toBe(true);
  });

  it('refuses what a literal cannot carry, so that the read takes the row path', () => {
    for (const value of [
      'nul\u0000byte',
      ['ok', 'nul\u0000byte'],
      [Number.NaN],
      Number.POSITIVE_INFINITY,
      [{ nested: 1 }],
      [['nested']],
      { object: true },
    ])
      expect(() => copyLiteral(value), JSON.stringify(String(value))).toThrow(CopyUnsupported);
  });
});
