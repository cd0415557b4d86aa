// The staging-database channel against the machine's real PostgreSQL and MariaDB: each test
// writes into a database of its own (huitong_stg_<random>), dropped afterwards.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable, testOutbound } from '../../../../test/support/services.js';
import { createOutboundPolicy } from '../../../net/index.js';
import type { DeliveredEvent } from '../../events.js';
import { ChannelError, type PushBatch } from '../types.js';
import { readStagingPosition, type StagingConfig, StagingConfigSchema, stagingDriver } from './index.js';

type Dialect = 'postgres' | 'mysql';
const COLUMNS = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'born', type: 'date' },
  { name: 'income', type: 'decimal' },
  { name: 'score', type: 'number' },
  { name: 'active', type: 'boolean' },
  { name: 'seen_at', type: 'timestamp' },
  { name: 'extra', type: 'json' },
  { name: 'id_card', type: 'masked' },
];

// A small factory of batches: events get consecutive sequence numbers from `seq`.
let nextSeq = 1;
type Change = ['insert' | 'update', number, Partial<Record<string, unknown>>?] | ['delete', number];
function event(seq: number, change: Change): DeliveredEvent {
  const [op, id, extra] = change;
  const row =
    op === 'delete'
      ? null
      : {
          id,
          name: `person ${id}`,
          born: '1990-02-03',
          income: '1234.56',
          score: 0.5,
          active: true,
          seen_at: '2026-01-02T03:04:05.678Z',
          extra: { tags: ['a', 'b'] },
          id_card: '1101**********1234',
          ...extra,
        };
  return {
    seq,
    eventId: `ev-${seq}`,
    op,
    key: { id },
    keyId: `k${id.toString(16).padStart(8, '0')}`,
    row,
    createdAt: new Date().toISOString(),
  };
}
function batch(subscriptionId: string, changes: Change[], snapshot = false, from?: number): PushBatch {
  const start = from ?? nextSeq;
  const events = changes.map((c, i) => event(start + i, c));
  nextSeq = Math.max(nextSeq, start + changes.length);
  return {
    target: { subscriptionId, orgId: 'org', applicationId: 'app', resourceCode: 'R1' },
    events,
    columns: COLUMNS,
    keyColumns: ['id'],
    snapshot,
    body: JSON.stringify(events),
  };
}

interface Admin {
  exec(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}
async function admin(dialect: Dialect, database?: string): Promise<Admin> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ ...SERVICES.postgres, user: 'postgres', database: database ?? 'test' });
    await client.connect();
    return { exec: async (sql) => (await client.query(sql)).rows, end: () => client.end() };
  }
  const conn = await mysql.createConnection({
    host: SERVICES.mariadb.host,
    port: SERVICES.mariadb.port,
    user: 'root',
    database,
    dateStrings: true,
  });
  return { exec: async (sql) => (await conn.query(sql))[0] as unknown[], end: () => conn.end() };
}

const SERVICE = { postgres: 'postgres', mysql: 'mariadb' } as const;

