import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { expectRefusal } from '../../test/support/refusals.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { describeEachStore } from '../../test/support/store.js';
import { type AuditEntryView, AuditUnavailableError } from '../audit/index.js';
import { createSource } from '../sources/index.js';

// Issue 13, finding 1: a run-time error of the SQL sandbox quoted the data it failed on —
// `error(string_agg(…))` answered every row of a resource in its message — and no release entry
// was written, because the query ran before the audit write. Every value a consumer could read
// here carries a canary; no answer may hold one, each failure has a stable code and class, and
// each has its release entry, written before the data was read and completed as failed.

const CANARY = `QZ${randomBytes(4).toString('hex')}QZ`;
const NAMES = [`${CANARY}张三`, `${CANARY}李四`];
const IDS = [`350502${CANARY}2447`, `110105${CANARY}0012`];
// The largest amounts fit BIGINT; twice them does not.
const CSV = `xm,sfzh,je,rq\n${NAMES[0]},${IDS[0]},9000000000000000000,${CANARY}-13\n${NAMES[1]},${IDS[1]},9000000000000000001,${CANARY}-14\n`;

/** Hostile SQL over `t` that fails while it runs, on the data, with the class it must report. */
const HOSTILE: Array<[sql: string, failureClass: string]> = [
  ["SELECT error(string_agg(xm || '|' || sfzh, ';')) FROM t", 'invalid_input'],
  ['SELECT error(xm) FROM t', 'invalid_input'],
  ['SELECT CAST(xm AS INTEGER) FROM t', 'conversion'],
  ['SELECT xm::BIGINT FROM t', 'conversion'],
  ['SELECT xm::DATE FROM t', 'conversion'],
  ['SELECT rq::TIMESTAMP FROM t', 'conversion'],
  ['SELECT xm::JSON FROM t', 'conversion'],
  ['SELECT xm::UUID FROM t', 'conversion'],
  ['SELECT xm::BLOB FROM t', 'conversion'],
  ['SELECT xm::INTERVAL FROM t', 'conversion'],
  ['SELECT xm::BOOLEAN FROM t', 'conversion'],
  ['SELECT xm::DECIMAL(4, 2) FROM t', 'conversion'],
  ['SELECT xm::STRUCT(a INTEGER) FROM t', 'conversion'],
  ['SELECT xm::INTEGER[] FROM t', 'conversion'],
  ["SELECT xm::ENUM('a', 'b') FROM t", 'conversion'],
  ['SELECT count(*) FROM t WHERE xm = 1', 'conversion'],
  ['SELECT max(sfzh)::INTEGER FROM t', 'conversion'],
  ["SELECT json_extract(xm, '$.a') FROM t", 'invalid_input'],
  ['SELECT json_keys(sfzh) FROM t', 'invalid_input'],
  ['SELECT json_transform(xm, \'{"a": "INTEGER"}\') FROM t', 'invalid_input'],
  ['SELECT to_json(xm)::INTEGER FROM t', 'conversion'],
  ["SELECT strptime(rq, '%Y-%m') FROM t", 'invalid_input'],
  ["SELECT regexp_matches('x', '(' || xm) FROM t", 'invalid_input'],
  ["SELECT date_part(xm, DATE '2024-01-01') FROM t", 'conversion'],
  ["SELECT timezone(xm, TIMESTAMPTZ '2024-01-01 00:00:00+00') FROM t", 'not_implemented'],
  ['SELECT from_base64(xm) FROM t', 'conversion'],
  ['SELECT [xm, sfzh][1]::INTEGER FROM t', 'conversion'],
  ['SELECT list_extract(list(xm), 2)::DATE FROM t', 'conversion'],
  ["SELECT {'k': xm}.k::INTEGER FROM t", 'conversion'],
  ["SELECT struct_extract({'k': sfzh}, 'k')::INTEGER FROM t", 'conversion'],
  ['SELECT map([xm], [1])::MAP(INTEGER, INTEGER) FROM t', 'conversion'],
  ["SELECT union_extract(union_value(k := xm), 'k')::INTEGER FROM t", 'conversion'],
  ['SELECT make_date(je, 1, 1) FROM t', 'invalid_input'],
  ['SELECT to_timestamp(je) FROM t', 'conversion'],
  ['SELECT je + je FROM t', 'out_of_range'],
  ['SELECT sum(je::HUGEINT * je * je) FROM t', 'out_of_range'],
  ['SELECT je::INTEGER FROM t', 'conversion'],
];

