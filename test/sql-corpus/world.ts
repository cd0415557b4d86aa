// The world the SQL corpus runs in: a police department publishing `people` (a PostgreSQL table)
// under a partial, row-filtered, masked grant to a consumer's application, plus two resources of
// the same table the consumer may not read (one conditional without a grant, one 不予共享).
import type { LightMyRequestResponse } from 'fastify';
import { createSource } from '../../src/sources/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../support/factories.js';
import { bearer, type Credentials, loginAs, openTestServer, type TestServer } from '../support/http.js';
import { SERVICES } from '../support/services.js';
import { peopleRows, postgresPeople } from '../support/source-data.js';

/** The people rows in the source (12: even rows in 350102, odd rows in 110105). */
export const PEOPLE = peopleRows(12);
/** The district the grant's row filter keeps. */
export const GRANTED_REGION = '350102';

/** Everything a corpus case needs: the server, the consumer's key and the codes to substitute. */
export interface CorpusWorld {
  server: TestServer;
  consumer: Credentials;
  codes: { PEOPLE: string; HIDDEN: string; NOTSHARED: string };
  /** POST /api/v1/query as the consumer. */
  query(body: Record<string, unknown>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Builds the world on a PGlite metadata store with a PostgreSQL source; needs PostgreSQL. */
export async function openCorpusWorld(env: Record<string, string> = {}): Promise<CorpusWorld> {
  const server = await openTestServer('pglite', env);
  const db = server.store.db;
  const pg = await postgresPeople(PEOPLE.length);
  const police = await buildOrganization(db, { name: `公安厅-语料-${pg.schema}` });
  const welfare = await buildOrganization(db, { name: `民政厅-语料-${pg.schema}` });
  const steward = await loginAs(
    server.app,
    (await buildUser(db, { orgId: police.id, roles: ['data_steward'] })).username,
    TEST_PASSWORD,
  );
  const analyst = await loginAs(
    server.app,
    (await buildUser(db, { orgId: welfare.id, roles: ['analyst'] })).username,
    TEST_PASSWORD,
  );
  const key = await buildApiKey(db, welfare.id);
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
  const call = async (as: Credentials, method: 'POST' | 'PUT', url: string, payload: object) => {
    const response = await server.app.inject({ method, url, headers: as.headers, payload });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const publish = async (overrides: Parameters<typeof buildSharedResource>[2]) => {
    const resource = await buildSharedResource(db, police.id, overrides);
    await call(steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: source.id,
      from: { kind: 'table', schema: pg.schema, table: 'people' },
    });
    return resource.code;
  };
  // PEOPLE offers files too: its grant may export, and a CSV, NDJSON or Parquet answer is a file.
  const people = await publish({ sharingType: 'conditional', sharingMethods: ['api', 'file'] });
  const hidden = await publish({ sharingType: 'conditional', sharingMethods: ['api', 'file'] });
  const notShared = await publish({ sharingType: 'not_shared', sharingMethods: [] });
  const request = await call(analyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: people,
    items: ['姓名', '身份证号', '区划'],
    purpose: '低保核查',
    legalBasis: '《社会救助暂行办法》',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(steward, 'POST', `/api/v1/access-requests/${request.id}/approve`, {
    items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
    rowFilter: [{ item: '区划', op: 'eq', value: GRANTED_REGION }],
    mayExport: true,
  });
  const consumer = bearer(key.key);
  return {
    server,
    consumer,
    codes: { PEOPLE: people, HIDDEN: hidden, NOTSHARED: notShared },
    query: (body) =>
      server.app.inject({ method: 'POST', url: '/api/v1/query', headers: consumer.headers, payload: body }),
    close: async () => {
      await server.close();
      await pg.drop();
    },
  };
}
