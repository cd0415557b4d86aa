import { expect } from 'vitest';
import { createSource } from '../../src/sources/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from './factories.js';
import { type Credentials, loginAs, type TestServer } from './http.js';
import { SERVICES, testOutbound } from './services.js';
import { postgresPeople } from './source-data.js';

type RowFilter = Array<{ item: string; op: 'eq'; value: string }>;

/**
 * The world of the subscription tests: a provider (公安厅) whose PostgreSQL table of `rows` people
 * (in a schema of its own on the machine's server) is bound to a resource, granted as
 * 姓名, 身份证号 and 区划 to a consumer (人社厅) application, under `rowFilter` if given. The
 * caller drops `pg` (and any capture it made) when done.
 */
export async function capturedPeople(server: TestServer, rows: number, rowFilter?: RowFilter) {
  const db = server.store.db;
  const pg = await postgresPeople(rows);
  const police = await buildOrganization(db, { name: `公安厅-${pg.schema}` });
  const consumer = await buildOrganization(db, { name: `人社厅-${pg.schema}` });
  const login = async (orgId: string, role: 'data_steward' | 'analyst'): Promise<Credentials> =>
    loginAs(server.app, (await buildUser(db, { orgId, roles: [role] })).username, TEST_PASSWORD);
  const call = (as: Credentials, method: 'PUT' | 'POST', url: string, payload: object) =>
    server.app.inject({ method, url, headers: as.headers, payload });
  const steward = await login(police.id, 'data_steward');
  const analyst = await login(consumer.id, 'analyst');
  const consumerKey = await buildApiKey(db, consumer.id);
  const source = await createSource(db, server.sources, {
    kind: 'postgres',
    name: '人口库',
    database: 'test',
    orgId: police.id,
    host: SERVICES.postgres.host,
    port: SERVICES.postgres.port,
    user: 'postgres',
    tls: { mode: 'disable' },
    description: '',
  });
  const { code } = await buildSharedResource(db, police.id, {
    sharingType: 'conditional',
    sharingMethods: ['api'],
  });
  const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
    sourceId: source.id,
    from: { kind: 'table', schema: pg.schema, table: 'people' },
  });
  expect(bound.statusCode, bound.body).toBe(200);
  const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
    applicationId: consumerKey.application.id,
    resourceCode: code,
    items: ['姓名', '身份证号', '区划'],
    purpose: '社保待遇资格认证',
    legalBasis: '《社会保险法》',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  expect(requested.statusCode, requested.body).toBe(201);
  const approved = await call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
    items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
    ...(rowFilter ? { rowFilter } : {}),
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return {
    pg,
    police,
    consumer,
    steward,
    analyst,
    consumerKey,
    code,
    sourceId: source.id,
    grantId: approved.json().grant.id as string,
  };
}

/** What exchange/'s create and resume calls need in tests: an outbound policy that lets the test's own receivers on 127.0.0.1 through. */
export const subscriptionOptions = { outbound: testOutbound };
