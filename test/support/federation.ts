import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { CreateResourceInput } from '../../src/catalog/index.js';
import { initRoot, joinFederation, loadNodeKey, refreshConfig } from '../../src/federation/index.js';
import { createSource } from '../../src/sources/index.js';
import { buildOrganization, buildSharedResource, buildUser, TEST_PASSWORD } from './factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from './http.js';
import { SERVICES, testOutbound } from './services.js';
import { postgresPeople } from './source-data.js';

/** Starts listening on a free port of 127.0.0.1; returns the base URL. */
export async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

/**
 * Two real nodes: the national node `cn-100000` (the root) and Zhejiang `zj-330000`, joined
 * under it with a token issued over the API and approved by the root's administrator.
 */
export async function nationalAndZhejiang() {
  const national = await openTestServer('pglite');
  const zhejiang = await openTestServer('pglite');
  const nationalUrl = await listen(national);
  const zhejiangUrl = await listen(zhejiang);
  await initRoot(national.store.db, await loadNodeKey(national.config.HUITONG_DATA_DIR), '测试联邦', {
    nodeId: 'cn-100000',
    regionCode: '100000',
    name: '国家节点',
    level: 'national',
    url: nationalUrl,
  });
  const user = await buildUser(national.store.db, { roles: ['platform_admin'] });
  const admin: Credentials = await loginAs(national.app, user.username, TEST_PASSWORD);
  const token = (
    await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/join-tokens',
      payload: {},
      ...admin,
    })
  ).json().token as string;
  await joinFederation(
    zhejiang.store.db,
    testOutbound,
    await loadNodeKey(zhejiang.config.HUITONG_DATA_DIR),
    nationalUrl,
    token,
    {
      nodeId: 'zj-330000',
      regionCode: '330000',
      name: '浙江省节点',
      level: 'provincial',
      url: zhejiangUrl,
      parentNodeId: 'cn-100000',
    },
  );
  const decided = await national.app.inject({
    method: 'POST',
    url: '/api/v1/federation/members/zj-330000/decision',
    payload: { decision: 'approve' },
    ...admin,
  });
  expect(decided.statusCode, decided.body).toBe(200);
  expect(await refreshConfig(zhejiang.store.db, testOutbound)).toBe(true);
  return { national, zhejiang, nationalUrl, admin };
}

/** A PostgreSQL source (the test database) of an organisation on a node. */
export function postgresSource(server: TestServer, orgId: string, name: string) {
  return createSource(server.store.db, server.sources, {
    kind: 'postgres',
    name,
    database: 'test',
    orgId,
    host: SERVICES.postgres.host,
    port: SERVICES.postgres.port,
    user: 'postgres',
    tls: { mode: 'disable' },
    description: '',
  });
}

/** An organisation of a node with a data steward (signed in) and a PostgreSQL source of its own. */
export async function providerOn(
  server: TestServer,
  org: { name: string; level: 'national' | 'provincial'; regionCode: string },
  sourceName: string,
) {
  const db = server.store.db;
  const provider = await buildOrganization(db, org);
  const steward = await loginAs(
    server.app,
    (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
    TEST_PASSWORD,
  );
  const source = await postgresSource(server, provider.id, sourceName);
  /** Binds a resource of the organisation to a table of the source (by the steward). */
  const bind = async (code: string, schema: string, table: string) => {
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/binding`,
      headers: steward.headers,
      payload: { sourceId: source.id, from: { kind: 'table', schema, table } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
  };
  return { org: provider, steward, bind };
}

/**
 * A national ministry's people (`count` rows in a PostgreSQL table of its own), published as one
 * resource per entry of `resources` (PERSON_ITEMS, the usual masks, shared by API), bound by its
 * steward; `drop` removes the table.
 */
export async function nationalPeople(
  national: TestServer,
  count: number,
  resources: Array<Partial<CreateResourceInput>>,
) {
  const people = await postgresPeople(count);
  const ministry = await providerOn(
    national,
    { name: '国家人口管理部门', level: 'national', regionCode: '110000' },
    '人口库',
  );
  const codes: string[] = [];
  for (const overrides of resources) {
    const resource = await buildSharedResource(national.store.db, ministry.org.id, {
      sharingMethods: ['api'],
      ...overrides,
    });
    await ministry.bind(resource.code, people.schema, 'people');
    codes.push(resource.code);
  }
  return { codes, steward: ministry.steward, drop: () => people.drop() };
}
