import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { STORE_KINDS } from '../../../test/support/store.js';
import { createSource } from '../../sources/index.js';

// POST /query joining a PostgreSQL resource (people, the larger side) with a MariaDB one
// (enterprises): the side with a pushed filter is read first, and the other source is sent its
// join keys — what each source's client was sent, read at the driver — while a second API
// process with HUITONG_QUERY_PUSHDOWN=off answers the same.
const up = (await serviceAvailable('postgres')) && (await serviceAvailable('mariadb'));
const PEOPLE = 2000;
const ENTERPRISES = 300;

interface Sent {
  text: string;
  params: unknown[];
}

describe.skipIf(!up)('join keys pushed from one source to the other', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let maria: mysqlPromise.Connection;
  let server: TestServer;
  let unpushed: TestServer;
  let key: Credentials;
  const codes = { people: '', ent: '', elsewhere: '' };
  let pgSent: Sent[] = [];
  let mariaSent: Sent[] = [];

  const rowsCharged = async () => {
    const row = await server.store.db
      .selectFrom('grant_usage')
      .select((eb) => eb.fn.sum<string>('row_count').as('rows'))
      .executeTakeFirst();
    return Number(row?.rows ?? 0);
  };
  const query = async (on: TestServer, sql: string) => {
    pgSent = [];
    mariaSent = [];
    const before = await rowsCharged();
    const response = await on.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: key.headers,
      payload: { sql, aliases: { people: codes.people, ent: codes.ent, elsewhere: codes.elsewhere } },
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return {
      rows: response.json().rows,
      charged: (await rowsCharged()) - before,
      pg: [...pgSent],
      maria: [...mariaSent],
    };
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.people (id integer PRIMARY KEY, qh text, age integer)`);
    await admin.query(
      `INSERT INTO ${schema}.people SELECT i, (350100 + i % 20)::text, i % 90 FROM generate_series(1, ${PEOPLE}) i`,
    );
    maria = await mysqlPromise.createConnection({
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      user: 'root',
    });
    await maria.query(`CREATE DATABASE ${schema}`);
    await maria.query(`CREATE TABLE ${schema}.ent (eid int PRIMARY KEY, owner_id int, sector int)`);
    // Owners 7, 14, …, 2100 (the last few owned by nobody in people); one owner unknown (NULL).
    await maria.query(
      `INSERT INTO ${schema}.ent SELECT seq, IF(seq = 5, NULL, seq * 7), seq % 10 FROM ${schema}.seq_1_to_${ENTERPRISES}`,
    );
    const kind = STORE_KINDS[0]!;
    server = await openTestServer(kind);
    unpushed = await openTestServer(kind, { HUITONG_QUERY_PUSHDOWN: 'off' }, server);
    const db = server.store.db;
    const owner = await buildOrganization(db, { name: `市场监管局-${schema}` });
    const consumer = await buildOrganization(db, { name: `税务局-${schema}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: owner.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    key = bearer((await buildApiKey(db, consumer.id)).key);
    const base = { host: SERVICES.postgres.host, tls: { mode: 'disable' as const }, description: '' };
    const pgSource = await createSource(db, server.sources, {
      ...base,
      kind: 'postgres',
      name: '人口库',
      port: SERVICES.postgres.port,
      database: 'test',
      user: 'postgres',
      orgId: owner.id,
    });
    const mariaSource = await createSource(db, server.sources, {
      ...base,
      kind: 'mysql',
      name: '企业库',
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      database: schema,
      user: 'root',
      orgId: owner.id,
    });
    const publish = async (
      items: Array<{ name: string; field: string; dataType: 'number' | 'string' }>,
      sourceId: string,
      table: string,
    ) => {
      const resource = await buildResource(
        db,
        owner.id,
        { items, sharingType: 'unconditional' },
        { publish: true },
      );
      const bound = await server.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resource.code}/binding`,
        headers: steward.headers,
        payload: { sourceId, from: { kind: 'table', schema, table } },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      return resource.code;
    };
    codes.people = await publish(
      [
        { name: '编号', field: 'id', dataType: 'number' },
        { name: '区划', field: 'qh', dataType: 'string' },
        { name: '年龄', field: 'age', dataType: 'number' },
      ],
      pgSource.id,
      'people',
    );
    codes.ent = await publish(
      [
        { name: '企业编号', field: 'eid', dataType: 'number' },
        { name: '法人编号', field: 'owner_id', dataType: 'number' },
        { name: '行业', field: 'sector', dataType: 'number' },
      ],
      mariaSource.id,
      'ent',
    );
    // The same people table, provided by another organisation from a source of its own.
    const other = await buildOrganization(db, { name: `统计局-${schema}` });
    const otherSource = await createSource(db, server.sources, {
      ...base,
      kind: 'postgres',
      name: '人口库副本',
      port: SERVICES.postgres.port,
      database: 'test',
      user: 'postgres',
      orgId: other.id,
    });
    const otherSteward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: other.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    const elsewhere = await buildResource(
      db,
      other.id,
      { items: [{ name: '编号', field: 'id', dataType: 'number' }], sharingType: 'unconditional' },
      { publish: true },
    );
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${elsewhere.code}/binding`,
      headers: otherSteward.headers,
      payload: { sourceId: otherSource.id, from: { kind: 'table', schema, table: 'people' } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    codes.elsewhere = elsewhere.code;
    const pgQuery = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
      const text = typeof first === 'string' ? first : first?.text;
      // Parameters come second, or inside a query config (the narrowed read's one-query probe).
      const params =
        (args[1] as unknown[] | undefined) ?? (typeof first === 'object' ? first.values : undefined);
      if (text?.includes(schema)) pgSent.push({ text, params: params ?? [] });
      return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pgQuery);
    // Reads are prepared statements (execute), streamed.
    const mariaQuery = mysql.Connection.prototype.execute;
    vi.spyOn(mysql.Connection.prototype, 'execute').mockImplementation(function (
      this: mysql.Connection,
      ...args: unknown[]
    ) {
      const first = args[0] as string | { sql?: string } | undefined;
      const text = typeof first === 'string' ? first : first?.sql;
      if (text?.includes('`ent`')) mariaSent.push({ text, params: Array.isArray(args[1]) ? args[1] : [] });
      return (mariaQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof mariaQuery);
  }, 180_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await unpushed?.close();
    await server?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await maria?.query(`DROP DATABASE IF EXISTS ${schema}`);
    await maria?.end();
  });

  it('reads the filtered MariaDB side first and sends PostgreSQL its keys as one typed array, NULL never', async () => {
    const sql =
      'SELECT p.id, p.qh, e.eid FROM people p JOIN ent e ON e.owner_id = p.id WHERE e.sector = 5 ORDER BY e.eid';
    const pushed = await query(server, sql);
    // sector 5: enterprises 5, 15, …, 295 (30); owners NULL (of 5), 105, 175, …, 2065; those ≤ 2000 are people.
    const owners = Array.from({ length: 29 }, (_, i) => (15 + 10 * i) * 7);
    expect(pushed.rows.map((r: { id: number }) => r.id)).toEqual(owners.filter((o) => o <= PEOPLE));
    expect(pushed.maria).toHaveLength(1);
    expect(pushed.maria[0]!.text).toMatch(/`sector`\) = \?/);
    expect(pushed.maria[0]!.params).toContain(5);
    expect(pushed.pg).toHaveLength(1);
    expect(pushed.pg[0]!.text).toMatch(/\("id"\) = ANY\(CAST\(\$\d+ AS BIGINT\[\]\)\)/);
    const keys = pushed.pg[0]!.params.find(Array.isArray) as number[];
    expect([...keys].map(Number).sort((a, b) => a - b)).toEqual(owners);
    // Charged: 30 enterprises and only the people they name (not 2,000).
    expect(pushed.charged).toBe(30 + owners.filter((o) => o <= PEOPLE).length);

    const whole = await query(unpushed, sql);
    expect(whole.rows).toEqual(pushed.rows);
    expect(whole.charged).toBe(PEOPLE + ENTERPRISES);
  });

  it('reads the filtered PostgreSQL side first and sends MariaDB its keys as bound parameters', async () => {
    const sql =
      "SELECT count(*) AS n, count(e.owner_id) AS owned FROM people p, ent e WHERE p.id = e.owner_id AND p.qh = '350114'";
    const pushed = await query(server, sql);
    // qh 350114: ids 14, 34, …, 1994 (100); owners are multiples of 7: 14, 154, … (every 140).
    const ids = Array.from({ length: 100 }, (_, i) => 14 + 20 * i);
    const owned = ids.filter((id) => id % 7 === 0 && id / 7 <= ENTERPRISES);
    expect(pushed.rows).toEqual([{ n: owned.length, owned: owned.length }]);
    expect(pushed.pg).toHaveLength(1);
    const read = pushed.maria.find((s) => /`owner_id`\) IN \(/.test(s.text));
    expect(read?.text).toMatch(/`owner_id`\) IN \((\?, ){99}\?\)/);
    expect([...read!.params].map(Number).sort((a, b) => a - b)).toEqual(expect.arrayContaining(ids));
    expect(pushed.charged).toBe(100 + owned.length);
    expect((await query(unpushed, sql)).rows).toEqual(pushed.rows);
  });

  it('sends no keys to a source of another organisation than the keys’ provider or the caller’s', async () => {
    const sql = 'SELECT count(*) AS n FROM elsewhere x JOIN ent e ON e.owner_id = x.id WHERE e.sector = 5';
    const pushed = await query(server, sql);
    expect(pushed.pg).toHaveLength(1);
    expect(pushed.pg[0]!.text).not.toMatch(/ANY/);
    // Owners 105, 175, …, 1995 of sector 5 are people (the NULL one and those past 2,000 are not).
    expect(pushed.rows).toEqual([{ n: 28 }]);
    expect(pushed.charged).toBe(30 + PEOPLE);
  });

  it('pushes no keys where the join is outer, or the types differ', async () => {
    for (const sql of [
      'SELECT count(*) AS n FROM people p LEFT JOIN ent e ON e.owner_id = p.id WHERE e.sector = 3',
      'SELECT count(*) AS n FROM people p JOIN ent e ON CAST(e.owner_id AS VARCHAR) = p.qh WHERE e.sector = 3',
    ]) {
      const pushed = await query(server, sql);
      expect(pushed.pg.map((s) => s.text).join('\n'), sql).not.toMatch(/ANY/);
      expect(pushed.rows).toEqual((await query(unpushed, sql)).rows);
    }
  });
});