describeEachStore('data in SQL error messages', (kind) => {
  let server: TestServer;
  let analyst: Credentials;
  let code: string;

  const call = (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => server.app.inject({ method, url, headers: { ...analyst.headers, ...headers }, payload });
  const query = (sql: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/api/v1/query', { sql, aliases: { t: code }, ...extra });

  /** The release entries of one request, in log order. */
  async function releases(requestId: string): Promise<AuditEntryView[]> {
    const page = await server.audit.entries(
      { type: ['data.release', 'data.release.start', 'data.release.complete'], resource: code },
      { limit: 1000 },
    );
    return page.items.filter((e) => e.requestId === requestId).sort((a, b) => a.index - b.index);
  }

  /** A start entry and its completion as failed, with the code (and class) only. */
  async function expectFailedRelease(requestId: string, error: string) {
    const entries = await releases(requestId);
    expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
    const [start, done] = entries as [AuditEntryView, AuditEntryView];
    expect(done.ref).toBe(start.index);
    expect(done.data).toMatchObject({ status: 'failed', rows: 0, bytes: 0, error });
    expect(JSON.stringify(entries)).not.toContain(CANARY);
  }

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: `统计局-${kind}-${CANARY}` });
    const consumer = await buildOrganization(db, { name: `审计局-${kind}-${CANARY}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    analyst = bearer((await buildApiKey(db, consumer.id)).key);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=canary',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const resource = await buildResource(
      db,
      provider.id,
      {
        // Plain items in clear under an automatic grant: the consumer may read every value, so
        // what an error must not carry is not a secret here but anything of the data at all.
        items: [
          { name: '名称', field: 'xm', dataType: 'string' },
          { name: '编号', field: 'sfzh', dataType: 'string' },
          { name: '金额', field: 'je', dataType: 'number' },
          { name: '期间', field: 'rq', dataType: 'string' },
        ],
        sharingType: 'unconditional',
        sharingMethods: ['api', 'file', 'verification'],
      },
      { publish: true },
    );
    code = resource.code;
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/binding`,
      headers: steward.headers,
      payload: { sourceId: upload.json().source.id, from: { kind: 'table', table: 'data' } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
  });
  afterAll(() => server.close());

  it('answers the string_agg attack of the review with a class, not the rows, and logs it as failed', async () => {
    const response = await query("SELECT error(string_agg(xm || '|' || sfzh, ';')) FROM t");
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'query_failed',
      details: { class: 'invalid_input' },
    });
    expect(response.body).not.toContain(CANARY);
    expect(JSON.stringify(response.headers)).not.toContain(CANARY);
    await expectFailedRelease(String(response.headers['x-request-id']), 'query_failed:invalid_input');
    // The same in Chinese: the class, not the engine's words.
    const zh = await call(
      'POST',
      '/api/v1/query',
      { sql: 'SELECT CAST(xm AS INTEGER) FROM t', aliases: { t: code } },
      { 'accept-language': 'zh-CN' },
    );
    expect(zh.json().error.message).toMatch(/^查询失败：/);
    expect(zh.body).not.toContain(CANARY);
  });

  // A few at a time: most of each case's time is the sandbox's start and load.
  describe.concurrent('every hostile function: query_failed and its class, never a value, logged as failed', () => {
    for (const [sql, failureClass] of HOSTILE) {
      it(sql, { timeout: 120_000 }, async ({ expect }) => {
        const response = await query(sql);
        const seen = `${response.statusCode} ${response.body.slice(0, 300)}`;
        expect(response.statusCode, seen).toBe(400);
        expect(response.json().error, seen).toMatchObject({
          code: 'query_failed',
          details: { class: failureClass },
        });
        for (const value of [CANARY, '张三', '李四', '9000000000000000000'])
          expect(response.body, seen).not.toContain(value);
        await expectFailedRelease(String(response.headers['x-request-id']), `query_failed:${failureClass}`);
      });
    }
  });

  it('keeps the binder’s message, which names only the SQL’s own columns', async () => {
    const response = await query('SELECT nosuch FROM t');
    expect(response.json().error).toMatchObject({ code: 'query_failed', details: { class: 'binder' } });
    expect(response.json().error.message).toContain('nosuch');
    expect(response.body).not.toContain(CANARY);
    await expectFailedRelease(String(response.headers['x-request-id']), 'query_failed:binder');
  });

  it('answers try_cast with NULLs, and logs that answer with its figures', async () => {
    const response = await query('SELECT try_cast(xm AS INTEGER) AS n FROM t');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().rows).toEqual([{ n: null }, { n: null }]);
    const entries = await releases(String(response.headers['x-request-id']));
    expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
    expect(entries[1]!.data).toMatchObject({
      status: 'complete',
      rows: 2,
      bytes: Buffer.byteLength(response.body),
    });
  });

  it('fails a file export on a run-time error without a value, before or after its first byte', {
    timeout: 120_000,
  }, async () => {
    for (const format of ['csv', 'ndjson', 'parquet', 'xlsx', 'arrow']) {
      const response = await query('SELECT CAST(xm AS INTEGER) AS n FROM t', { format });
      expect(response.body, format).not.toContain(CANARY);
      const entries = await releases(String(response.headers['x-request-id']));
      expect(
        entries.map((e) => e.type),
        format,
      ).toEqual(['data.release.start', 'data.release.complete']);
      expect(['failed', 'aborted'], format).toContain(entries[1]!.data.status);
      expect(entries[1]!.data.error, format).toBe('query_failed:conversion');
    }
  });

  it('writes the entry before the query runs: with the log unavailable the attack answers 503, not the data', async () => {
    // The table away, every audit write fails (planning's too)...
    await sql`ALTER TABLE audit_entries RENAME TO audit_entries_away`.execute(server.store.db);
    try {
      const response = await query("SELECT error(string_agg(xm || '|' || sfzh, ';')) FROM t");
      expect([response.statusCode, response.json().error.code]).toEqual([503, 'audit_unavailable']);
      expect(response.body).not.toContain(CANARY);
    } finally {
      await sql`ALTER TABLE audit_entries_away RENAME TO audit_entries`.execute(server.store.db);
    }
    // ...and with only the release's start entry failing, nothing is read or run either: each
    // route answers 503, where a start written after the read would have let the error through.
    const begin = server.audit.beginRelease;
    let begun = 0;
    server.audit.beginRelease = async () => {
      begun++;
      throw new AuditUnavailableError();
    };
    try {
      for (const response of [
        await query("SELECT error(string_agg(xm || '|' || sfzh, ';')) FROM t"),
        await query('SELECT CAST(xm AS INTEGER) FROM t', { format: 'csv' }),
        await call('GET', `/api/v1/resources/${code}/rows`),
        await call('POST', `/api/v1/resources/${code}/verify`, { values: { 名称: NAMES[0], 编号: IDS[0] } }),
      ]) {
        expect([response.statusCode, response.json().error.code], response.body).toEqual([
          503,
          'audit_unavailable',
        ]);
        expect(response.body).not.toContain(CANARY);
      }
      expect(begun).toBe(4);
    } finally {
      server.audit.beginRelease = begin;
    }
  });
});

