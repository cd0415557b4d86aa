import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import { errorCode, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

describeEachStore('API conventions', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_BODY_LIMIT: '4096' });
  });
  afterAll(() => server.close());

  it('reports health with version and store kind', async () => {
    const response = await server.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: kind });
    expect(response.json().version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves the OpenAPI 3.1 document and the interactive docs', async () => {
    const doc = await server.app.inject({ url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.1.0');
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/organizations');
    const docs = await server.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('refuses every non-public route without credentials with 401', async () => {
    const routes = server.app.routeTable.filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, SOME_ID);
      const response = await server.app.inject({
        method: route.method as 'GET',
        url,
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(errorCode(response)).toBe('unauthenticated');
    }
  });

  it('puts a request id on every response and keeps a sane one given by the caller', async () => {
    const own = await server.app.inject({ url: '/api/health' });
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await server.app.inject({ url: '/api/health', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const bad = await server.app.inject({ url: '/api/health', headers: { 'x-request-id': '<script>' } });
    expect(bad.headers['x-request-id']).not.toBe('<script>');
  });

  it('answers unknown routes with the error shape', async () => {
    const response = await server.app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'route_not_found', message: expect.any(String) } });
  });

  it('rejects malformed JSON, wrong types, unknown fields, oversize bodies and wrong content types, writing nothing', async () => {
    const admin = await buildUser(server.store.db, { roles: ['platform_admin'] });
    const { headers } = await loginAs(server.app, admin.username, TEST_PASSWORD);
    const post = (payload: string, contentType = 'application/json') =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { ...headers, 'content-type': contentType },
        payload,
      });
    const valid = { name: '坏输入测试', kind: 'department', level: 'provincial', regionCode: '350000' };

    const malformed = await post('{"name": ');
    expect([malformed.statusCode, errorCode(malformed)]).toEqual([400, 'malformed_json']);
    const wrongType = await post(JSON.stringify({ ...valid, level: 7 }));
    expect([wrongType.statusCode, errorCode(wrongType)]).toEqual([400, 'invalid_request']);
    expect(wrongType.json().error.details[0].path).toBe('level');
    const unknown = await post(JSON.stringify({ ...valid, colour: 'red' }));
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([400, 'invalid_request']);
    const huge = await post(JSON.stringify({ ...valid, name: 'x'.repeat(10_000) }));
    expect([huge.statusCode, errorCode(huge)]).toEqual([413, 'body_too_large']);
    const text = await post('name=x', 'text/plain');
    expect([text.statusCode, errorCode(text)]).toEqual([415, 'unsupported_media_type']);
    const region = await post(JSON.stringify({ ...valid, regionCode: '999999' }));
    expect([region.statusCode, errorCode(region)]).toEqual([400, 'invalid_region_code']);
    const credit = await post(
      JSON.stringify({ ...valid, kind: 'enterprise', creditCode: '91350100M000100Y44' }),
    );
    expect([credit.statusCode, errorCode(credit)]).toEqual([400, 'invalid_credit_code']);

    const list = await server.app.inject({ url: '/api/v1/organizations?limit=200', headers });
    expect(list.json().items.map((o: { name: string }) => o.name)).not.toContain('坏输入测试');

    const created = await post(JSON.stringify(valid));
    expect(created.statusCode).toBe(201);
    const again = await post(JSON.stringify(valid));
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'duplicate_name']);
  });

  it('answers in Chinese when the caller prefers it', async () => {
    const response = await server.app.inject({
      url: '/api/v1/organizations',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(response.json().error.message).toBe('需要登录或提供 API 密钥');
  });

  it('never returns a stack, SQL or a path in an error', async () => {
    const response = await server.app.inject({ url: '/api/v1/organizations?limit=abc' });
    expect(response.body).not.toMatch(/at .*\.ts:|select |\/work\//i);
  });
});
