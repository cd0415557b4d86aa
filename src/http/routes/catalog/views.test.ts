import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';
import type { ResourceView } from '../../../catalog/index.js';

describeEachStore('catalog view routes (DCAT-AP, Frictionless)', (kind) => {
  let server: TestServer;
  let open: ResourceView;
  let shared: ResourceView;
  let steward: Credentials;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const org = await buildOrganization(server.store.db);
    open = await buildResource(
      server.store.db,
      org.id,
      { name: '公开资源', openType: 'unconditional' },
      { publish: true },
    );
    shared = await buildResource(server.store.db, org.id, { name: '共享资源' }, { publish: true });
    const user = await buildUser(server.store.db, { orgId: org.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  it('serves DCAT-AP as JSON-LD and Turtle, open resources to anonymous callers', async () => {
    const ld = await server.app.inject({ url: '/api/v1/catalog.jsonld' });
    expect(ld.headers['content-type']).toContain('application/ld+json');
    expect(ld.body).toContain('公开资源');
    expect(ld.body).not.toContain('共享资源');
    const ttl = await server.app.inject({ url: `/api/v1/resources/${open.code}.ttl` });
    expect(ttl.headers['content-type']).toContain('text/turtle');
    expect(ttl.body).toContain('dcat:Dataset');
    expect((await server.app.inject({ url: `/api/v1/resources/${shared.code}.jsonld` })).statusCode).toBe(
      404,
    );
    const mine = await server.app.inject({
      url: `/api/v1/resources/${shared.code}.jsonld`,
      headers: steward.headers,
    });
    expect(JSON.parse(mine.body)['@graph']).toBeDefined();
  });

  it('exports a Data Package and imports it back as a draft', async () => {
    const exported = await server.app.inject({ url: `/api/v1/resources/${open.code}/datapackage.json` });
    expect(exported.statusCode).toBe(200);
    const descriptor = exported.json();
    expect(descriptor.resources[0].schema.fields).toHaveLength(2);
    const anonymous = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/datapackage',
      payload: { descriptor },
    });
    expect(anonymous.statusCode).toBe(401);
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/datapackage',
      headers: steward.headers,
      payload: { descriptor, overrides: { name: '导入的资源' } },
    });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ name: '导入的资源', status: 'draft', items: open.items });
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/datapackage',
      headers: steward.headers,
      payload: {
        descriptor: { ...descriptor, huitong: { ...descriptor.huitong, classificationCode: '999' } },
      },
    });
    expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'unknown_classification']);
  });
});
