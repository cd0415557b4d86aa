import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { describeEachStore } from '../../test/support/store.js';

// Issue 13, finding 8: every anonymous reader of open data got one HMAC key, so a provider could
// publish ID numbers it knows, read their hashes back, and look up the same hashes in any other
// open dataset. Open data is now hashed with a key per resource.

const ID = '350502199001012447';
// Five people in each district, so that the release's k-anonymity gate over 区划 (required: an ID
// number goes out) passes k = 5; the known ID is person 0.
const CSV = [
  'sfzh,qh,xh',
  `${ID},丰泽区,p0`,
  ...Array.from(
    { length: 9 },
    (_, i) => `11010519850615${String(i).padStart(4, '0')},${i < 4 ? '丰泽区' : '朝阳区'},p${i + 1}`,
  ),
].join('\n');

describeEachStore('keyed hashes of open data', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let member: Credentials;
  const codes: string[] = [];

  const rows = async (code: string, as?: Credentials) => {
    const response = await server.app.inject({ url: `/api/v1/resources/${code}/rows`, headers: as?.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().rows as Array<Record<string, string>>;
  };
  /** The hash an open read gives the ID number (its row found by its number, which is in clear). */
  const hashOf = async (code: string, as?: Credentials) =>
    (await rows(code, as)).find((r) => r.xh === 'p0')!.sfzh!;

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const provider = await buildOrganization(db);
    steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    member = bearer((await buildApiKey(db, (await buildOrganization(db)).id)).key);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=people',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    for (let i = 0; i < 2; i++) {
      const resource = await buildResource(
        db,
        provider.id,
        {
          items: [
            {
              name: '身份证号',
              field: 'sfzh',
              dataType: 'string',
              personal: true,
              personalKind: 'identity_document',
            },
            { name: '区划', field: 'qh', dataType: 'string' },
            { name: '序号', field: 'xh', dataType: 'string' },
          ],
          sharingType: 'conditional',
          sharingConditions: '用于政务服务',
          openType: 'unconditional',
        },
        { publish: true },
      );
      const put = (url: string, payload: unknown) =>
        server.app.inject({ method: 'PUT', url, headers: steward.headers, payload: payload as object });
      const bound = await put(`/api/v1/resources/${resource.code}/binding`, {
        sourceId: upload.json().source.id,
        from: { kind: 'table', table: 'data' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      const released = await put(`/api/v1/resources/${resource.code}/open-release`, {
        items: [{ name: '身份证号', mask: { kind: 'hmac' } }, { name: '区划' }, { name: '序号' }],
        quasiIdentifiers: ['区划'],
      });
      expect(released.statusCode, released.body).toBe(200);
      codes.push(resource.code);
    }
  });
  afterAll(() => server.close());

  it('hashes the same value differently in two open resources', async () => {
    const [a, b] = [await hashOf(codes[0]!), await hashOf(codes[1]!)];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain(ID);
    expect(b).not.toBe(a);
    // Stable within a resource, so that open data can still be joined with itself.
    expect(await hashOf(codes[0]!)).toBe(a);
  });

  it('gives a member without a grant the open key of each resource, not its organisation’s', async () => {
    const [anonymousA, memberA, memberB] = [
      await hashOf(codes[0]!),
      await hashOf(codes[0]!, member),
      await hashOf(codes[1]!, member),
    ];
    expect(memberA).toBe(anonymousA);
    expect(memberB).not.toBe(memberA);
  });
});
