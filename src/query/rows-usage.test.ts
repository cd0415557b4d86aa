import { sql as rawSql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { expectRefusal } from '../../test/support/refusals.js';
import { describeEachStore } from '../../test/support/store.js';

// The read path's bookkeeping (issue 22, item 4): a JSON page's usage settles in the same
// group-commit statement as its completion entry, so it is charged once per request, with its
// entry or not at all; the quota is taken in one statement; the grant is decided afresh, so a
// revocation through one process stops the very next read through another.
const CSV = `xm,qh\n${Array.from({ length: 30 }, (_, i) => `居民${i},${i % 2 ? '鼓楼区' : '朝阳区'}`).join('\n')}\n`;

describeEachStore('GET …/rows: usage with the completion entry, quota in one statement', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let code: string;

  const call = (on: TestServer, as: Credentials, method: string, url: string, payload?: unknown) =>
    on.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as string });
  const page = (as: Credentials, query = '?limit=10', on = server) =>
    call(on, as, 'GET', `/api/v1/resources/${code}/rows${query}`);

  /** A consumer's key with an approved grant on `code` under `quota`. */
  async function granted(quota: { callsPerDay: number; rowsPerDay: number } | null) {
    const db = server.store.db;
    const org = await buildOrganization(db);
    const analyst = await loginAs(
      server.app,
      (await buildUser(db, { orgId: org.id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    const key = await buildApiKey(db, org.id);
    const requested = await call(server, analyst, 'POST', '/api/v1/access-requests', {
      applicationId: key.application.id,
      resourceCode: code,
      items: ['姓名', '区划'],
      purpose: '测试',
      legalBasis: '《测试条例》',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(
      server,
      steward,
      'POST',
      `/api/v1/access-requests/${requested.json().id}/approve`,
      {
        quota,
      },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    const grantId: string = approved.json().grant.id;
    const usage = async () => {
      const rows = await server.store.db
        .selectFrom('grant_usage')
        .select(['calls', 'row_count'])
        .where('grant_id', '=', grantId)
        .execute();
      return {
        calls: rows.reduce((n, r) => n + Number(r.calls), 0),
        rows: rows.reduce((n, r) => n + Number(r.row_count), 0),
      };
    };
    return { credentials: bearer(key.key), grantId, usage };
  }

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: `提供方-${kind}-${Date.now()}` });
    const user = await buildUser(db, { orgId: provider.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=people',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const resource = await buildResource(
      db,
      provider.id,
      {
        items: [
          { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
          { name: '区划', field: 'qh', dataType: 'string' },
        ],
        sharingType: 'conditional',
        sharingConditions: '用于测试',
        sharingMethods: ['api'],
      },
      { publish: true },
    );
    const bound = await call(server, steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: upload.json().source.id,
      from: { kind: 'table', table: 'data' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    code = resource.code;
  }, 120_000);
  afterAll(() => server?.close());

  for (const quota of [{ callsPerDay: 1000, rowsPerDay: 100_000 }, null]) {
    it(`charges simultaneous pages once each, in the batches that carry their entries (${quota ? 'quota' : 'no quota'})`, async () => {
      const { credentials, usage } = await granted(quota);
      const queries = [
        '?limit=10',
        '?limit=3',
        '?limit=100',
        '?limit=7&filter=' + encodeURIComponent('[{"column":"qh","op":"eq","value":"鼓楼区"}]'),
      ];
      const responses = await Promise.all(
        Array.from({ length: 16 }, (_, i) => page(credentials, queries[i % 4])),
      );
      let received = 0;
      for (const r of responses) {
        expect(r.statusCode, r.body).toBe(200);
        received += r.json().rows.length;
      }
      // 10, 3, 30 and 7 rows, four times each.
      expect(received).toBe(4 * (10 + 3 + 30 + 7));
      expect(await usage()).toEqual({ calls: 16, rows: received });
    }, 60_000);
  }

  it('charges the rows read once, outside the failed batch, when the completion entry cannot be written', async () => {
    const { credentials, usage } = await granted({ callsPerDay: 1000, rowsPerDay: 100_000 });
    expect((await page(credentials)).statusCode).toBe(200);
    expect(await usage()).toEqual({ calls: 1, rows: 10 });
    // The start entry is written, the completion refused (its entry names its type in clear).
    await rawSql`CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'completion refused'; END $$`.execute(server.store.db);
    await rawSql`CREATE TRIGGER refuse_completion BEFORE INSERT ON audit_entries FOR EACH ROW
      WHEN (position('data.release.complete' in convert_from(NEW.entry, 'UTF8')) > 0)
      EXECUTE FUNCTION refuse_completion()`.execute(server.store.db);
    try {
      const refused = await page(credentials);
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.body).not.toContain('居民');
    } finally {
      await rawSql`DROP TRIGGER refuse_completion ON audit_entries`.execute(server.store.db);
      await rawSql`DROP FUNCTION refuse_completion()`.execute(server.store.db);
    }
    // The refused page is charged once for the rows it read (sharing-enforcement.test.ts): the
    // failed batch wrote none of its usage, the settlement after it the rest of the reservation.
    expect(await usage()).toEqual({ calls: 2, rows: 20 });
    expect((await page(credentials)).statusCode).toBe(200);
    expect(await usage()).toEqual({ calls: 3, rows: 30 });
  }, 60_000);

  it('refuses at the quota, calls or rows, taking nothing past it', async () => {
    const { credentials, usage } = await granted({ callsPerDay: 3, rowsPerDay: 25 });
    expect((await page(credentials)).json().rows).toHaveLength(10);
    expect((await page(credentials)).json().rows).toHaveLength(10);
    // Five rows left: the page is cut to them.
    const last = await page(credentials);
    expect(last.json().rows).toHaveLength(5);
    expect(await usage()).toEqual({ calls: 3, rows: 25 });
    expectRefusal(await page(credentials), 'quota_exhausted');
    expect(await usage()).toEqual({ calls: 3, rows: 25 });
  }, 60_000);

  describe.runIf(kind === 'postgres')('two processes on one store', () => {
    let twin: TestServer;
    beforeAll(async () => {
      twin = await openTestServer(kind, { HUITONG_DATA_DIR: server.config.HUITONG_DATA_DIR }, server);
    }, 60_000);
    afterAll(() => twin?.close());

    it('stops the next read through the other process once a grant is revoked', async () => {
      const { credentials, grantId } = await granted(null);
      // Both processes have read (and cached what they may) before the revocation.
      expect((await page(credentials, '?limit=1', twin)).statusCode).toBe(200);
      expect((await page(credentials, '?limit=1', server)).statusCode).toBe(200);
      const revoked = await call(server, steward, 'POST', `/api/v1/grants/${grantId}/revoke`, {
        reason: '测试',
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expectRefusal(await page(credentials, '?limit=1', twin), 'grant_revoked');
    }, 60_000);
  });
});
