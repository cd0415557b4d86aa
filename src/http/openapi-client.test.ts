import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../test/support/http.js';

// Generated here (test-artifacts/ is ignored by git and kept by CI): the types, and a client
// program that must type-check against them before it runs.
const OUT = resolve(import.meta.dirname, '../../test-artifacts/openapi-client');

// The program a consumer would write: sign in, list the catalog with an application's key, read
// rows of the granted resource. Every path, parameter and field is checked by tsc against the
// generated types (a wrong one, say `rows` misspelt, fails the compile).
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export interface Who { username: string; password: string; key: string; code: string }

export async function run(baseUrl: string, who: Who) {
  const client = createClient<paths>({ baseUrl });
  const login = await client.POST('/api/v1/auth/login', { body: { username: who.username, password: who.password } });
  const cookie = login.response.headers.get('set-cookie')?.split(';')[0] ?? '';
  const me = await client.GET('/api/v1/auth/me', { headers: { cookie } });
  const auth = { authorization: \`Bearer \${who.key}\` };
  const search = await client.GET('/api/v1/catalog/search', { params: { query: { q: '居民', limit: 10 } }, headers: auth });
  const rows = await client.GET('/api/v1/resources/{code}/rows', {
    params: { path: { code: who.code }, query: { limit: 5, format: 'json' } },
    headers: auth,
  });
  const refused = await client.GET('/api/v1/resources/{code}/rows', { params: { path: { code: who.code } } });
  return {
    loginStatus: login.response.status,
    csrfToken: login.data?.csrfToken,
    me: me.data?.user?.username,
    found: search.data?.items.map((r) => r.code) ?? [],
    columns: rows.data?.columns.map((c) => \`\${c.name}:\${c.type}\`) ?? [],
    rows: rows.data?.rows ?? [],
    refusedStatus: refused.response.status,
    refusedCode: refused.error?.error.code,
  };
}
`;

/** Type-checks `files` (strict, NodeNext) and returns the diagnostics as text. */
function typeCheck(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a typed client generated from the served OpenAPI document', () => {
  let server: TestServer;
  let baseUrl: string;
  let analyst: { username: string };
  let key: string;
  let code: string;
  const CSV = 'xm,qh\n张三,鼓楼区\n李四,台江区\n';

  beforeAll(async () => {
    server = await openTestServer('pglite');
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const db = server.store.db;
    const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
      server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as string });

    // A provider with a bound, conditionally shared resource; a consumer whose application holds a grant.
    const provider = await buildOrganization(db);
    const stewardUser = await buildUser(db, { orgId: provider.id, roles: ['data_steward'] });
    const steward = await loginAs(server.app, stewardUser.username, TEST_PASSWORD);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=residents',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const resource = await buildResource(
      db,
      provider.id,
      {
        name: '居民区划信息',
        items: [
          { name: '姓名', field: 'xm', dataType: 'string' },
          { name: '区划', field: 'qh', dataType: 'string' },
        ],
        sharingType: 'conditional',
        sharingConditions: '用于测试',
        sharingMethods: ['api'],
      },
      { publish: true },
    );
    code = resource.code;
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId: upload.json().source.id,
      from: { kind: 'table', table: 'data' },
    });
    expect(bound.statusCode, bound.body).toBe(200);

    const consumer = await buildOrganization(db);
    const analystUser = await buildUser(db, { orgId: consumer.id, roles: ['analyst'] });
    analyst = analystUser;
    const apiKey = await buildApiKey(db, consumer.id);
    key = apiKey.key;
    const requested = await call(
      await loginAs(server.app, analystUser.username, TEST_PASSWORD),
      'POST',
      '/api/v1/access-requests',
      {
        applicationId: apiKey.application.id,
        resourceCode: code,
        items: ['姓名', '区划'],
        purpose: '测试',
        legalBasis: '《测试条例》',
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    );
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(
      steward,
      'POST',
      `/api/v1/access-requests/${requested.json().id}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
  }, 120_000);
  afterAll(() => server.close());

  it('generates types with openapi-typescript, type-checks a client program, and calls the API with openapi-fetch', async () => {
    const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenAPI3;
    const types = astToString(await openapiTS(document));
    expect(types).toContain('getResourcesByCodeRows');
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'api.ts'), types);
    writeFileSync(join(OUT, 'client.ts'), CLIENT);
    expect(typeCheck([join(OUT, 'client.ts')])).toEqual([]);

    const { run } = (await import(join(OUT, 'client.ts'))) as {
      run: (
        url: string,
        who: Record<string, string>,
      ) => Promise<Record<string, unknown> & { found: string[] }>;
    };
    const result = await run(baseUrl, { username: analyst.username, password: TEST_PASSWORD, key, code });
    expect(result).toMatchObject({
      loginStatus: 200,
      csrfToken: expect.any(String),
      me: analyst.username,
      columns: ['xm:string', 'qh:string'],
      rows: [
        { xm: '张三', qh: '鼓楼区' },
        { xm: '李四', qh: '台江区' },
      ],
      refusedStatus: 404, // a visitor does not learn that a shared resource exists
    });
    expect(result.found).toContain(code);
    expect(result.refusedCode).toEqual(expect.any(String));
  }, 120_000);

  it('type-checking refuses a client that names a field the API does not have', () => {
    writeFileSync(join(OUT, 'wrong.ts'), CLIENT.replace('rows.data?.rows', 'rows.data?.records'));
    expect(typeCheck([join(OUT, 'wrong.ts')]).join('\n')).toMatch(/records/);
  }, 120_000);
});
