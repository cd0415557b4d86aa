import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource } from '../../../../test/support/factories.js';
import { openTestServer, type TestServer } from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';

describeEachStore('catalog search routes', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const org = await buildOrganization(server.store.db);
    await buildResource(
      server.store.db,
      org.id,
      { name: '常住人口基本信息', openType: 'unconditional' },
      { publish: true },
    );
    await buildResource(server.store.db, org.id, { name: '人口死亡登记' }, { publish: true });
  });
  afterAll(() => server.close());

  it('searches anonymously over open resources only, with facets', async () => {
    const response = await server.app.inject({
      url: `/api/v1/catalog/search?q=${encodeURIComponent('人口')}`,
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.count).toBe(1);
    expect(result.items[0].name).toBe('常住人口基本信息');
    expect(result.facets.openType).toEqual([{ value: 'unconditional', label: '无条件开放', count: 1 }]);
    const none = await server.app.inject({ url: '/api/v1/catalog/search?facets=&grade=core' });
    expect(none.json()).toEqual({ count: 0, items: [], facets: {} });
    const bad = await server.app.inject({ url: '/api/v1/catalog/search?sharingType=maybe' });
    expect(bad.statusCode).toBe(400);
  });

  it('lists the classification tree', async () => {
    const response = await server.app.inject({ url: '/api/v1/catalog/classifications' });
    const codes = response.json().items.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['1', '101', '101001', '2', '3']));
  });
});
