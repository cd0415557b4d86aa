// The staging-database channel against the machine's real PostgreSQL and MariaDB (a database of
// its own, huitong_stg_<random>, dropped afterwards): creation, order, position, types, bulk load.
import { describe, expect, it } from 'vitest';
import { testOutbound } from '../../../../test/support/services.js';
import {
  type Change,
  stagingBatch,
  stagingEvent,
  takeSeq,
  useStagingDatabase,
} from '../../../../test/support/staging.js';
import { readStagingPosition, stagingDriver } from './index.js';

describe.each(['postgres', 'mysql'] as const)('staging channel into %s', (dialect) => {
  const stg = useStagingDatabase(dialect);

  it('creates the table, loads the snapshot, then applies inserts, updates and deletes in order', async (t) => {
    if (!stg.available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: stg.config() });
    try {
      await driver.deliver(
        stagingBatch(
          'sub-1',
          [1, 2, 3].map((id) => ['insert', id] as Change),
          true,
        ),
      );
      expect((await stg.rows()).map((r) => Number(r.id))).toEqual([1, 2, 3]);
      await driver.deliver(
        stagingBatch('sub-1', [
          ['insert', 4],
          ['update', 2, { name: 'renamed' }],
          ['delete', 3],
          // Within one batch: a delete between two upserts of a key stays between them …
          ['update', 1, { name: 'first' }],
          ['delete', 1],
          ['insert', 1, { name: 'back again' }],
          // … and an insert, update, delete of one key leaves nothing.
          ['insert', 5],
          ['update', 5, { name: 'gone soon' }],
          ['delete', 5],
        ]),
      );
      const after = await stg.rows();
      expect(after.map((r) => [Number(r.id), r.name])).toEqual([
        [1, 'back again'],
        [2, 'renamed'],
        [4, 'person 4'],
      ]);
      expect(after[0]?.huitong_key_id).toBe('k00000001');
    } finally {
      await driver.close();
    }
  });

  it('types the columns from the item types, and keeps the values exact', async (t) => {
    if (!stg.available) return t.skip();
    const types = (await stg.db.exec(
      dialect === 'postgres'
        ? `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'people'`
        : `SELECT column_name AS name, column_type AS type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'people'`,
    )) as { name: string; type: string }[];
    const byName = Object.fromEntries(types.map((c) => [c.name, c.type.toLowerCase()]));
    expect(byName).toEqual(
      dialect === 'postgres'
        ? {
            huitong_key_id: 'text',
            id: 'bigint',
            name: 'text',
            born: 'date',
            income: 'numeric',
            score: 'double precision',
            active: 'boolean',
            seen_at: 'timestamp with time zone',
            extra: 'jsonb',
            id_card: 'text',
          }
        : {
            huitong_key_id: 'varchar(255)',
            id: 'bigint(20)',
            name: 'longtext',
            born: 'date',
            income: 'decimal(65,30)',
            score: 'double',
            active: 'tinyint(1)',
            seen_at: 'datetime(6)',
            extra: 'longtext',
            id_card: 'longtext',
          },
    );
    // The database itself computes with them: integer arithmetic, date arithmetic, exact decimals.
    const [row] = (await stg.db.exec(
      dialect === 'postgres'
        ? `SELECT id + 1 AS next, born + 1 AS day_after, income * 2 AS twice, active, seen_at::text AS seen, extra->'tags'->>1 AS tag FROM people WHERE id = 2`
        : `SELECT id + 1 AS next, CAST(born + INTERVAL 1 DAY AS CHAR) AS day_after, CAST(income * 2 AS DECIMAL(20,2)) AS twice, active, CAST(seen_at AS CHAR) AS seen, JSON_VALUE(extra, '$.tags[1]') AS tag FROM people WHERE id = 2`,
    )) as Record<string, unknown>[];
    expect(Number(row?.next)).toBe(3);
    expect(String(row?.twice)).toBe('2469.12');
    expect(row?.active === true || row?.active === 1).toBe(true);
    expect(row?.seen).toBe(
      dialect === 'postgres' ? '2026-01-02 03:04:05.678+00' : '2026-01-02 03:04:05.678000',
    );
    expect(row?.tag).toBe('b');
    const dayAfter = row?.day_after instanceof Date ? row.day_after : new Date(`${row?.day_after}T00:00:00`);
    expect([dayAfter.getFullYear(), dayAfter.getMonth() + 1, dayAfter.getDate()]).toEqual([1990, 2, 4]);
  });

  it('records its position there: a batch sent again changes nothing, a restart resumes', async (t) => {
    if (!stg.available) return t.skip();
    const cfg = stg.config({ table: 'replayed' });
    const first = stagingBatch('sub-2', [['insert', 10, { name: 'v1' }]]);
    const second = stagingBatch('sub-2', [['update', 10, { name: 'v2' }]]);
    let driver = stagingDriver({ policy: testOutbound, config: cfg });
    await driver.deliver(first);
    await driver.deliver(second);
    await driver.close();
    // A restart: a new driver, the first batch sent again (a crash before its ack), then both.
    driver = stagingDriver({ policy: testOutbound, config: cfg });
    try {
      await driver.deliver(first);
      expect((await stg.rows('replayed')).map((r) => r.name)).toEqual(['v2']);
      // A batch half applied before: only what is past the position is applied.
      const overlap = {
        ...second,
        events: [...second.events, stagingEvent(takeSeq(), ['update', 10, { name: 'v3' }])],
      };
      await driver.deliver(overlap);
      expect((await stg.rows('replayed')).map((r) => r.name)).toEqual(['v3']);
      const position = await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-2');
      expect(position).toEqual({
        lastSeq: overlap.events.at(-1)!.seq,
        lastEventId: overlap.events.at(-1)!.eventId,
      });
      expect(await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-unknown')).toBeNull();
      // A new subscription into the same table (the old one deleted) starts from an empty table.
      await driver.deliver(stagingBatch('sub-2b', [['insert', 11]], true));
      expect((await stg.rows('replayed')).map((r) => Number(r.id))).toEqual([11]);
    } finally {
      await driver.close();
    }
  });

  it('keeps keyIds that differ only by case apart (they are base64url)', async (t) => {
    if (!stg.available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: stg.config({ table: 'cased' }) });
    try {
      const b = stagingBatch('sub-7', [
        ['insert', 1],
        ['insert', 2],
      ]);
      b.events[0]!.keyId = 'AbC-_1';
      b.events[1]!.keyId = 'abc-_1';
      await driver.deliver(b);
      expect((await stg.rows('cased')).map((r) => [Number(r.id), r.huitong_key_id])).toEqual([
        [1, 'AbC-_1'],
        [2, 'abc-_1'],
      ]);
    } finally {
      await driver.close();
    }
  });

  it('loads a large snapshot in bulk (several statements per batch)', async (t) => {
    if (!stg.available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: stg.config({ table: 'bulk' }) });
    try {
      const ids = Array.from({ length: 12_000 }, (_, i) => i + 1);
      await driver.deliver(
        stagingBatch(
          'sub-4',
          ids.map((id) => ['insert', id, { name: `tab\there\nline \\ ${id}` }] as Change),
          true,
        ),
      );
      const [count] = (await stg.db.exec('SELECT COUNT(*) AS n, MAX(id) AS top FROM bulk')) as {
        n: unknown;
        top: unknown;
      }[];
      expect([Number(count?.n), Number(count?.top)]).toEqual([12_000, 12_000]);
      const [one] = (await stg.db.exec('SELECT name FROM bulk WHERE id = 7')) as { name: string }[];
      expect(one?.name).toBe('tab\there\nline \\ 7');
      // A snapshot row sent again (a later batch) counts as the newer state; the first change
      // after the snapshot finds one row per key (PostgreSQL adds its primary key only then).
      await driver.deliver(
        stagingBatch(
          'sub-4',
          [
            ['insert', 7, { name: 'again' }],
            ['insert', 12_001],
          ],
          true,
        ),
      );
      await driver.deliver(stagingBatch('sub-4', [['update', 8, { name: 'changed' }]]));
      expect(await stg.db.exec('SELECT id, name FROM bulk WHERE id IN (7, 8, 12001) ORDER BY id')).toEqual([
        { id: dialect === 'postgres' ? '7' : 7, name: 'again' },
        { id: dialect === 'postgres' ? '8' : 8, name: 'changed' },
        { id: dialect === 'postgres' ? '12001' : 12001, name: 'person 12001' },
      ]);
      if (dialect === 'postgres')
        expect(
          await stg.db.exec(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'bulk'::regclass AND i.indisprimary`),
        ).toEqual([{ attname: 'huitong_key_id' }]);
      // Once keyed, a snapshot row sent again still replaces the row rather than failing.
      await driver.deliver(stagingBatch('sub-4', [['insert', 9, { name: 'third time' }]], true));
      expect(await stg.db.exec('SELECT name FROM bulk WHERE id = 9')).toEqual([{ name: 'third time' }]);
      const [total] = (await stg.db.exec('SELECT COUNT(*) AS n FROM bulk')) as { n: unknown }[];
      expect(Number(total?.n)).toBe(12_001);
    } finally {
      await driver.close();
    }
  });

  it('writes into the schema named (PostgreSQL); a missing schema is retryable', async (t) => {
    if (!stg.available || dialect !== 'postgres') return t.skip();
    await stg.db.exec('CREATE SCHEMA stg');
    const driver = stagingDriver({
      policy: testOutbound,
      config: stg.config({ schema: 'stg', table: 'people' }),
    });
    const missing = stagingDriver({
      policy: testOutbound,
      config: stg.config({ schema: 'nope', table: 'people' }),
    });
    try {
      await driver.deliver(stagingBatch('sub-8', [['insert', 1]], true));
      expect(await stg.db.exec('SELECT id, name FROM stg.people')).toEqual([{ id: '1', name: 'person 1' }]);
      expect(await stg.db.exec(`SELECT subscription_id FROM stg.huitong_delivery_positions`)).toEqual([
        { subscription_id: 'sub-8' },
      ]);
      await expect(missing.deliver(stagingBatch('sub-9', [['insert', 1]]))).rejects.toMatchObject({
        code: 'staging_schema_missing',
        retryable: true,
      });
    } finally {
      await driver.close();
      await missing.close();
    }
  });
});
