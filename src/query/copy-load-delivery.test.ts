import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { recordPostgresStatements, rowsCharged } from '../../test/support/postgres-statements.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { STORE_KINDS } from '../../test/support/store.js';
import type { CreateResourceInput } from '../catalog/index.js';
import { createSource } from '../sources/index.js';

// POST /query over a PostgreSQL resource too large for one append batch: the server loads it from
// the source's COPY (the statement its client sent, read at the driver), a second API process of
// the same platform with HUITONG_QUERY_COPY_LOAD=off loads row objects, and both answer alike and
// charge the grant alike. A COPY that fails part-way fails the query as the row read fails it.
const up = await serviceAvailable('postgres');
const COUNT = 20_000;
const BOOM_AT = 15_000;

describe.skipIf(!up)('loading a large side from its source’s COPY', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let server: TestServer;
  let rowsOnly: TestServer;
  let key: Credentials;
  const codes: Record<'people' | 'boom', string> = { people: '', boom: '' };
  /** What the platform's PostgreSQL clients sent that names the test's schema. */
  let statements: ReturnType<typeof recordPostgresStatements>;

  const charged = () => rowsCharged(server.store.db);
  const query = async (on: TestServer, sql: string) => {
    statements.take();
    const before = await charged();
    const response = await on.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: key.headers,
      payload: { sql, aliases: { t: codes.people, b: codes.boom } },
    });
    return {
      status: response.statusCode,
      body: response.json(),
      charged: (await charged()) - before,
      copied: statements.take().some((text) => /^COPY \(SELECT/.test(text)),
    };
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(
      `CREATE TABLE ${schema}.people (id bigint PRIMARY KEY, sfzh text, qh text, je numeric(14, 2), d date, ok boolean, f double precision, note text)`,
    );
    // Values where text and types part ways: empty strings and NULLs, commas, quotes and line
    // breaks in text, negative and wide decimals, floats with long expansions.
    await admin.query(
      `INSERT INTO ${schema}.people
       SELECT i,
              '35010219800101' || lpad((i % 10000)::text, 4, '0'),
              CASE WHEN i % 3 = 0 THEN '350102' WHEN i % 3 = 1 THEN '110105' ELSE NULL END,
              CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 7919) % 2000000 - 1000000) / 100.0 + 123456789012 END,
              DATE '2020-01-01' + (i % 1500),
              CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END,
              i / 7.0,
              CASE i % 4 WHEN 0 THEN '' WHEN 1 THEN NULL WHEN 2 THEN 'a, "b"' ELSE E'line\\nbreak' END
       FROM generate_series(1, ${COUNT}) i`,
    );
    await admin.query(
      `CREATE VIEW ${schema}.boom AS SELECT id, (1 / (id - ${BOOM_AT}))::bigint AS x FROM ${schema}.people`,
    );
    const kind = STORE_KINDS[0]!;
    server = await openTestServer(kind);
    rowsOnly = await openTestServer(kind, { HUITONG_QUERY_COPY_LOAD: 'off' }, server);
    const db = server.store.db;
    const owner = await buildOrganization(db, { name: `公安厅-${schema}` });
    const consumer = await buildOrganization(db, { name: `民政厅-${schema}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: owner.id, roles: ['data_steward'] })).username,
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
      orgId: owner.id,
    });
    const publish = async (
      table: 'people' | 'boom',
      items: NonNullable<Partial<CreateResourceInput>['items']>,
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
        payload: { sourceId: source.id, from: { kind: 'table', schema, table } },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      codes[table] = resource.code;
    };
    await publish('people', [
      { name: '编号', field: 'id', dataType: 'number' },
      {
        name: '身份证号',
        field: 'sfzh',
        dataType: 'string',
        personal: true,
        personalKind: 'identity_document',
      },
      { name: '区划', field: 'qh', dataType: 'string' },
      { name: '金额', field: 'je', dataType: 'number' },
      { name: '日期', field: 'd', dataType: 'date' },
      { name: '有效', field: 'ok', dataType: 'boolean' },
      { name: '比值', field: 'f', dataType: 'number' },
      { name: '备注', field: 'note', dataType: 'string' },
    ]);
    await publish('boom', [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '值', field: 'x', dataType: 'number' },
    ]);
    statements = recordPostgresStatements(schema);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await rowsOnly?.close();
    await server?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('answers from the COPY as from the rows, and charges the rows loaded', async () => {
    // upper() stays in the sandbox: no condition narrows the read, every row is loaded.
    for (const sql of [
      `SELECT qh, count(*) AS n, sum(je) AS je, min(je) AS low, max(d) AS d, count(ok) AS known,
              sum(CASE WHEN ok THEN 1 ELSE 0 END) AS oks, count(DISTINCT sfzh) AS ids, sum(f) AS f,
              count(note) AS notes, count(*) FILTER (WHERE note = '') AS empty
       FROM t WHERE upper(coalesce(qh, '-')) <> 'X' GROUP BY qh ORDER BY qh`,
      "SELECT * FROM t WHERE upper(coalesce(note, '-')) <> 'NONE' ORDER BY id DESC LIMIT 30",
    ]) {
      const copied = await query(server, sql);
      expect(copied.status, JSON.stringify(copied.body).slice(0, 300)).toBe(200);
      expect(copied.copied).toBe(true);
      expect(copied.charged).toBe(COUNT);
      const rows = await query(rowsOnly, sql);
      expect(rows.copied).toBe(false);
      expect(rows.charged).toBe(COUNT);
      expect(copied.body).toEqual(rows.body);
    }
    // The masked item is masked in the COPY as in the rows.
    const detail = await query(server, "SELECT sfzh FROM t WHERE upper(qh) = '350102' LIMIT 1");
    expect(detail.body.rows[0].sfzh).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('keeps a small side on rows', async () => {
    const small = await query(server, 'SELECT count(*) AS n FROM t WHERE id <= 100');
    expect(small.body.rows).toEqual([{ n: 100 }]);
    expect(small.copied).toBe(false);
  });

  it('fails the query when the COPY fails part-way, as the row read does', async () => {
    const sql = 'SELECT count(*) AS n, sum(x) AS x FROM b WHERE x + 0 >= 0';
    const copied = await query(server, sql);
    const rows = await query(rowsOnly, sql);
    expect(copied.copied).toBe(true);
    expect(copied.status).toBeGreaterThanOrEqual(400);
    expect({ status: copied.status, code: copied.body.error?.code }).toEqual({
      status: rows.status,
      code: rows.body.error?.code,
    });
    expect(copied.charged).toBe(0);
  });
});
