import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { parseScrape } from '../../../test/support/prometheus.js';
import { describeEachStore } from '../../../test/support/store.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const CSV = 'qh,mc,rs\n350102,鼓楼区,10\n350103,台江区,20\n350104,仓山区,30\n';
const ROWS_ROUTE = '/api/v1/resources/:code/rows';

describeEachStore('GET /metrics and the console’s JSON of the same figures', (kind) => {
  let server: TestServer;
  let admin: Credentials;
  let analyst: Credentials;
  let code: string;

  const scrape = async () => {
    const response = await server.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    return parseScrape(response.body);
  };

  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_METRICS_TOKEN: TOKEN });
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: `统计局-${kind}-${Date.now()}` });
    const consumer = await buildOrganization(db, { name: `民政厅-${kind}-${Date.now()}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    admin = await loginAs(
      server.app,
      (await buildUser(db, { roles: ['platform_admin'] })).username,
      TEST_PASSWORD,
    );
    analyst = bearer((await buildApiKey(db, consumer.id)).key);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=districts',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const resource = await buildResource(
      db,
      provider.id,
      {
        items: [
          { name: '区划', field: 'qh', dataType: 'string' },
          { name: '名称', field: 'mc', dataType: 'string' },
          { name: '人数', field: 'rs', dataType: 'number' },
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
      payload: { sourceId: upload.json().source.id, from: { kind: 'table', table: 'data' } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
  });
  afterAll(() => server.close());

  it('refuses a scrape without the token or with a wrong one (401), and has no /metrics without a token set', async () => {
    const none = await server.app.inject({ url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await server.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    // An API key is no scrape token.
    const key = await server.app.inject({ url: '/metrics', headers: analyst.headers });
    expect(key.statusCode).toBe(401);
    const untokened = await openTestServer(kind);
    try {
      expect((await untokened.app.inject({ url: '/metrics' })).statusCode).toBe(404);
      const withHeader = await untokened.app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(withHeader.statusCode).toBe(404);
    } finally {
      await untokened.close();
    }
  });

  it('counts a rows request and an SQL query: requests by route, release rows and bytes by resource, audit appends', async () => {
    const before = await scrape();
    const rows = await server.app.inject({ url: `/api/v1/resources/${code}/rows`, headers: analyst.headers });
    expect(rows.statusCode, rows.body).toBe(200);
    expect(rows.json().rows).toHaveLength(3);
    const query = await server.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: analyst.headers,
      payload: { sql: `SELECT qh, rs FROM "${code}" WHERE rs >= 20` },
    });
    expect(query.statusCode, query.body).toBe(200);
    expect(query.json().rows).toHaveLength(2);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);

    const rowsRoute = { method: 'GET', route: ROWS_ROUTE, status: '200' };
    expect(delta('huitong_http_requests_total', rowsRoute)).toBe(1);
    // The parser flattens a labelled histogram into one sample (its labels lost), so only the
    // family's presence is checked here; its per-route counts are checked through the JSON below.
    expect(after.families.find((f) => f.name === 'huitong_http_request_duration_seconds')?.type).toBe(
      'HISTOGRAM',
    );
    expect(
      delta('huitong_http_requests_total', { method: 'POST', route: '/api/v1/query', status: '200' }),
    ).toBe(1);
    // Route patterns, never raw URLs: no label carries the resource code.
    expect(after.labels('huitong_http_requests_total').some((l) => l.route?.includes(code))).toBe(false);

    // Release figures: the 3 rows of the page and the 2 of the query, under the resource's code.
    expect(delta('huitong_release_rows_total', { resource: code, format: 'json' })).toBe(5);
    const bytes = delta('huitong_release_bytes_total', { resource: code, format: 'json' });
    expect(bytes).toBe(Buffer.byteLength(rows.body) + Buffer.byteLength(query.body));
    expect(delta('huitong_releases_total', { resource: code, format: 'json', status: 'complete' })).toBe(2);

    // Each release wrote a start and a completion entry; the queue is drained.
    expect(delta('huitong_audit_appends_total', {})).toBeGreaterThanOrEqual(4);
    expect(after.value('huitong_audit_queue_depth')).toBe(0);

    // The SQL query ran in a sandbox child; Node's own process metrics are there.
    expect(after.value('huitong_sandbox_starts_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(after.families.some((f) => f.name === 'huitong_sandbox_processes')).toBe(true);
    expect(after.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.value('huitong_store_up')).toBe(1);
  });

  it('counts a refused request under its route and status', async () => {
    const before = await scrape();
    const refused = await server.app.inject({
      url: '/api/v1/resources/NO-SUCH-CODE/rows',
      headers: analyst.headers,
    });
    expect(refused.statusCode).toBe(404);
    const after = await scrape();
    const labels = { method: 'GET', route: ROWS_ROUTE, status: '404' };
    expect(
      after.value('huitong_http_requests_total', labels) -
        before.value('huitong_http_requests_total', labels),
    ).toBe(1);
  });

  it('gives system administrators the same figures as JSON, and no one else', async () => {
    await server.app.inject({ url: `/api/v1/resources/${code}/rows?limit=1`, headers: analyst.headers });
    const response = await server.app.inject({ url: '/api/v1/admin/metrics', headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    const scraped = await scrape();
    const release = view.releases.find(
      (r: { resource: string; format: string }) => r.resource === code && r.format === 'json',
    );
    expect(release.rows).toBe(
      scraped.value('huitong_release_rows_total', { resource: code, format: 'json' }),
    );
    expect(release.rows).toBeGreaterThanOrEqual(6);
    const route = view.http.find(
      (r: { route: string; status: string }) => r.route === ROWS_ROUTE && r.status === '200',
    );
    expect(route.requests).toBeGreaterThanOrEqual(2);
    expect(route.p95Seconds).toBeGreaterThan(0);
    expect(view.audit.appends).toBeGreaterThan(0);
    expect(view.process.residentMemoryBytes).toBeGreaterThan(0);

    expect(
      (await server.app.inject({ url: '/api/v1/admin/metrics', headers: analyst.headers })).statusCode,
    ).toBe(403);
    expect((await server.app.inject({ url: '/api/v1/admin/metrics' })).statusCode).toBe(401);
  });
});
