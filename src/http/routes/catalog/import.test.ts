import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildUser, TEST_PASSWORD } from '../../../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';

const SAMPLE = readFileSync(new URL('../../../../docs/samples/catalog-import.csv', import.meta.url));

describeEachStore('catalog import and statistics routes', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let analyst: Credentials;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const org = await buildOrganization(server.store.db);
    const s = await buildUser(server.store.db, { orgId: org.id, roles: ['data_steward'] });
    const a = await buildUser(server.store.db, { orgId: org.id, roles: ['analyst'] });
    steward = await loginAs(server.app, s.username, TEST_PASSWORD);
    analyst = await loginAs(server.app, a.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  const upload = (as: Credentials | undefined, payload: Buffer, query = '', type = 'text/csv') =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/catalog/import${query}`,
      headers: { ...(as?.headers ?? {}), 'content-type': type },
      payload,
    });

  it('imports a CSV sheet, refuses others, and counts the result', async () => {
    expect((await upload(undefined, SAMPLE)).statusCode).toBe(401);
    expect((await upload(analyst, SAMPLE)).statusCode).toBe(403);
    const broken = Buffer.from('序号,信息资源名称,信息资源分类\n1,坏,999\n');
    const rejected = await upload(steward, broken, '?mode=all-or-nothing');
    expect([rejected.statusCode, errorCode(rejected)]).toEqual([400, 'import_rejected']);
    expect(rejected.json().error.details.rejected[0]).toMatchObject({ row: 2, code: 'invalid_request' });
    const notXlsx = await upload(
      steward,
      Buffer.from('PK\u0003\u0004garbage'),
      '',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect([notXlsx.statusCode, errorCode(notXlsx)]).toEqual([400, 'malformed_xlsx']);
    const response = await upload(steward, SAMPLE, '?publish=true');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 3, committed: true, rejected: [] });
    const stats = await server.app.inject({ url: '/api/v1/catalog/stats', headers: steward.headers });
    expect(stats.json()).toMatchObject({ total: 3 });
    expect(stats.json().bySharingType).toHaveLength(3);
    const anonymous = await server.app.inject({ url: '/api/v1/catalog/stats' });
    expect(anonymous.json().total).toBe(1);
  });
});
