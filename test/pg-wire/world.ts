import { expect } from 'vitest';
import type { CreateResourceInput } from '../../src/catalog/index.js';
import { type PgWireServer, startPgWire } from '../../src/pg-wire/index.js';
import type { StoreKind } from '../../src/store/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../support/http.js';
import { makeIdNumber } from '../support/source-data.js';

// Forty people, half in each district; the ID numbers are masked by the grant, the district filtered.
export const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
  xm: `居民${i}`,
  sfzh: makeIdNumber('350102', '19900101', i + 1),
  qh: i % 2 === 0 ? '鼓楼区' : '朝阳区',
  nl: 20 + i,
}));
const CSV = `xm,sfzh,qh,nl\n${PEOPLE.map((p) => `${p.xm},${p.sfzh},${p.qh},${p.nl}`).join('\n')}\n`;
const DISTRICTS_CSV = 'qh,rk\n鼓楼区,687000\n朝阳区,3450000\n';
export const GULOU = PEOPLE.filter((p) => p.qh === '鼓楼区');

const ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '区划', field: 'qh', dataType: 'string' },
  { name: '年龄', field: 'nl', dataType: 'number' },
];

/** The world of the wire tests: a provider's two granted resources, one not granted, a consumer's key. */
export interface WireWorld {
  server: TestServer;
  wire: PgWireServer;
  /** The application's name (the wire's user name), its id, and its key (the password). */
  user: string;
  key: string;
  applicationId: string;
  keyId: string;
  people: string;
  districts: string;
  secret: string;
  schema: string;
  /** Grants a resource to the key's application (the analyst asks, the steward approves with `terms`). */
  grant(code: string, items: string[], terms: Record<string, unknown>, use?: 'sandbox'): Promise<void>;
  close(): Promise<void>;
}

/** Builds the world and starts a listener on a free port. */
export async function wireWorld(kind: StoreKind): Promise<WireWorld> {
  const server = await openTestServer(kind);
  const db = server.store.db;
  const tag = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const police = await buildOrganization(db, { name: `公安厅-${tag}` });
  const consumer = await buildOrganization(db, { name: `统计局-${tag}` });
  const steward = await loginAs(
    server.app,
    (await buildUser(db, { orgId: police.id, roles: ['data_steward'] })).username,
    TEST_PASSWORD,
  );
  const analyst = await loginAs(
    server.app,
    (await buildUser(db, { orgId: consumer.id, roles: ['analyst'] })).username,
    TEST_PASSWORD,
  );
  const call = async (as: Credentials, method: string, url: string, payload?: unknown, type?: string) => {
    const r = await server.app.inject({
      method: method as 'GET',
      url,
      headers: { ...as.headers, ...(type ? { 'content-type': type } : {}) },
      payload: payload as string,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json();
  };
  const make = async (csv: string, name: string, items: CreateResourceInput['items']) => {
    const upload = await call(steward, 'POST', `/api/v1/sources/files?name=${name}-${tag}`, csv, 'text/csv');
    const resource = await buildResource(
      db,
      police.id,
      {
        name,
        items,
        sharingType: 'conditional',
        sharingConditions: '用于测试',
        sharingMethods: ['api', 'file'],
      },
      { publish: true },
    );
    await call(steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: upload.source.id,
      from: { kind: 'table', table: 'data' },
    });
    return resource.code;
  };
  const people = await make(CSV, '人口信息', ITEMS);
  const districts = await make(DISTRICTS_CSV, '区划人口', [
    { name: '区划', field: 'qh', dataType: 'string' },
    { name: '人口', field: 'rk', dataType: 'number' },
  ]);
  const secret = await make(CSV, '秘密信息', ITEMS);
  const key = await buildApiKey(db, consumer.id);
  const grant = async (code: string, items: string[], terms: Record<string, unknown>, use?: 'sandbox') => {
    const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
      applicationId: key.application.id,
      resourceCode: code,
      items,
      purpose: '测试',
      legalBasis: '《测试条例》',
      ...(use ? { use } : {}),
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await call(steward, 'POST', `/api/v1/access-requests/${requested.id}/approve`, terms);
  };
  await grant(people, ['姓名', '身份证号', '区划', '年龄'], {
    rowFilter: [{ item: '区划', op: 'eq', value: '鼓楼区' }],
    mayExport: true,
  });
  await grant(districts, ['区划', '人口'], { mayExport: true });
  const wire = await startPgWire({
    query: server.query,
    store: server.store,
    audit: server.audit,
    port: 0,
    host: '127.0.0.1',
    throttle: {
      account: { backoffAfter: 100, lockAfter: 200, lockSeconds: 60 },
      address: { backoffAfter: 100, lockAfter: 200, lockSeconds: 60 },
      forgetSeconds: 600,
    },
  });
  const row = await db
    .selectFrom('api_keys')
    .select('id')
    .where('application_id', '=', key.application.id)
    .executeTakeFirstOrThrow();
  const providerCode = people.split('-').slice(1, -1).join('-');
  return {
    server,
    wire,
    user: key.application.name,
    applicationId: key.application.id,
    key: key.key,
    keyId: row.id,
    people,
    districts,
    secret,
    schema: `p_${providerCode.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`,
    grant,
    async close() {
      await wire.close();
      await server.close();
    },
  };
}
