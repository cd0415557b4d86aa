import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildOrganization,
  buildResource,
  buildUser,
  stewardOf,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../test/support/http.js';
import { testOutbound } from '../../test/support/services.js';
import { describeEachStore } from '../../test/support/store.js';
import { retireResource } from '../catalog/index.js';
import { initRoot, joinFederation, loadNodeKey, refreshConfig, reportCatalogOnce } from './index.js';

async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

describeEachStore('catalog reporting through a province (city → province → national)', (kind) => {
  let root: TestServer;
  let province: TestServer;
  let city: TestServer;
  let admin: Credentials;
  let cityOrg: string;

  const join = async (
    server: TestServer,
    rootUrl: string,
    nodeId: string,
    regionCode: string,
    parent: string,
  ) => {
    const token = (
      await root.app.inject({ method: 'POST', url: '/api/v1/federation/join-tokens', payload: {}, ...admin })
    ).json().token as string;
    const url = await listen(server);
    await joinFederation(
      server.store.db,
      testOutbound,
      await loadNodeKey(server.config.HUITONG_DATA_DIR),
      rootUrl,
      token,
      {
        nodeId,
        regionCode,
        name: `${nodeId} 节点`,
        level: regionCode.endsWith('0000') ? 'provincial' : 'city',
        url,
        parentNodeId: parent,
      },
    );
    const decided = await root.app.inject({
      method: 'POST',
      url: `/api/v1/federation/members/${nodeId}/decision`,
      payload: { decision: 'approve' },
      ...admin,
    });
    expect(decided.statusCode).toBe(200);
  };
  const report = async (server: TestServer) =>
    reportCatalogOnce(server.store.db, testOutbound, (await loadNodeKey(server.config.HUITONG_DATA_DIR)).key);
  const searchAtRoot = async (q: string) =>
    (
      await root.app.inject({
        method: 'GET',
        url: `/api/v1/catalog/search?q=${encodeURIComponent(q)}`,
        ...admin,
      })
    ).json() as { count: number; items: Array<{ code: string; node?: { nodeId: string } }> };

  beforeAll(async () => {
    root = await openTestServer(kind);
    province = await openTestServer(kind);
    city = await openTestServer(kind);
    const rootUrl = await listen(root);
    await initRoot(root.store.db, await loadNodeKey(root.config.HUITONG_DATA_DIR), '测试联邦', {
      nodeId: 'cn-100000',
      regionCode: '100000',
      name: '国家节点',
      level: 'national',
      url: rootUrl,
    });
    const user = await buildUser(root.store.db, { roles: ['platform_admin'] });
    admin = await loginAs(root.app, user.username, TEST_PASSWORD);
    await join(province, rootUrl, 'fj-350000', '350000', 'cn-100000');
    await join(city, rootUrl, 'fz-350100', '350100', 'fj-350000');
    for (const s of [province, city]) await refreshConfig(s.store.db, testOutbound);
    cityOrg = (await buildOrganization(city.store.db, { regionCode: '350100', level: 'municipal' })).id;
  });
  afterAll(async () => {
    await city?.close();
    await province?.close();
    await root?.close();
  });

  it("a city's entry reaches the national node through its province, under the city, and its retirement follows", async () => {
    const r = await buildResource(city.store.db, cityOrg, { name: '福州公积金缴存信息' }, { publish: true });
    await report(city);
    expect((await searchAtRoot('公积金')).count).toBe(0);
    await report(province);
    const found = await searchAtRoot('公积金');
    expect(found.items.map((i) => [i.code, i.node?.nodeId])).toEqual([[r.code, 'fz-350100']]);
    const nodes = await root.app.inject({ method: 'GET', url: '/api/v1/federation/catalog/nodes', ...admin });
    expect(nodes.json().items).toContainEqual(
      expect.objectContaining({ nodeId: 'fz-350100', viaNodeId: 'fj-350000', entries: 1, stale: false }),
    );
    await retireResource(city.store.db, stewardOf(cityOrg), r.code);
    await report(city);
    await report(province);
    expect((await searchAtRoot('公积金')).count).toBe(0);
  });
});
