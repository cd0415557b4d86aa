import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { AppError } from '../../errors/index.js';
import type { Connector } from './connector.js';
import { mysqlConnector } from './mysql.js';

const up = await serviceAvailable('mariadb');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };

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

describe.skipIf(!up)('mysql connector (MariaDB)', () => {
  const database = `src_${randomBytes(5).toString('hex')}`;
  const user = `u_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('base64url');
  const config = { host: '127.0.0.1', port: 3306, database, user, tls: { mode: 'disable' as const } };
  let admin: mysql.Connection;
  let connector: Connector;

  beforeAll(async () => {
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', charset: 'utf8mb4' });
    await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
    await admin.query(`GRANT SELECT ON ${database}.* TO '${user}'@'%'`);
    await admin.query(`GRANT SELECT ON ${database}.* TO '${user}'@'localhost'`);
    await admin.query(`
      CREATE TABLE ${database}.people (
        id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, \`城市\` VARCHAR(20), born DATE,
        score DECIMAL(6,2), active TINYINT(1), seen DATETIME)`);
    await admin.query(`
      INSERT INTO ${database}.people VALUES
        (1, '张三', '福州', '1990-01-02', 91.50, 1, '2024-03-01 08:00:00'),
        (2, '李四', '厦门', '1985-06-30', 78.25, 0, NULL),
        (3, 'O''Brien', '福州', NULL, NULL, NULL, NULL),
        (4, '王五', NULL, '2001-12-31', 60.00, 1, NULL)`);
    await admin.query(
      `CREATE VIEW ${database}.fuzhou AS SELECT id, name FROM ${database}.people WHERE \`城市\` = '福州'`,
    );
    await admin.query(`ANALYZE TABLE ${database}.people`);
    connector = mysqlConnector(config, password, LIMITS, testOutbound);
  });
  afterAll(async () => {
    await connector?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    await admin.end();
  });

  it('tests the connection and names the server', async () => {
    expect((await connector.test()).serverVersion).toMatch(/MariaDB|^\d/);
  });

  it('describes tables and views with normalised and native types and row estimates', async () => {
    const { tables } = await connector.describe();
    const people = tables.find((t) => t.name === 'people')!;
    expect(people).toMatchObject({ schema: database, kind: 'table' });
    expect(people.rowEstimate).toBeGreaterThanOrEqual(0);
    expect(people.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['id', 'integer', false],
      ['name', 'string', false],
      ['城市', 'string', true],
      ['born', 'date', true],
      ['score', 'decimal', true],
      ['active', 'boolean', true],
      ['seen', 'timestamp', true],
    ]);
    expect(people.columns[4]!.nativeType).toBe('decimal(6,2)');
    expect(tables.find((t) => t.name === 'fuzhou')).toMatchObject({ kind: 'view', rowEstimate: null });
  });

  it('pushes projection, filters, sort and limit down and returns exact values', async () => {
    const result = await rows(connector, {
      from: { kind: 'table', table: 'people' },
      columns: ['id', 'name', 'born', 'score', 'active', 'seen'],
      filters: [
        { column: '城市', op: 'in', values: ['福州', '厦门'] },
        { column: 'score', op: 'range', min: '70', max: 100, maxInclusive: false },
      ],
      sort: [{ column: 'score', direction: 'desc' }],
      limit: 5,
    });
    expect(result.rows).toEqual([
      [1, '张三', '1990-01-02', '91.50', true, new Date('2024-03-01T08:00:00Z')],
      [2, '李四', '1985-06-30', '78.25', false, null],
    ]);
  });

  it('pages by keyset and offset in batches, sorts NULLs last, and handles like and is_null', async () => {
    const table = { kind: 'table' as const, table: 'people' };
    expect(
      (await rows(connector, { from: table, columns: ['id'], sort: [{ column: 'id' }], after: [2] }, 1)).rows,
    ).toEqual([[3], [4]]);
    expect(
      (await rows(connector, { from: table, columns: ['id'], sort: [{ column: 'id' }], offset: 3 })).rows,
    ).toEqual([[4]]);
    expect(
      (await rows(connector, { from: table, columns: ['id'], sort: [{ column: 'born' }] })).rows.at(-1),
    ).toEqual([3]);
    expect(
      (
        await rows(connector, {
          from: table,
          columns: ['name'],
          filters: [{ column: 'name', op: 'like', pattern: 'O%' }],
        })
      ).rows,
    ).toEqual([["O'Brien"]]);
    expect(
      (
        await rows(connector, {
          from: table,
          columns: ['id'],
          filters: [{ column: 'born', op: 'is_null', value: false }],
        })
      ).rows,
    ).toHaveLength(3);
  });

  it('binds values, so injection attempts match nothing and change nothing', async () => {
    const result = await rows(connector, {
      from: { kind: 'table', table: 'people' },
      filters: [{ column: 'name', op: 'in', values: ["x' OR 1=1 -- ", "'; DROP TABLE people; --"] }],
    });
    expect(result.rows).toEqual([]);
    const [count] = await admin.query(`SELECT COUNT(*) AS n FROM ${database}.people`);
    expect((count as { n: number }[])[0]!.n).toBe(4);
  });

  it('refuses unknown columns, and reads a steward SELECT with masks pushed down', async () => {
    expect(
      await failure(connector.read({ from: { kind: 'table', table: 'people' }, columns: ['id`; --'] })),
    ).toEqual({
      status: 400,
      code: 'unknown_column',
    });
    const result = await rows(connector, {
      from: { kind: 'query', sql: 'SELECT id, name, score * 2 AS doubled FROM people WHERE id <= 2' },
      columns: ['id', 'doubled'],
      sort: [{ column: 'id' }],
      expressions: [
        {
          alias: 'masked',
          type: 'string',
          build: (c) => `CONCAT(LEFT(${c.column('name')}, 1), ${c.bind('*')})`,
        },
      ],
    });
    expect(result.columns.map((c) => c.type)).toEqual(['integer', 'decimal', 'string']);
    expect(result.rows).toEqual([
      [1, '183.00', '张*'],
      [2, '156.50', '李*'],
    ]);
  });

  it('stops early without leaking the connection', async () => {
    const result = await connector.read({ from: { kind: 'table', table: 'people' } }, { batchSize: 1 });
    for await (const _ of result.batches) break;
    for (let i = 0; i < 3; i++)
      expect((await rows(connector, { from: { kind: 'table', table: 'people' } })).rows).toHaveLength(4);
  });

  it('reports a wrong password and an unreachable port with their codes', async () => {
    const wrong = mysqlConnector(config, 'not-the-password', LIMITS, testOutbound);
    expect(await failure(wrong.test())).toEqual({ status: 400, code: 'source_auth_failed' });
    await wrong.close();
    const closed = mysqlConnector({ ...config, port: 1 }, password, LIMITS, testOutbound);
    expect(await failure(closed.test())).toEqual({ status: 400, code: 'source_unreachable' });
    await closed.close();
  });
});
