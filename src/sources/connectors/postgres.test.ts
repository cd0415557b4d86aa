import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { AppError } from '../../errors/index.js';
import type { Connector } from './connector.js';
import { postgresConnector } from './postgres.js';

const up = await serviceAvailable('postgres');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };
const config = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  tls: { mode: 'disable' as const },
};

async function rows(connector: Connector, plan: Parameters<Connector['read']>[0], batchSize?: number) {
  const result = await connector.read(plan, { batchSize });
  const out: unknown[][] = [];
  for await (const batch of result.batches) out.push(...batch);
  return { columns: result.columns, rows: out };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: AppError) => ({ status: error.status, code: error.code }),
  );

describe.skipIf(!up)('postgres connector', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let connector: Connector;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`
      CREATE TABLE ${schema}.people (
        id bigint PRIMARY KEY, name text NOT NULL, "城市" varchar(20), born date,
        score numeric(6,2), active boolean, tags jsonb)`);
    await admin.query(`
      INSERT INTO ${schema}.people VALUES
        (1, '张三', '福州', '1990-01-02', 91.50, true, '["a"]'),
        (2, '李四', '厦门', '1985-06-30', 78.25, false, null),
        (3, 'O''Brien', '福州', null, null, null, null),
        (4, '王五', null, '2001-12-31', 60.00, true, '{"k": 1}')`);
    await admin.query(
      `CREATE VIEW ${schema}.fuzhou AS SELECT id, name FROM ${schema}.people WHERE "城市" = '福州'`,
    );
    await admin.query(`ANALYZE ${schema}.people`);
    connector = postgresConnector(config, undefined, LIMITS, testOutbound);
  });
  afterAll(async () => {
    await connector?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('tests the connection and names the server', async () => {
    const result = await connector.test();
    expect(result.ok).toBe(true);
    expect(result.serverVersion).toMatch(/PostgreSQL/);
  });

  it('describes tables and views with normalised and native types and row estimates', async () => {
    const { tables } = await connector.describe({ schema });
    const people = tables.find((t) => t.name === 'people')!;
    expect(people).toMatchObject({ schema, kind: 'table', rowEstimate: 4 });
    expect(people.columns.map((c) => [c.name, c.type, c.nativeType, c.nullable])).toEqual([
      ['id', 'integer', 'bigint', false],
      ['name', 'string', 'text', false],
      ['城市', 'string', 'character varying(20)', true],
      ['born', 'date', 'date', true],
      ['score', 'decimal', 'numeric(6,2)', true],
      ['active', 'boolean', 'boolean', true],
      ['tags', 'json', 'jsonb', true],
    ]);
    expect(tables.find((t) => t.name === 'fuzhou')).toMatchObject({ kind: 'view', rowEstimate: null });
  });

  it('pushes projection, filters, sort and limit down and returns exact values', async () => {
    const result = await rows(connector, {
      from: { kind: 'table', schema, table: 'people' },
      columns: ['id', 'name', 'born', 'score'],
      filters: [
        { column: '城市', op: 'in', values: ['福州', '厦门'] },
        { column: 'score', op: 'range', min: 70 },
      ],
      sort: [{ column: 'score', direction: 'desc' }],
      limit: 5,
    });
    expect(result.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'string' },
      { name: 'born', type: 'date' },
      { name: 'score', type: 'decimal' },
    ]);
    expect(result.rows).toEqual([
      [1, '张三', '1990-01-02', '91.50'],
      [2, '李四', '1985-06-30', '78.25'],
    ]);
  });

  it('pages by keyset and by offset, in batches, and handles like and is_null', async () => {
    const table = { kind: 'table' as const, schema, table: 'people' };
    const after = await rows(
      connector,
      { from: table, columns: ['id'], sort: [{ column: 'id' }], after: [2] },
      1,
    );
    expect(after.rows).toEqual([[3], [4]]);
    const offset = await rows(connector, {
      from: table,
      columns: ['id'],
      sort: [{ column: 'id', direction: 'desc' }],
      offset: 1,
      limit: 2,
    });
    expect(offset.rows).toEqual([[3], [2]]);
    const like = await rows(connector, {
      from: table,
      columns: ['name'],
      filters: [{ column: 'name', op: 'like', pattern: 'O%' }],
    });
    expect(like.rows).toEqual([["O'Brien"]]);
    const nulls = await rows(connector, {
      from: table,
      columns: ['id'],
      filters: [{ column: 'born', op: 'is_null' }],
    });
    expect(nulls.rows).toEqual([[3]]);
  });

  it('binds values, so injection attempts are just strings that match nothing', async () => {
    const result = await rows(connector, {
      from: { kind: 'table', schema, table: 'people' },
      filters: [{ column: 'name', op: 'eq', value: "x' OR '1'='1" }],
    });
    expect(result.rows).toEqual([]);
    const count = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.people`);
    expect(count.rows[0].n).toBe(4);
  });

  it('refuses unknown columns and tables before anything runs', async () => {
    const from = { kind: 'table' as const, schema, table: 'people' };
    expect(await failure(connector.read({ from, columns: ['id', 'id"; DROP TABLE x; --'] }))).toEqual({
      status: 400,
      code: 'unknown_column',
    });
    expect(
      await failure(connector.read({ from, filters: [{ column: 'nope', op: 'eq', value: 1 }] })),
    ).toMatchObject({
      code: 'unknown_column',
    });
    expect(await failure(connector.read({ from: { kind: 'table', schema, table: 'nope' } }))).toMatchObject({
      code: 'unknown_table',
    });
    expect(
      await failure(connector.read({ from, filters: [{ column: 'id', op: 'eq', value: 'abc' }] })),
    ).toMatchObject({
      code: 'invalid_read_plan',
    });
  });

  it('reads a steward SELECT as a subquery, read-only', async () => {
    const result = await rows(connector, {
      from: { kind: 'query', sql: `SELECT id, upper(name) AS big FROM ${schema}.people WHERE id < 3;` },
      sort: [{ column: 'id' }],
    });
    expect(result.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'big', type: 'string' },
    ]);
    expect(result.rows).toEqual([
      [1, '张三'],
      [2, '李四'],
    ]);
    expect(
      await failure(connector.read({ from: { kind: 'query', sql: `DELETE FROM ${schema}.people` } })),
    ).toMatchObject({
      code: 'invalid_read_plan',
    });
  });

  it('pushes extra expressions (masks) with their own bound parameters', async () => {
    const result = await rows(connector, {
      from: { kind: 'table', schema, table: 'people' },
      columns: ['id'],
      filters: [{ column: 'id', op: 'eq', value: 1 }],
      expressions: [
        { alias: 'masked', type: 'string', build: (c) => `left(${c.column('name')}, 1) || ${c.bind('*')}` },
      ],
    });
    expect(result.rows).toEqual([[1, '张*']]);
  });

  it('answers a narrowed read by one probe query, and a larger one by the cursor, with every row', async () => {
    // The statements the source runs, seen as the source sees them (pg_stat_activity would race).
    const sent: string[] = [];
    const spy = postgresConnector(config, undefined, LIMITS, testOutbound);
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text) sent.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const over = (sql: string) => ({ build: () => sql });
      // The describe of the first read (kept for a few seconds) is not what is counted.
      await rows(spy, { from: { kind: 'table', schema, table: 'people' }, columns: ['id'], limit: 1 });
      sent.length = 0;
      const point = await rows(
        spy,
        { from: { kind: 'table', schema, table: 'people' }, columns: ['id'], conditions: [over('"id" = 2')] },
        2,
      );
      expect(point.rows).toEqual([[2]]);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/WHERE \("id" = 2\) LIMIT 3$/);
      sent.length = 0;
      const wide = await rows(
        spy,
        {
          from: { kind: 'table', schema, table: 'people' },
          columns: ['id'],
          conditions: [over('"id" >= 1')],
        },
        2,
      );
      // Past one batch the probe's rows are dropped and the read runs again, streamed.
      expect(wide.rows.map((r) => r[0]).sort()).toEqual([1, 2, 3, 4]);
      expect(sent[0]).toMatch(/LIMIT 3$/);
      expect(sent).toContain('BEGIN READ ONLY');
      expect(sent.some((t) => t.startsWith('DECLARE'))).toBe(true);
    } finally {
      pg.Client.prototype.query = original;
      await spy.close();
    }
  });

  it('stops early without leaking the connection', async () => {
    const result = await connector.read(
      { from: { kind: 'table', schema, table: 'people' } },
      { batchSize: 1 },
    );
    for await (const batch of result.batches) {
      expect(batch).toHaveLength(1);
      break;
    }
    // With a pool of two, three more reads only succeed if the abandoned one gave its client back.
    for (let i = 0; i < 3; i++)
      expect((await rows(connector, { from: { kind: 'table', schema, table: 'people' } })).rows).toHaveLength(
        4,
      );
  });

  it('reports a wrong password and an unreachable port with their codes, within the timeout', async () => {
    const wrong = postgresConnector({ ...config, user: 'huitong_nobody' }, 'wrong', LIMITS, testOutbound);
    // The test server trusts local connections; a user that does not exist is refused the same way.
    expect(await failure(wrong.test())).toMatchObject({
      status: 400,
      code: expect.stringMatching(/source_auth_failed/),
    });
    await wrong.close();
    const closed = postgresConnector({ ...config, port: 1 }, 'x', LIMITS, testOutbound);
    expect(await failure(closed.test())).toEqual({ status: 502, code: 'source_unreachable' });
    await closed.close();
  });

  it('tells a busy source (pool exhausted: 503) and a slow one (query timeout: 504) from a down one', async () => {
    // A table locked by another session: the first read waits on the lock until its statement
    // timeout; the second waits for the pool's only connection until the connect timeout.
    const locker = new pg.Client(SERVICES.postgres.url);
    await locker.connect();
    const small = postgresConnector(
      config,
      undefined,
      {
        connectTimeoutMs: 300,
        queryTimeoutMs: 1500,
        maxConnections: 1,
      },
      testOutbound,
    );
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${schema}.people IN ACCESS EXCLUSIVE MODE`);
      const plan = { from: { kind: 'table' as const, schema, table: 'people' } };
      const first = failure(rows(small, plan));
      await new Promise((r) => setTimeout(r, 100));
      const second = await failure(rows(small, plan));
      expect(second).toEqual({ status: 503, code: 'source_busy' });
      expect(await first).toEqual({ status: 504, code: 'source_timeout' });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
      await small.close();
    }
  });
});