describe.each(['postgres', 'mysql'] as const)('staging channel into %s', (dialect) => {
  const database = `huitong_stg_${randomBytes(5).toString('hex')}`;
  let available = false;
  let db: Admin;
  const config = (extra: Partial<StagingConfig> = {}): StagingConfig =>
    StagingConfigSchema.parse({
      dialect,
      host: '127.0.0.1',
      port: dialect === 'postgres' ? SERVICES.postgres.port : SERVICES.mariadb.port,
      database,
      user: dialect === 'postgres' ? 'postgres' : 'root',
      table: 'people',
      ...extra,
    });
  const rows = (table = 'people') =>
    db.exec(`SELECT * FROM ${table} ORDER BY id`) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    available = await serviceAvailable(SERVICE[dialect]);
    if (!available) return;
    const root = await admin(dialect);
    await root.exec(`CREATE DATABASE ${database}`);
    await root.end();
    db = await admin(dialect, database);
  });
  afterAll(async () => {
    if (!available) return;
    await db.end();
    const root = await admin(dialect);
    await root.exec(
      dialect === 'postgres' ? `DROP DATABASE ${database} WITH (FORCE)` : `DROP DATABASE ${database}`,
    );
    await root.end();
  });

  it('creates the table, loads the snapshot, then applies inserts, updates and deletes in order', async (t) => {
    if (!available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: config() });
    try {
      await driver.deliver(
        batch(
          'sub-1',
          [1, 2, 3].map((id) => ['insert', id] as Change),
          true,
        ),
      );
      expect((await rows()).map((r) => Number(r.id))).toEqual([1, 2, 3]);
      await driver.deliver(
        batch('sub-1', [
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
      const after = await rows();
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
    if (!available) return t.skip();
    const types = (await db.exec(
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
    const [row] = (await db.exec(
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
    if (!available) return t.skip();
    const cfg = config({ table: 'replayed' });
    const first = batch('sub-2', [['insert', 10, { name: 'v1' }]]);
    const second = batch('sub-2', [['update', 10, { name: 'v2' }]]);
    let driver = stagingDriver({ policy: testOutbound, config: cfg });
    await driver.deliver(first);
    await driver.deliver(second);
    await driver.close();
    // A restart: a new driver, the first batch sent again (a crash before its ack), then both.
    driver = stagingDriver({ policy: testOutbound, config: cfg });
    try {
      await driver.deliver(first);
      expect((await rows('replayed')).map((r) => r.name)).toEqual(['v2']);
      // A batch half applied before: only what is past the position is applied.
      const overlap = {
        ...second,
        events: [...second.events, event(second.events[0]!.seq + 1, ['update', 10, { name: 'v3' }])],
      };
      nextSeq++;
      await driver.deliver(overlap);
      expect((await rows('replayed')).map((r) => r.name)).toEqual(['v3']);
      const position = await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-2');
      expect(position).toEqual({
        lastSeq: overlap.events.at(-1)!.seq,
        lastEventId: overlap.events.at(-1)!.eventId,
      });
      expect(await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-unknown')).toBeNull();
      // A new subscription into the same table (the old one deleted) starts from an empty table.
      await driver.deliver(batch('sub-2b', [['insert', 11]], true));
      expect((await rows('replayed')).map((r) => Number(r.id))).toEqual([11]);
    } finally {
      await driver.close();
    }
  });

  it('keeps keyIds that differ only by case apart (they are base64url)', async (t) => {
    if (!available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: config({ table: 'cased' }) });
    try {
      const b = batch('sub-7', [
        ['insert', 1],
        ['insert', 2],
      ]);
      b.events[0]!.keyId = 'AbC-_1';
      b.events[1]!.keyId = 'abc-_1';
      await driver.deliver(b);
      expect((await rows('cased')).map((r) => [Number(r.id), r.huitong_key_id])).toEqual([
        [1, 'AbC-_1'],
        [2, 'abc-_1'],
      ]);
    } finally {
      await driver.close();
    }
  });

  it('applies a batch whole or not at all: a connection killed mid-batch leaves nothing, the retry all', async (t) => {
    if (!available) return t.skip();
    const cfg = config({ table: 'atomic' });
    const driver = stagingDriver({ policy: testOutbound, config: cfg });
    const locker = await admin(dialect, database);
    try {
      await driver.deliver(
        batch(
          'sub-10',
          [1, 2, 3].map((id) => ['insert', id] as Change),
          true,
        ),
      );
      await driver.deliver(batch('sub-10', [['update', 1, { name: 'keyed now' }]]));
      const before = await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-10');
      // Another session holds row 3: the batch upserts 4 and 2, then waits to delete 3 …
      await locker.exec(dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
      // (By its key: InnoDB would lock every row a scan passes.)
      await locker.exec(`SELECT id FROM atomic WHERE huitong_key_id = 'k00000003' FOR UPDATE`);
      const change = batch('sub-10', [
        ['insert', 4],
        ['update', 2, { name: 'two' }],
        ['delete', 3],
      ]);
      const pending = driver.deliver(change).catch((e) => e);
      // … and is killed while it waits.
      const waiting =
        dialect === 'postgres'
          ? `SELECT pid AS id FROM pg_stat_activity WHERE datname = '${database}' AND application_name = 'huitong-staging' AND wait_event_type = 'Lock'`
          : `SELECT id FROM information_schema.processlist WHERE db = '${database}' AND info LIKE 'DELETE FROM%'`;
      let victims: { id: number }[] = [];
      for (let i = 0; i < 100 && !victims.length; i++) {
        victims = (await db.exec(waiting)) as { id: number }[];
        if (!victims.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(victims).toHaveLength(1);
      await db.exec(
        dialect === 'postgres'
          ? `SELECT pg_terminate_backend(${Number(victims[0]?.id)})`
          : `KILL ${Number(victims[0]?.id)}`,
      );
      expect(await pending).toMatchObject({ code: 'staging_unreachable', retryable: true });
      await locker.exec('ROLLBACK');
      expect((await rows('atomic')).map((r) => [Number(r.id), r.name])).toEqual([
        [1, 'keyed now'],
        [2, 'person 2'],
        [3, 'person 3'],
      ]);
      expect(await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-10')).toEqual(before);
      // The retry (same events) applies all of it.
      await driver.deliver(change);
      expect((await rows('atomic')).map((r) => [Number(r.id), r.name])).toEqual([
        [1, 'keyed now'],
        [2, 'two'],
        [4, 'person 4'],
      ]);
    } finally {
      await locker.end();
      await driver.close();
    }
  });

  it('refuses a table of that name with other columns (not retryable) and writes nothing', async (t) => {
    if (!available) return t.skip();
    await db.exec('CREATE TABLE theirs (id BIGINT PRIMARY KEY, note TEXT)');
    await db.exec(`INSERT INTO theirs VALUES (1, 'keep me')`);
    const driver = stagingDriver({ policy: testOutbound, config: config({ table: 'theirs' }) });
    try {
      const error = await driver.deliver(batch('sub-3', [['insert', 1]], true)).catch((e) => e);
      expect(error).toBeInstanceOf(ChannelError);
      expect(error).toMatchObject({ code: 'staging_table_conflict', retryable: false });
      expect(await db.exec('SELECT note FROM theirs')).toEqual([{ note: 'keep me' }]);
    } finally {
      await driver.close();
    }
  });

  it('loads a large snapshot in bulk (several statements per batch)', async (t) => {
    if (!available) return t.skip();
    const driver = stagingDriver({ policy: testOutbound, config: config({ table: 'bulk' }) });
    try {
      const ids = Array.from({ length: 12_000 }, (_, i) => i + 1);
      await driver.deliver(
        batch(
          'sub-4',
          ids.map((id) => ['insert', id, { name: `tab\there\nline \\ ${id}` }] as Change),
          true,
        ),
      );
      const [count] = (await db.exec('SELECT COUNT(*) AS n, MAX(id) AS top FROM bulk')) as {
        n: unknown;
        top: unknown;
      }[];
      expect([Number(count?.n), Number(count?.top)]).toEqual([12_000, 12_000]);
      const [one] = (await db.exec('SELECT name FROM bulk WHERE id = 7')) as { name: string }[];
      expect(one?.name).toBe('tab\there\nline \\ 7');
      // A snapshot row sent again (a later batch) counts as the newer state; the first change
      // after the snapshot finds one row per key (PostgreSQL adds its primary key only then).
      await driver.deliver(
        batch(
          'sub-4',
          [
            ['insert', 7, { name: 'again' }],
            ['insert', 12_001],
          ],
          true,
        ),
      );
      await driver.deliver(batch('sub-4', [['update', 8, { name: 'changed' }]]));
      expect(await db.exec('SELECT id, name FROM bulk WHERE id IN (7, 8, 12001) ORDER BY id')).toEqual([
        { id: dialect === 'postgres' ? '7' : 7, name: 'again' },
        { id: dialect === 'postgres' ? '8' : 8, name: 'changed' },
        { id: dialect === 'postgres' ? '12001' : 12001, name: 'person 12001' },
      ]);
      if (dialect === 'postgres')
        expect(
          await db.exec(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'bulk'::regclass AND i.indisprimary`),
        ).toEqual([{ attname: 'huitong_key_id' }]);
      // Once keyed, a snapshot row sent again still replaces the row rather than failing.
      await driver.deliver(batch('sub-4', [['insert', 9, { name: 'third time' }]], true));
      expect(await db.exec('SELECT name FROM bulk WHERE id = 9')).toEqual([{ name: 'third time' }]);
      const [total] = (await db.exec('SELECT COUNT(*) AS n FROM bulk')) as { n: unknown }[];
      expect(Number(total?.n)).toBe(12_001);
    } finally {
      await driver.close();
    }
  });

  it('writes into the schema named (PostgreSQL); a missing schema is retryable', async (t) => {
    if (!available || dialect !== 'postgres') return t.skip();
    await db.exec('CREATE SCHEMA stg');
    const driver = stagingDriver({
      policy: testOutbound,
      config: config({ schema: 'stg', table: 'people' }),
    });
    const missing = stagingDriver({
      policy: testOutbound,
      config: config({ schema: 'nope', table: 'people' }),
    });
    try {
      await driver.deliver(batch('sub-8', [['insert', 1]], true));
      expect(await db.exec('SELECT id, name FROM stg.people')).toEqual([{ id: '1', name: 'person 1' }]);
      expect(await db.exec(`SELECT subscription_id FROM stg.huitong_delivery_positions`)).toEqual([
        { subscription_id: 'sub-8' },
      ]);
      await expect(missing.deliver(batch('sub-9', [['insert', 1]]))).rejects.toMatchObject({
        code: 'staging_schema_missing',
        retryable: true,
      });
    } finally {
      await driver.close();
      await missing.close();
    }
  });

  it('is refused by the outbound policy when loopback is not allowed (not retryable)', async (t) => {
    if (!available) return t.skip();
    const driver = stagingDriver({
      policy: createOutboundPolicy({ allow: [] }),
      config: config({ table: 'never' }),
    });
    try {
      const error = await driver.deliver(batch('sub-5', [['insert', 1]])).catch((e) => e);
      expect(error).toMatchObject({ code: 'staging_destination_not_allowed', retryable: false });
    } finally {
      await driver.close();
    }
  });

  it('reports a closed port as unreachable and a wrong password as an auth failure (both retryable)', async (t) => {
    if (!available) return t.skip();
    const closed = stagingDriver({ policy: testOutbound, config: config({ port: 1 }) });
    await expect(closed.deliver(batch('sub-6', [['insert', 1]]))).rejects.toMatchObject({
      code: 'staging_unreachable',
      retryable: true,
    });
    await closed.close();
    // The machine's PostgreSQL trusts local connections; MariaDB checks root's password.
    if (dialect === 'mysql') {
      const wrong = stagingDriver({ policy: testOutbound, config: config({ password: 'not-the-password' }) });
      await expect(wrong.deliver(batch('sub-6', [['insert', 1]]))).rejects.toMatchObject({
        code: 'staging_auth_failed',
        retryable: true,
      });
      await wrong.close();
    }
  });
});
