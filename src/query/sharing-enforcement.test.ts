import { sql as rawSql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildApplication,
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
import { makeIdNumber } from '../../test/support/source-data.js';
import { describeEachStore } from '../../test/support/store.js';
import type { CreateResourceInput } from '../catalog/index.js';

// Forty people, half in each district; the first ID number ends in X so that the column stays text.
const PEOPLE = (() => {
  const ids: string[] = [];
  for (let seq = 1; ids.length < 40; seq++) {
    const id = makeIdNumber('350102', '19900101', seq);
    if (ids.length > 0 || id.endsWith('X')) ids.push(id);
  }
  return ids.map((id, i) => ({ xm: `居民${i}`, sfzh: id, qh: i % 2 === 0 ? '鼓楼区' : '朝阳区' }));
})();
const CSV = `xm,sfzh,qh\n${PEOPLE.map((p) => `${p.xm},${p.sfzh},${p.qh}`).join('\n')}\n`;
const GULOU = PEOPLE.filter((p) => p.qh === '鼓楼区');
const ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '区划', field: 'qh', dataType: 'string' },
];
const FILE_FORMATS = ['csv', 'ndjson', 'xlsx', 'parquet', 'arrow'];

describeEachStore('sharing methods, verification limits and row quotas, through the API', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  /** 居民户籍信息核验-like: 无条件共享, offered for verification only. */
  let verifyOnly: string;
  /** 无条件共享 by API only: no files, no verification. */
  let apiOnly: string;
  /** 有条件共享 by API, file and verification: read under approved grants. */
  let full: string;

  const call = (as: Credentials | undefined, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as?.headers ?? {},
      payload: payload as string,
    });
  const rows = (as: Credentials, code: string, query = '') =>
    call(as, 'GET', `/api/v1/resources/${code}/rows${query}`);
  const sql = (as: Credentials, code: string, body: Record<string, unknown> = {}) =>
    call(as, 'POST', '/api/v1/query', { sql: 'SELECT xm FROM t', aliases: { t: code }, ...body });
  const verify = (as: Credentials, code: string, values: Record<string, string>, perItem = false) =>
    call(as, 'POST', `/api/v1/resources/${code}/verify`, { values, perItem });

  /** A consumer organisation with an analyst who can file requests, and keys of its own applications. */
  async function consumer() {
    const db = server.store.db;
    const org = await buildOrganization(db);
    const analyst = await buildUser(db, { orgId: org.id, roles: ['analyst'] });
    return {
      org,
      analyst: await loginAs(server.app, analyst.username, TEST_PASSWORD),
      key: async () => {
        const k = await buildApiKey(db, org.id);
        return { credentials: bearer(k.key), applicationId: k.application.id };
      },
    };
  }

  /** Files an access request on `full` and has the provider approve it with `terms`. */
  async function grant(
    who: Awaited<ReturnType<typeof consumer>>,
    applicationId: string,
    request: Record<string, unknown>,
    terms: Record<string, unknown>,
  ): Promise<string> {
    const requested = await call(who.analyst, 'POST', '/api/v1/access-requests', {
      applicationId,
      resourceCode: full,
      items: ['姓名', '身份证号', '区划'],
      purpose: '测试',
      legalBasis: '《测试条例》',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ...request,
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(
      steward,
      'POST',
      `/api/v1/access-requests/${requested.json().id}/approve`,
      terms,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json().grant.id;
  }

  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_VERIFY_PER_MINUTE: '5', HUITONG_VERIFY_PER_DAY: '100' });
    const db = server.store.db;
    const police = await buildOrganization(db, { name: `公安厅-${kind}-${Date.now()}` });
    const stewardUser = await buildUser(db, { orgId: police.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, stewardUser.username, TEST_PASSWORD);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=people',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const make = async (overrides: Partial<CreateResourceInput>) => {
      const resource = await buildResource(
        db,
        police.id,
        {
          items: ITEMS,
          sharingConditions: overrides.sharingType === 'conditional' ? '用于测试' : '',
          ...overrides,
        },
        { publish: true },
      );
      const bound = await call(steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
        sourceId: upload.json().source.id,
        from: { kind: 'table', table: 'data' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      return resource.code;
    };
    verifyOnly = await make({ sharingType: 'unconditional', sharingMethods: ['verification'] });
    apiOnly = await make({ sharingType: 'unconditional', sharingMethods: ['api'] });
    full = await make({ sharingType: 'conditional', sharingMethods: ['api', 'file', 'verification'] });
  }, 120_000);
  afterAll(() => server?.close());

  it('serves a verification-only resource by verification alone, rows and SQL refused', async () => {
    const { key } = await consumer();
    const { credentials } = await key();
    expectRefusal(await rows(credentials, verifyOnly), 'method_not_offered');
    expectRefusal(await rows(credentials, verifyOnly, '?format=csv'), 'method_not_offered');
    expectRefusal(await sql(credentials, verifyOnly), 'method_not_offered');
    const checked = await verify(credentials, verifyOnly, { 身份证号: PEOPLE[0]!.sfzh, 姓名: PEOPLE[0]!.xm });
    expect(checked.json()).toEqual({ match: true });
    // The provider reads its own data every way.
    expect((await rows(steward, verifyOnly)).statusCode).toBe(200);
  });

  it('refuses every file format, in rows and SQL, on a resource not offered as files', async () => {
    const { key } = await consumer();
    const { credentials } = await key();
    const page = await rows(credentials, apiOnly, '?limit=3');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().rows).toHaveLength(3);
    for (const format of FILE_FORMATS) {
      expectRefusal(await rows(credentials, apiOnly, `?format=${format}`), 'method_not_offered');
      expectRefusal(await sql(credentials, apiOnly, { format }), 'method_not_offered');
    }
    expect((await sql(credentials, apiOnly)).statusCode).toBe(200);
    expectRefusal(
      await verify(credentials, apiOnly, { 身份证号: PEOPLE[0]!.sfzh }),
      'verification_not_offered',
    );
  });

  it('refuses files to a grant without export, and records to a verification-only grant', async () => {
    const who = await consumer();
    const noExport = await who.key();
    await grant(who, noExport.applicationId, {}, { mayExport: false });
    expect((await rows(noExport.credentials, full)).statusCode).toBe(200);
    for (const format of FILE_FORMATS) {
      expectRefusal(await rows(noExport.credentials, full, `?format=${format}`), 'export_not_allowed');
    }
    expectRefusal(await sql(noExport.credentials, full, { format: 'csv' }), 'export_not_allowed');

    const checks = await who.key();
    await grant(who, checks.applicationId, { use: 'verification' }, {});
    expectRefusal(await rows(checks.credentials, full), 'detail_not_allowed');
    expectRefusal(await sql(checks.credentials, full), 'detail_not_allowed');
    const checked = await verify(checks.credentials, full, { 身份证号: PEOPLE[1]!.sfzh });
    expect(checked.json()).toEqual({ match: true });
  });

  it('verifies within the grant: its rows, its items, one item alone, per item only on clear items', async () => {
    const who = await consumer();
    const app = await who.key();
    await grant(
      who,
      app.applicationId,
      { items: ['身份证号', '区划'] },
      {
        items: [{ name: '身份证号', mask: { kind: 'none' } }, { name: '区划' }],
        rowFilter: [{ item: '区划', op: 'eq', value: '鼓楼区' }],
      },
    );
    const inside = GULOU[0]!;
    const outside = PEOPLE.find((p) => p.qh === '朝阳区')!;
    // One item alone: whether the record exists (within the grant's rows).
    expect((await verify(app.credentials, full, { 身份证号: inside.sfzh })).json()).toEqual({ match: true });
    expect((await verify(app.credentials, full, { 身份证号: outside.sfzh })).json()).toEqual({
      match: false,
    });
    // An item outside the grant cannot be checked.
    expectRefusal(
      await verify(app.credentials, full, { 身份证号: inside.sfzh, 姓名: inside.xm }),
      'unknown_item',
    );
    // Items granted in clear may be answered item by item.
    const perItem = await verify(app.credentials, full, { 身份证号: inside.sfzh, 区划: '朝阳区' }, true);
    expect(perItem.json()).toEqual({ match: false, items: { 身份证号: true, 区划: false } });

    // Under the automatic grant the ID number is masked: no per-item answer, and the audit entry
    // holds keyed digests of the claim, never its values.
    const other = await (await consumer()).key();
    const masked = await verify(
      other.credentials,
      verifyOnly,
      { 身份证号: inside.sfzh, 区划: '鼓楼区' },
      true,
    );
    expectRefusal(masked, 'per_item_not_allowed');
    const answered = await verify(other.credentials, verifyOnly, { 身份证号: inside.sfzh, 姓名: '冒名' });
    expect(answered.json()).toEqual({ match: false });
    const entries = await server.audit.entries({}, { limit: 500 });
    const entry = entries.items.find(
      (e) => e.requestId === String(answered.headers['x-request-id']) && e.data.claim !== undefined,
    );
    expect(entry?.data.claim).toEqual({
      身份证号: expect.stringMatching(/^[0-9a-f]{64}$/),
      姓名: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(entry)).not.toContain(inside.sfzh);
    expect(JSON.stringify(entry)).not.toContain('冒名');
  });

  it('limits verification per organisation and resource, whatever key asks, with zh-CN messages', async () => {
    const who = await consumer();
    const [one, two] = [await who.key(), await who.key()];
    for (let i = 0; i < 5; i++) {
      const as = i % 2 === 0 ? one : two;
      expect((await verify(as.credentials, verifyOnly, { 身份证号: PEOPLE[i]!.sfzh })).statusCode).toBe(200);
    }
    const limited = await server.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${verifyOnly}/verify`,
      headers: { ...two.credentials.headers, 'accept-language': 'zh-CN' },
      payload: { values: { 身份证号: PEOPLE[9]!.sfzh } },
    });
    expectRefusal(limited, 'verification_rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.message).toMatch(/核验/);
    // Another organisation, or another resource, has its own count.
    const stranger = await (await consumer()).key();
    expect((await verify(stranger.credentials, verifyOnly, { 身份证号: PEOPLE[0]!.sfzh })).statusCode).toBe(
      200,
    );
    const grantee = await who.key();
    await grant(who, grantee.applicationId, { use: 'verification' }, {});
    expect((await verify(grantee.credentials, full, { 身份证号: PEOPLE[0]!.sfzh })).statusCode).toBe(200);
  });

  it('caps verification per day at the grant’s daily call quota, for the organisation, not per application', async () => {
    const who = await consumer();
    const [one, two] = [await who.key(), await who.key()];
    const request = { use: 'verification', expectedCallsPerDay: 2, expectedRowsPerDay: 10 };
    await grant(who, one.applicationId, request, {});
    await grant(who, two.applicationId, request, {});
    for (let i = 0; i < 2; i++) {
      expect((await verify(one.credentials, full, { 身份证号: PEOPLE[i]!.sfzh })).statusCode).toBe(200);
    }
    // The second application's grant has calls left, but the organisation has used its day.
    expectRefusal(
      await verify(two.credentials, full, { 身份证号: PEOPLE[2]!.sfzh }),
      'verification_daily_limit',
    );
  });

  describe.runIf(kind === 'postgres')('two processes on one store', () => {
    let twin: TestServer;
    beforeAll(async () => {
      twin = await openTestServer(
        kind,
        {
          HUITONG_VERIFY_PER_MINUTE: '5',
          HUITONG_VERIFY_PER_DAY: '100',
          HUITONG_DATA_DIR: server.config.HUITONG_DATA_DIR,
        },
        server,
      );
    }, 60_000);
    afterAll(() => twin?.close());

    it('share one verification count', async () => {
      const { credentials } = await (await consumer()).key();
      const through = (app: TestServer, id: string) =>
        app.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${verifyOnly}/verify`,
          headers: credentials.headers,
          payload: { values: { 身份证号: id } },
        });
      for (let i = 0; i < 5; i++) {
        const response = await through(i < 3 ? server : twin, PEOPLE[i]!.sfzh);
        expect(response.statusCode, response.body).toBe(200);
      }
      expectRefusal(await through(twin, PEOPLE[5]!.sfzh), 'verification_rate_limited');
      expectRefusal(await through(server, PEOPLE[6]!.sfzh), 'verification_rate_limited');
    });
  });

  it('never delivers more rows than the daily quota to simultaneous exports, pages and SQL', async () => {
    const who = await consumer();
    const app = await who.key();
    const QUOTA = 25;
    const grantId = await grant(
      who,
      app.applicationId,
      { expectedCallsPerDay: 1000, expectedRowsPerDay: QUOTA },
      { rowFilter: [{ item: '区划', op: 'eq', value: '鼓楼区' }], mayExport: true },
    );
    const csv = Array.from({ length: 8 }, () => rows(app.credentials, full, '?format=csv'));
    const pages = Array.from({ length: 4 }, () => rows(app.credentials, full, '?limit=10'));
    const queries = Array.from({ length: 3 }, () => sql(app.credentials, full));
    const [csvs, jsons, sqls] = await Promise.all([
      Promise.all(csv),
      Promise.all(pages),
      Promise.all(queries),
    ]);
    let received = 0;
    for (const r of csvs) {
      if (r.statusCode === 200) received += r.body.trim().split('\r\n').length - 1;
      else expectRefusal(r, 'quota_exhausted');
    }
    for (const r of [...jsons, ...sqls]) {
      if (r.statusCode === 200) received += r.json().rows.length;
      else expectRefusal(r, 'quota_exhausted');
    }
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(QUOTA);
    // What was charged is what was received: the unsent reservations were given back.
    const usage = await call(who.analyst, 'GET', `/api/v1/grants/${grantId}/usage`);
    expect(usage.statusCode, usage.body).toBe(200);
    expect(usage.json().items.reduce((n: number, u: { rows: number }) => n + u.rows, 0)).toBe(received);
    // Once the rows are used up, SQL is refused for the quota, not answered as if the resource were absent.
    for (let i = 0; i < 5; i++)
      if ((await rows(app.credentials, full, '?limit=10')).statusCode !== 200) break;
    expectRefusal(await sql(app.credentials, full), 'quota_exhausted');
  }, 180_000);

  it('answers SQL over exactly the rows the quota has left, and refuses it past them', async () => {
    const who = await consumer();
    const app = await who.key();
    await grant(
      who,
      app.applicationId,
      { expectedCallsPerDay: 1000, expectedRowsPerDay: GULOU.length },
      { rowFilter: [{ item: '区划', op: 'eq', value: '鼓楼区' }] },
    );
    const count = { sql: 'SELECT count(*) AS n FROM t' };
    const all = await sql(app.credentials, full, count);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().rows).toEqual([{ n: GULOU.length }]);
    expectRefusal(await sql(app.credentials, full, count), 'quota_exhausted');
  });

  it('gives back the rows it reserved for a read that fails, as a page or as a file', async () => {
    const who = await consumer();
    const app = await who.key();
    const grantId = await grant(
      who,
      app.applicationId,
      { expectedCallsPerDay: 1000, expectedRowsPerDay: 25 },
      { mayExport: true },
    );
    const rowsCharged = async () =>
      (await call(who.analyst, 'GET', `/api/v1/grants/${grantId}/usage`))
        .json()
        .items.reduce((n: number, u: { rows: number }) => n + u.rows, 0);
    for (const query of ['?fields=nope', '?format=csv&fields=nope'])
      expectRefusal(await rows(app.credentials, full, query), 'unknown_field');
    expect(await rowsCharged()).toBe(0);
    const page = await rows(app.credentials, full, '?limit=2');
    expect(page.json().rows).toHaveLength(2);
    expect(await rowsCharged()).toBe(2);
  });

  it('charges a page once, for what it read, when its completion entry cannot be written', async () => {
    const who = await consumer();
    const app = await who.key();
    const grantId = await grant(
      who,
      app.applicationId,
      { expectedCallsPerDay: 1000, expectedRowsPerDay: 25 },
      { mayExport: true },
    );
    const db = server.store.db;
    // Completion entries (those referring to a start entry) fail; start entries are written.
    await rawSql`CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'completion refused'; END $$`.execute(db);
    await rawSql`CREATE TRIGGER refuse_completion BEFORE INSERT ON audit_entries
      FOR EACH ROW WHEN (NEW.ref_index IS NOT NULL) EXECUTE FUNCTION refuse_completion()`.execute(db);
    try {
      const page = await rows(app.credentials, full, '?limit=2');
      expectRefusal(page, 'audit_unavailable');
    } finally {
      await rawSql`DROP TRIGGER refuse_completion ON audit_entries`.execute(db);
      await rawSql`DROP FUNCTION refuse_completion()`.execute(db);
    }
    const usage = await call(who.analyst, 'GET', `/api/v1/grants/${grantId}/usage`);
    expect(usage.json().items.reduce((n: number, u: { rows: number }) => n + u.rows, 0)).toBe(2);
  });

  it('reads unconditional data on a GET without creating a grant; a POST creates it, and a revocation stops both', async () => {
    const who = await consumer();
    const grantsOf = () =>
      server.store.db
        .selectFrom('grants')
        .select(['id', 'origin'])
        .where('consumer_org_id', '=', who.org.id)
        .execute();
    const page = await rows(who.analyst, apiOnly, '?limit=2');
    expect(page.statusCode, page.body).toBe(200);
    expect(await grantsOf()).toEqual([]);
    expect((await sql(who.analyst, apiOnly)).statusCode).toBe(200);
    const [created] = await grantsOf();
    expect(created?.origin).toBe('automatic');
    // Its creation is in the audit log, as an automatic grant of this resource.
    const logged = (await server.store.db.selectFrom('audit_entries').select('entry').execute())
      .map((r) => JSON.parse(Buffer.from(r.entry).toString('utf8')))
      .filter((e) => e.type === 'grant.created' && e.data?.grantId === created!.id);
    expect(logged).toEqual([
      expect.objectContaining({
        resources: [apiOnly],
        data: { grantId: created!.id, automatic: true, sharingType: 'unconditional' },
      }),
    ]);
    const revoked = await call(steward, 'POST', `/api/v1/grants/${created!.id}/revoke`, { reason: '测试' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectRefusal(await rows(who.analyst, apiOnly), 'grant_revoked');
  });

  it('caps the live API keys of an application', async () => {
    const db = server.store.db;
    const org = await buildOrganization(db);
    const admin = await loginAs(
      server.app,
      (await buildUser(db, { orgId: org.id, roles: ['org_admin'] })).username,
      TEST_PASSWORD,
    );
    const application = await buildApplication(db, org.id);
    const mint = () =>
      call(admin, 'POST', `/api/v1/applications/${application.id}/keys`, { name: 'k', roles: ['analyst'] });
    const minted = [];
    for (let i = 0; i < 5; i++) {
      const response = await mint();
      expect(response.statusCode, response.body).toBe(201);
      minted.push(response.json().apiKey.id);
    }
    expectRefusal(await mint(), 'api_key_limit_reached');
    const revoked = await call(
      admin,
      'POST',
      `/api/v1/applications/${application.id}/keys/${minted[0]}/revoke`,
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await mint()).statusCode).toBe(201);
  });
});
