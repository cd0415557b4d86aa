import { describe, expect, it } from 'vitest';
import type { DeliveredEvent } from '../../events.js';
import { StagingConfigSchema } from './config.js';
import { planBatch } from './plan.js';
import { stagingColumns } from './table.js';
import { copyLine } from './values.js';

const ev = (seq: number, op: string, key: string, name?: string): DeliveredEvent => ({
  seq,
  eventId: `e${seq}`,
  op,
  key: {},
  keyId: key,
  row: op === 'delete' ? null : { name: name ?? key },
  createdAt: '',
});

describe('planBatch', () => {
  it('keeps the order of upserts and deletes per key, one statement per run', () => {
    const plan = planBatch(
      [
        ev(1, 'insert', 'a'),
        ev(2, 'update', 'a', 'a2'),
        ev(3, 'insert', 'b'),
        ev(4, 'delete', 'a'),
        ev(5, 'insert', 'a', 'a3'),
      ],
      0,
    );
    expect(plan.steps).toEqual([
      { op: 'upsert', events: [ev(2, 'update', 'a', 'a2'), ev(3, 'insert', 'b')] },
      { op: 'delete', keyIds: ['a'] },
      { op: 'upsert', events: [ev(5, 'insert', 'a', 'a3')] },
    ]);
    expect(plan.last).toEqual({ seq: 5, eventId: 'e5' });
  });

  it('skips what the recorded position already covers', () => {
    const plan = planBatch([ev(3, 'insert', 'a'), ev(4, 'delete', 'a'), ev(5, 'insert', 'b')], 4);
    expect(plan.steps).toEqual([{ op: 'upsert', events: [ev(5, 'insert', 'b')] }]);
    expect(planBatch([ev(3, 'insert', 'a')], 3)).toEqual({ steps: [], last: null, fresh: 0 });
  });

  it('refuses an event it cannot write (not retryable)', () => {
    expect(() => planBatch([ev(1, 'truncate', 'a')], 0)).toThrow(
      expect.objectContaining({ code: 'staging_event_invalid', retryable: false }),
    );
  });
});

describe('staging names and values', () => {
  it('refuses names that cannot be columns, and the platform’s own names', () => {
    expect(() => stagingColumns('postgres', [{ name: 'huitong_key_id', type: 'string' }])).toThrow(
      expect.objectContaining({ code: 'staging_column_invalid' }),
    );
    expect(() =>
      stagingColumns('mysql', [
        { name: 'Name', type: 'string' },
        { name: 'name', type: 'string' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'staging_column_invalid' }));
    expect(() => stagingColumns('postgres', [{ name: 'x'.repeat(64), type: 'string' }])).toThrow();
    // Quotes are no trouble: identifiers are quoted, never pasted.
    expect(stagingColumns('postgres', [{ name: 'a"b`c', type: 'masked' }])[1]).toMatchObject({
      kind: 'text',
      ddl: 'text',
    });
    const base = { dialect: 'postgres', host: 'db.example', port: 5432, database: 'd', user: 'u' };
    expect(StagingConfigSchema.safeParse({ ...base, table: 'people; drop table x' }).success).toBe(false);
    expect(StagingConfigSchema.safeParse({ ...base, table: 'a'.repeat(64) }).success).toBe(false);
    expect(StagingConfigSchema.safeParse({ ...base, table: 'huitong_delivery_positions' }).success).toBe(
      false,
    );
    expect(
      StagingConfigSchema.safeParse({ ...base, dialect: 'mysql', schema: 's', table: 't' }).success,
    ).toBe(false);
    expect(StagingConfigSchema.parse({ ...base, table: 'people' })).toMatchObject({
      password: '',
      table: 'people',
    });
  });

  it('escapes COPY text rows', () => {
    expect(copyLine(['a\tb\nc\\d\re', null, true, 3])).toBe('a\\tb\\nc\\\\d\\re\t\\N\tt\t3\n');
  });
});
