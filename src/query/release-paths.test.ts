import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { describeEachStore } from '../../test/support/store.js';

/** An XLSX workbook of enterprises' monthly power use, as a provider would upload it. */
async function powerWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('用电');
  sheet.addRow(['tyshxydm', 'yf', 'ydl']);
  for (let i = 0; i < 6; i++)
    sheet.addRow([
      `91350100MA${String(i % 3).padStart(8, '0')}`,
      `2026-0${(i % 2) + 1}`,
      i === 0 ? 0 : 1000 * i,
    ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const CSV =
  'tyshxydm,qymc,zt\n91350100MA00000000,甲公司,存续\n91350100MA00000001,乙公司,存续\n91350100MA00000002,丙公司,注销\n';

describeEachStore('every data-releasing path', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let analystKey: string;
  let power: string;
  let market: string;
  const call = (
    as: Credentials | undefined,
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(as?.headers ?? {}), ...headers },
      payload: payload as string,
    });

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const grid = await buildOrganization(db, { name: `国网-${kind}-${Date.now()}` });
    const consumer = await buildOrganization(db, { name: `发改委-${kind}-${Date.now()}` });
    steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: grid.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    analystKey = (await buildApiKey(db, consumer.id)).key;
    const xlsx = await call(steward, 'POST', '/api/v1/sources/files?name=power', await powerWorkbook(), {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(xlsx.statusCode, xlsx.body).toBe(201);
    const csv = await call(steward, 'POST', '/api/v1/sources/files?name=market', CSV, {
      'content-type': 'text/csv',
    });
    expect(csv.statusCode, csv.body).toBe(201);
    const powerResource = await buildResource(
      db,
      grid.id,
      {
        items: [
          { name: '统一社会信用代码', field: 'tyshxydm', dataType: 'string' },
          { name: '月份', field: 'yf', dataType: 'string' },
          { name: '用电量', field: 'ydl', dataType: 'number' },
        ],
        sharingType: 'unconditional',
        openType: 'unconditional',
        sharingMethods: ['api', 'file', 'verification'],
      },
      { publish: true },
    );
    const marketResource = await buildResource(
      db,
      grid.id,
      {
        items: [
          { name: '统一社会信用代码', field: 'tyshxydm', dataType: 'string' },
          { name: '企业名称', field: 'qymc', dataType: 'string' },
          { name: '状态', field: 'zt', dataType: 'string' },
        ],
        sharingType: 'unconditional',
      },
      { publish: true },
    );
    power = powerResource.code;
    market = marketResource.code;
    for (const [code, source] of [
      [power, xlsx.json().source.id],
      [market, csv.json().source.id],
    ]) {
      const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
        sourceId: source,
        from: { kind: 'table', table: 'data' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
    }
  });
  afterAll(() => server.close());

  const releases = async (requestId: string) =>
    (await server.audit.entries({}, { limit: 200 })).items.filter(
      (e) => e.requestId === requestId && e.type.startsWith('data.release'),
    );

  it('logs a JSON page, a streamed export, a SQL answer, a SQL export and a verification, each before the data', async () => {
    const paths: Array<
      [
        string,
        () => Promise<{ headers: Record<string, unknown>; statusCode: number; body: string }>,
        string[],
      ]
    > = [
      [
        'rows json',
        () => call(bearer(analystKey), 'GET', `/api/v1/resources/${power}/rows`),
        ['data.release.start', 'data.release.complete'],
      ],
      [
        'rows csv',
        () => call(bearer(analystKey), 'GET', `/api/v1/resources/${power}/rows?format=csv`),
        ['data.release.start', 'data.release.complete'],
      ],
      [
        'sql json',
        () =>
          call(bearer(analystKey), 'POST', '/api/v1/query', {
            sql: 'SELECT count(*) AS n FROM p',
            aliases: { p: power },
          }),
        ['data.release.start', 'data.release.complete'],
      ],
      [
        'sql ndjson',
        () =>
          call(bearer(analystKey), 'POST', '/api/v1/query', {
            sql: 'SELECT * FROM p',
            aliases: { p: power },
            format: 'ndjson',
          }),
        ['data.release.start', 'data.release.complete'],
      ],
      [
        'verification',
        () =>
          call(bearer(analystKey), 'POST', `/api/v1/resources/${power}/verify`, {
            values: { 统一社会信用代码: '91350100MA00000001', 月份: '2026-02' },
          }),
        ['data.release.start', 'data.release.complete'],
      ],
    ];
    for (const [name, run, types] of paths) {
      const response = await run();
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      const entries = await releases(String(response.headers['x-request-id']));
      expect(
        entries.map((e) => e.type),
        name,
      ).toEqual(types);
      expect(entries[0]!.resources, name).toEqual([power]);
      // The caller's address, which the early-warning rule on keys used from new addresses watches.
      expect(entries[0]!.data.ip, name).toBe('127.0.0.1');
      // Each answer is completed with the figures of what left; a whole answer's match the body.
      expect(entries[1]!.ref, name).toBe(entries[0]!.index);
      expect(entries[1]!.data.status, name).toBe('complete');
      if (!name.includes('csv') && !name.includes('ndjson'))
        expect(entries[1]!.data.bytes, name).toBe(Buffer.byteLength(response.body));
      // A verification's entry names the items claimed (not the view's columns) and says what it was.
      if (name === 'verification')
        expect(entries[0]!.data, name).toMatchObject({
          query: 'verify ["统一社会信用代码","月份"]',
          format: 'verification',
          items: { [power]: ['统一社会信用代码', '月份'] },
        });
    }
  });

  it('joins an uploaded XLSX with an uploaded CSV: the shell-company check across two files', async () => {
    const response = await call(bearer(analystKey), 'POST', '/api/v1/query', {
      sql: `SELECT m.qymc, sum(p.ydl) AS total FROM market m JOIN power p USING (tyshxydm)
            WHERE m.zt = '存续' GROUP BY m.qymc ORDER BY total`,
      aliases: { market, power },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().rows).toEqual([
      { qymc: '甲公司', total: 3000 },
      { qymc: '乙公司', total: 5000 },
    ]);
  });

  it('lets an anonymous visitor download an open resource, and logs it', async () => {
    const response = await call(undefined, 'GET', `/api/v1/resources/${power}/rows?format=csv`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body.split('\r\n')[0]).toBe('tyshxydm,yf,ydl');
    const entries = await releases(String(response.headers['x-request-id']));
    expect(entries[0]!.actor).toEqual({ kind: 'system', id: 'anonymous', orgId: null });
    expect((await call(undefined, 'GET', `/api/v1/resources/${market}/rows`)).statusCode).toBe(404);
  });

  it('releases nothing when the audit log cannot be written (fail closed, 503)', async () => {
    await sql`ALTER TABLE audit_entries RENAME TO audit_entries_away`.execute(server.store.db);
    try {
      for (const run of [
        () => call(bearer(analystKey), 'GET', `/api/v1/resources/${power}/rows`),
        () => call(bearer(analystKey), 'GET', `/api/v1/resources/${power}/rows?format=csv`),
        () =>
          call(bearer(analystKey), 'POST', '/api/v1/query', {
            sql: 'SELECT * FROM p',
            aliases: { p: power },
          }),
        // An error answer derives from the data as much as rows do: it waits for its entry too.
        () =>
          call(bearer(analystKey), 'POST', '/api/v1/query', {
            sql: "SELECT error(string_agg(tyshxydm, ';')) FROM p",
            aliases: { p: power },
          }),
        () =>
          call(bearer(analystKey), 'POST', `/api/v1/resources/${power}/verify`, {
            values: { 统一社会信用代码: '91350100MA00000001', 月份: '2026-02' },
          }),
      ]) {
        const response = await run();
        expect([response.statusCode, errorCode(response as never)]).toEqual([503, 'audit_unavailable']);
        expect(response.body).not.toContain('91350100MA');
      }
    } finally {
      await sql`ALTER TABLE audit_entries_away RENAME TO audit_entries`.execute(server.store.db);
    }
    expect((await call(bearer(analystKey), 'GET', `/api/v1/resources/${power}/rows`)).statusCode).toBe(200);
  });
});