const postgresUp = await serviceAvailable('postgres');

describe.skipIf(!postgresUp)('data in a source’s error messages', () => {
  let server: TestServer;
  let analyst: Credentials;
  let client: pg.Client;
  const schema = `src_${randomBytes(5).toString('hex')}`;
  let code: string;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: SERVICES.postgres.url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.t (xm text, sfzh text)`);
    await client.query(`INSERT INTO ${schema}.t VALUES ($1, '1')`, [NAMES[0]]);
    server = await openTestServer('pglite');
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: `公安厅-${schema}` });
    const consumer = await buildOrganization(db, { name: `民政厅-${schema}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    analyst = bearer((await buildApiKey(db, consumer.id)).key);
    const source = await createSource(db, server.sources, {
      kind: 'postgres',
      name: '人口库',
      database: 'test',
      orgId: provider.id,
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    });
    const resource = await buildResource(
      db,
      provider.id,
      {
        items: [
          { name: '名称', field: 'xm', dataType: 'string' },
          { name: '编号', field: 'n', dataType: 'number' },
        ],
        sharingType: 'unconditional',
        sharingMethods: ['api', 'file', 'verification'],
      },
      { publish: true },
    );
    code = resource.code;
    // A steward's SELECT that PostgreSQL can plan but not run on these rows: its error,
    // `invalid input syntax for type integer: "…"`, quotes the value it failed on.
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/binding`,
      headers: steward.headers,
      payload: {
        sourceId: source.id,
        from: { kind: 'query', sql: `SELECT xm, sfzh::integer AS n FROM ${schema}.t` },
      },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    // Rows stay at the source: one added after the binding's scan is read by the next request.
    await client.query(`INSERT INTO ${schema}.t VALUES ($1, $2)`, [NAMES[1], IDS[1]]);
  });
  afterAll(async () => {
    await server?.close();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });

  it('answers /rows, /query and /verify with the source’s code only, each logged as failed', {
    timeout: 120_000,
  }, async () => {
    const calls: Array<[name: string, method: 'GET' | 'POST', url: string, payload?: object]> = [
      ['rows json', 'GET', `/api/v1/resources/${code}/rows`],
      ['rows csv', 'GET', `/api/v1/resources/${code}/rows?format=csv`],
      ['sql', 'POST', '/api/v1/query', { sql: 'SELECT * FROM t', aliases: { t: code } }],
      ['verify', 'POST', `/api/v1/resources/${code}/verify`, { values: { 名称: NAMES[1], 编号: 1 } }],
    ];
    for (const [name, method, url, payload] of calls) {
      const requestId = `data-in-errors-${randomBytes(6).toString('hex')}`;
      // A stream that fails after its headers is cut: the client gets no error text at all.
      const response = await server.app
        .inject({ method, url, payload, headers: { ...analyst.headers, 'x-request-id': requestId } })
        .catch(() => undefined);
      if (response) {
        expectRefusal(response, 'source_query_failed');
        expect(response.body, name).not.toContain(CANARY);
        expect(response.body, name).not.toContain('invalid input syntax');
        expect(response.json().error, name).toMatchObject({
          code: 'source_query_failed',
          details: { sqlstate: '22P02' },
        });
      }
      let entries: AuditEntryView[] = [];
      for (let i = 0; i < 50 && entries.length < 2; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        entries = (
          await server.audit.entries(
            { type: ['data.release', 'data.release.start', 'data.release.complete'], resource: code },
            { limit: 1000 },
          )
        ).items.filter((e) => e.requestId === requestId);
      }
      expect(entries.map((e) => e.type).sort(), name).toEqual([
        'data.release.complete',
        'data.release.start',
      ]);
      const done = entries.find((e) => e.type === 'data.release.complete')!;
      expect(['failed', 'aborted'], name).toContain(done.data.status);
      expect(done.data.error, name).toBe('source_query_failed');
      expect(JSON.stringify(entries), name).not.toContain(CANARY);
    }
  });
});
