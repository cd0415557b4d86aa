import { createHash, randomBytes } from 'node:crypto';
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
import { makeIdNumber } from '../../test/support/source-data.js';
import { STORE_KINDS } from '../../test/support/store.js';
import { createSource } from '../sources/index.js';

// GET …/rows?format=csv|parquet of a PostgreSQL resource through the API: the COPY path and the
// row path (HUITONG_EXPORT_COPY off, switched on the same server) answer the same bytes; the
// release's completion entry holds the rows and the SHA-256 of what was sent, and the grant is
// charged the rows; the source was sent a COPY (the SQL text its driver sent).
const up = await serviceAvailable('postgres');
const COUNT = 500;
const idOf = (i: number) => makeIdNumber('350102', '19800101', i);

describe.skipIf(!up)('exports through COPY, through the API', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let server: TestServer;
  let key: Credentials;
  let code: string;
  /** What the platform's PostgreSQL clients sent that names the test's schema. */
  let statements: ReturnType<typeof recordPostgresStatements>;

  const charged = () => rowsCharged(server.store.db);
  const exported = async (query: string, copy: boolean) => {
    server.query.exportCopy = copy;
    statements.take();
    const before = await charged();
    const response = await server.app.inject({
      url: `/api/v1/resources/${code}/rows${query}`,
      headers: key.headers,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const requestId = String(response.headers['x-request-id'] ?? '');
    const page = await server.audit.entries(
      { type: ['data.release.complete'], resource: code },
      { limit: 1000 },
    );
    const done = page.items.find((e) => e.requestId === requestId);
    return {
      body: response.rawPayload,
      charged: (await charged()) - before,
      sent: statements.take(),
      done: done?.data as { rows: number; bytes: number; sha256: string; status: string } | undefined,
    };
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(
      `CREATE TABLE ${schema}.people (id bigint PRIMARY KEY, sfzh text, qh text, note text, born date, kwh numeric(10,2))`,
    );
    await admin.query(
      `INSERT INTO ${schema}.people SELECT i, '', CASE WHEN i % 2 = 1 THEN '鼓楼区' ELSE '台江区' END,
         CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'说"是",\\n否' ELSE '月度抄表' END,
         date '2025-01-01' + i, i / 3.0 FROM generate_series(1, ${COUNT}) i`,
    );
    for (const i of [1, 2, 3, 4])
      await admin.query(`UPDATE ${schema}.people SET sfzh = $1 WHERE id = $2`, [idOf(i), i]);
    server = await openTestServer(STORE_KINDS[0]!);
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
          { name: '备注', field: 'note', dataType: 'string' },
          { name: '日期', field: 'born', dataType: 'date' },
          { name: '用电量', field: 'kwh', dataType: 'number' },
        ],
        sharingType: 'unconditional',
        sharingMethods: ['api', 'file'],
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
    // A first SQL query makes the automatic grant (a GET makes none), which the exports charge.
    const first = await server.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: key.headers,
      payload: { sql: 'SELECT id FROM t LIMIT 1', aliases: { t: code } },
    });
    expect(first.statusCode, first.body).toBe(200);
    statements = recordPostgresStatements(schema);
  }, 180_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('answers a CSV export from COPY with the row path’s bytes, its release entry and its charge', async () => {
    const filter = encodeURIComponent(JSON.stringify([{ column: 'qh', op: 'eq', value: '鼓楼区' }]));
    for (const query of [`?format=csv&sort=-id&filter=${filter}&header=both&bom=1`, '?format=csv&limit=7']) {
      const copied = await exported(query, true);
      const rows = await exported(query, false);
      expect(copied.body.equals(rows.body)).toBe(true);
      expect(copied.sent).toHaveLength(1);
      expect(copied.sent[0]).toMatch(/^COPY \(SELECT .*\) TO STDOUT \(FORMAT csv\)$/);
      expect(rows.sent.join('\n')).not.toMatch(/COPY/);
      const expected = query.includes('limit=7') ? 7 : COUNT / 2;
      expect(copied.done).toMatchObject({
        status: 'complete',
        rows: expected,
        bytes: copied.body.length,
        sha256: createHash('sha256').update(copied.body).digest('hex'),
      });
      expect(copied.charged).toBe(expected);
      expect(rows.charged).toBe(expected);
    }
    // The identity number is masked in the source's SQL, for the COPY as for the cursor.
    const text = (await exported('?format=csv', true)).body.toString('utf8');
    expect(text).not.toContain(idOf(1));
    expect(text).toContain('"说""是"",\n否"');
  });

  it('answers a Parquet export from COPY with its rows charged and logged', async () => {
    const copied = await exported('?format=parquet', true);
    expect(copied.sent[0]).toMatch(/^COPY /);
    expect(copied.body.subarray(0, 4).toString()).toBe('PAR1');
    expect(copied.done).toMatchObject({
      status: 'complete',
      rows: COUNT,
      sha256: createHash('sha256').update(copied.body).digest('hex'),
    });
    expect(copied.charged).toBe(COUNT);
  });
});
