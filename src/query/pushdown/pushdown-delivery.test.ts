import { randomBytes } from 'node:crypto';
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
import { recordPostgresStatements, rowsCharged } from '../../../test/support/postgres-statements.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { makeIdNumber } from '../../../test/support/source-data.js';
import { STORE_KINDS } from '../../../test/support/store.js';
import { createSource } from '../../sources/index.js';

// POST /query over a PostgreSQL resource, on a server with pushdown and on a second API process
// of the same platform with HUITONG_QUERY_PUSHDOWN=off: the same answers, while the source is
// sent the consumer's conditions (the SQL text its client sent, read at the driver) and the
// grant is charged only the rows the source returned.
const up = await serviceAvailable('postgres');
const COUNT = 3000;
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;
const idOf = (i: number) => makeIdNumber(i % 2 ? '350102' : '110105', `1980010${(i % 9) + 1}`, i);

describe.skipIf(!up)('pushdown of a SQL query into PostgreSQL', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let server: TestServer;
  let unpushed: TestServer;
  let key: Credentials;
  let code: string;
  /** What the platform's PostgreSQL clients sent that names the test's schema. */
  let statements: ReturnType<typeof recordPostgresStatements>;

  const charged = () => rowsCharged(server.store.db);
  /** The answer of `sql` through `on`, the rows it charged and the SQL the source was sent. */
  const query = async (on: TestServer, sql: string) => {
    statements.take();
    const before = await charged();
    const response = await on.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: key.headers,
      payload: { sql, aliases: { t: code } },
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return { rows: response.json().rows, charged: (await charged()) - before, sent: statements.take() };
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.people (id bigint PRIMARY KEY, sfzh text NOT NULL, qh text)`);
    await admin.query(
      `INSERT INTO ${schema}.people SELECT i, '', CASE WHEN i % 2 = 1 THEN '350102' ELSE '110105' END FROM generate_series(1, ${COUNT}) i`,
    );
    for (const i of [41, 42, 43])
      await admin.query(`UPDATE ${schema}.people SET sfzh = $1 WHERE id = $2`, [idOf(i), i]);
    const kind = STORE_KINDS[0]!;
    server = await openTestServer(kind);
    unpushed = await openTestServer(kind, { HUITONG_QUERY_PUSHDOWN: 'off' }, server);
    const db = server.store.db;
    const police = await buildOrganization(db, { name: `公安厅-${schema}` });
    const consumer = await buildOrganization(db, { name: `民政厅-${schema}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: police.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    key = bearer((await buildApiKey(db, consumer.id)).key);
    const source = await createSource(db, server.sources, {
      kind: 'postgres',
      name: '人口库',
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      database: 'test',
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
      orgId: police.id,
    });
    const resource = await buildResource(
      db,
      police.id,
      {
        items: [
          { name: '编号', field: 'id', dataType: 'number' },
          {
            name: '身份证号',
            field: 'sfzh',
            dataType: 'string',
            personal: true,
            personalKind: 'identity_document',
          },
          { name: '区划', field: 'qh', dataType: 'string' },
        ],
        sharingType: 'unconditional',
      },
      { publish: true },
    );
    code = resource.code;
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/binding`,
      headers: steward.headers,
      payload: { sourceId: source.id, from: { kind: 'table', schema, table: 'people' } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    statements = recordPostgresStatements(schema);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await unpushed?.close();
    await server?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('sends a point query’s condition to the source and charges the one row it returns', async () => {
    const sql = 'SELECT id, sfzh, qh FROM t WHERE id = 42';
    const pushed = await query(server, sql);
    expect(pushed.rows).toEqual([{ id: 42, sfzh: expect.stringMatching(ID_MASK), qh: '110105' }]);
    expect(pushed.sent).toHaveLength(1);
    // LIMIT 1001: the one-round-trip probe of a narrowed read (sources/connectors/sql-read.ts).
    expect(pushed.sent[0]).toMatch(/WHERE \(\("id"\) = CAST\(\$\d+ AS BIGINT\)\)( LIMIT 1001)?$/);
    expect(pushed.charged).toBe(1);

    const whole = await query(unpushed, sql);
    expect(whole.rows).toEqual(pushed.rows);
    expect(whole.sent.join('\n')).not.toMatch(/WHERE/);
    expect(whole.charged).toBe(COUNT);
  });

  it('compares a masked item as the consumer sees it: its clear value finds nothing', async () => {
    const masked = (await query(server, 'SELECT sfzh FROM t WHERE id = 42')).rows[0].sfzh as string;
    const byClear = await query(server, `SELECT id FROM t WHERE sfzh = '${idOf(42)}'`);
    expect(byClear.rows).toEqual([]);
    expect(byClear.charged).toBe(0);
    // The condition runs on the mask in the source: the clear value is never compared.
    expect(byClear.sent[0]).toMatch(/WHERE \(.*"sfzh".*\) = \$\d+/);
    const byMasked = await query(server, `SELECT id FROM t WHERE sfzh = '${masked}' ORDER BY id`);
    expect(byMasked.rows.map((r: { id: number }) => r.id)).toContain(42);
    expect(byMasked.charged).toBe(byMasked.rows.length);
    for (const q of [
      `SELECT id FROM t WHERE sfzh = '${idOf(42)}'`,
      `SELECT id FROM t WHERE sfzh = '${masked}' ORDER BY id`,
    ])
      expect((await query(unpushed, q)).rows).toEqual((await query(server, q)).rows);
  });

  it('sends the limit of an ordered one-resource query, and keeps conditions it cannot push in the sandbox', async () => {
    const top = await query(
      server,
      'SELECT id FROM t WHERE qh = $$350102$$ ORDER BY id DESC LIMIT 3 OFFSET 1',
    );
    expect(top.rows).toEqual([{ id: 2997 }, { id: 2995 }, { id: 2993 }]);
    expect(top.sent[0]).toMatch(/ORDER BY "id" DESC NULLS LAST LIMIT 4$/);
    expect(top.charged).toBe(4);
    // upper() stays in the sandbox, so the limit must too; the other conjunct still narrows.
    const mixed = await query(server, "SELECT id FROM t WHERE upper(qh) = '350102' AND id <= 10 LIMIT 100");
    expect(mixed.rows).toHaveLength(5);
    expect(mixed.sent[0]).not.toMatch(/LIMIT 100\b/);
    expect(mixed.charged).toBe(10);
  });
});
