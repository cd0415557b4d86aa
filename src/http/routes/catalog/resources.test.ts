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
import type { OrganizationView } from '../../../identity/index.js';

const body = {
  name: '常住人口基本信息',
  classificationCode: '101001',
  summary: '全省常住人口的基本信息',
  format: 'CSV',
  items: [
    {
      name: '公民身份号码',
      field: 'id_number',
      dataType: 'C',
      personal: true,
      personalKind: 'identity_document',
    },
    { name: '姓名', field: 'name', dataType: 'string', personal: true },
  ],
  sharingType: 'conditional',
  sharingConditions: '用于政务服务',
  sharingMethods: ['api', 'verification'],
  updateCycle: 'daily',
  tags: ['人口'],
};

describeEachStore('catalog resource routes', (kind) => {
  let server: TestServer;
  let org: OrganizationView;
  let steward: Credentials;
  let analyst: Credentials;
  let outsider: Credentials;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    org = await buildOrganization(db);
    const other = await buildOrganization(db);
    const s = await buildUser(db, { orgId: org.id, roles: ['data_steward'] });
    const a = await buildUser(db, { orgId: org.id, roles: ['analyst'] });
    const o = await buildUser(db, { orgId: other.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, s.username, TEST_PASSWORD);
    analyst = await loginAs(server.app, a.username, TEST_PASSWORD);
    outsider = await loginAs(server.app, o.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  const call = (as: Credentials | undefined, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as?.headers ?? {},
      payload: payload as object,
    });

  it('lets a steward create, publish, change and retire a resource, with versions', async () => {
    const created = await call(steward, 'POST', '/api/v1/resources', body);
    expect(created.statusCode).toBe(201);
    const { code } = created.json();
    expect(created.json()).toMatchObject({
      status: 'draft',
      provider: { id: org.id },
      sharingMethods: ['api', 'verification'],
    });
    expect((await call(outsider, 'GET', `/api/v1/resources/${code}`)).statusCode).toBe(404);
    const published = await call(steward, 'POST', `/api/v1/resources/${code}/publish`);
    expect(published.json()).toMatchObject({ status: 'published', version: 1 });
    expect((await call(outsider, 'GET', `/api/v1/resources/${code}`)).statusCode).toBe(200);
    expect((await call(undefined, 'GET', `/api/v1/resources/${code}`)).statusCode).toBe(404);
    const patched = await call(steward, 'PATCH', `/api/v1/resources/${code}`, { openType: 'unconditional' });
    expect(patched.json(), patched.body).toMatchObject({ version: 2 });
    expect((await call(undefined, 'GET', `/api/v1/resources/${code}`)).statusCode).toBe(200);
    const versions = await call(undefined, 'GET', `/api/v1/resources/${code}/versions`);
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await call(steward, 'GET', `/api/v1/resources/${code}/versions/1`);
    expect(v1.json().resource.openType).toBe('not_open');
    expect((await call(steward, 'GET', `/api/v1/resources/${code}/versions/9`)).statusCode).toBe(404);
    const retired = await call(steward, 'POST', `/api/v1/resources/${code}/retire`);
    expect(retired.json().status).toBe('retired');
  });

  it('refuses others: 401 anonymous, 404 another organisation, 403 an analyst', async () => {
    const r = await buildResource(server.store.db, org.id, {}, { publish: true });
    expect((await call(undefined, 'POST', '/api/v1/resources', body)).statusCode).toBe(401);
    expect((await call(undefined, 'PATCH', `/api/v1/resources/${r.code}`, { name: 'x' })).statusCode).toBe(
      401,
    );
    const foreign = await call(outsider, 'PATCH', `/api/v1/resources/${r.code}`, { name: '篡改' });
    expect([foreign.statusCode, errorCode(foreign)]).toEqual([404, 'not_found']);
    const retire = await call(outsider, 'POST', `/api/v1/resources/${r.code}/retire`);
    expect(retire.statusCode).toBe(404);
    const mine = await call(analyst, 'PATCH', `/api/v1/resources/${r.code}`, { name: '篡改' });
    expect([mine.statusCode, errorCode(mine)]).toEqual([403, 'forbidden']);
    const create = await call(analyst, 'POST', '/api/v1/resources', body);
    expect(create.statusCode).toBe(403);
    const forOther = await call(outsider, 'POST', '/api/v1/resources', { ...body, providerId: org.id });
    expect(forOther.statusCode).toBe(404);
    expect((await call(steward, 'GET', `/api/v1/resources/${r.code}`)).json().name).toBe(r.name);
  });

  it('answers 404 for a resource code no resource has, well-formed or not', async () => {
    for (const code of ['NO-SUCH-CODE', 'nope', '%E4%BA%BA%E5%8F%A3']) {
      for (const path of ['', '/versions', '/rows', '/binding', '/datapackage.json']) {
        const response = await server.app.inject({
          url: `/api/v1/resources/${code}${path}`,
          headers: steward.headers,
        });
        expect([response.statusCode, response.json().error.code], `${code}${path}`).toEqual([
          404,
          'not_found',
        ]);
      }
    }
  });

  it('answers bad input with 400 and a code naming the field, writing nothing', async () => {
    const list = async () => (await call(steward, 'GET', '/api/v1/resources?limit=200')).json().items.length;
    const before = await list();
    const cases: Array<[object, string, string]> = [
      [{ ...body, classificationCode: '9' }, 'unknown_classification', 'classificationCode'],
      [{ ...body, items: [{ name: 'x', dataType: 'varchar2' }] }, 'unknown_data_type', 'items.0.dataType'],
      [{ ...body, sharingType: 'not_shared', sharingMethods: [] }, 'legal_basis_required', 'legalBasis'],
    ];
    for (const [payload, code, field] of cases) {
      const response = await call(steward, 'POST', '/api/v1/resources', payload);
      expect([response.statusCode, errorCode(response), response.json().error.details.field]).toEqual([
        400,
        code,
        field,
      ]);
    }
    const { name: _name, ...noName } = body;
    const missing = await call(steward, 'POST', '/api/v1/resources', noName);
    expect([missing.statusCode, errorCode(missing), missing.json().error.details[0].path]).toEqual([
      400,
      'invalid_request',
      'name',
    ]);
    const taken = (await buildResource(server.store.db, org.id)).code;
    const duplicate = await call(steward, 'POST', '/api/v1/resources', { ...body, code: taken });
    expect([duplicate.statusCode, errorCode(duplicate)]).toEqual([400, 'duplicate_code']);
    expect(await list()).toBe(before + 1);
  });
});
