import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CanaryWorld, type HuntPersona, openCanaryWorld } from '../../../test/canary/world.js';
import {
  buildOrganization,
  buildUser,
  resourceInput,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { describeEachStore } from '../../../test/support/store.js';
import type { AuditEntryView } from '../../audit/index.js';
import type { OrganizationView } from '../../identity/index.js';

const SAMPLE = readFileSync(new URL('../../../docs/samples/catalog-import.csv', import.meta.url));
const CSV = 'xm,csrq\n张三,1990-01-02\n李四,1983-06-30\n';
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const TOKEN = `Bearer tok-${randomBytes(8).toString('hex')}`;
// Items named after the uploaded file's columns, so that the resource can be bound to it.
const ITEMS = [
  { name: '姓名', field: 'xm', dataType: 'string' },
  { name: '出生日期', field: 'csrq', dataType: 'string' },
];

// Changes to the catalogue, to sources and to bindings decide what data leaves and to whom, so
// each is logged with its actor and subject, like grants and logins.
describeEachStore('audit entries of catalogue, source and binding changes', (kind) => {
  let server: TestServer;
  let org: OrganizationView;
  let stewardId: string;
  let steward: Credentials;

  const call = (method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: steward.headers, payload: payload as object });
  const postCsv = (url: string, payload: string | Buffer) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload,
    });
  /** The newest entry of a type, which the request just made must have appended. */
  const last = async (type: string): Promise<AuditEntryView> => {
    let found: AuditEntryView | undefined;
    for await (const entry of server.audit.streamEntries({ type })) found = entry;
    if (!found) throw new Error(`no ${type} entry`);
    return found;
  };
  const bySteward = (entry: AuditEntryView) => {
    expect(entry.actor).toEqual({ kind: 'user', id: stewardId, orgId: org.id });
    expect(entry.requestId).toEqual(expect.any(String));
  };

  beforeAll(async () => {
    server = await openTestServer(kind);
    org = await buildOrganization(server.store.db);
    const user = await buildUser(server.store.db, { orgId: org.id, roles: ['data_steward'] });
    stewardId = user.id;
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  describe('the catalogue', () => {
    let code: string;

    it('logs a resource created, changed, published and retired, with its policy fields', async () => {
      const created = await call(
        'POST',
        '/api/v1/resources',
        resourceInput({ items: ITEMS, sharingType: 'conditional', sharingConditions: '用于政务服务' }),
      );
      expect(created.statusCode, created.body).toBe(201);
      code = created.json().code;
      const createdEntry = await last('resource.created');
      bySteward(createdEntry);
      expect(createdEntry.resources).toEqual([code]);
      expect(createdEntry.data).toMatchObject({
        resourceId: created.json().id,
        providerId: org.id,
        status: 'draft',
        sharingType: 'conditional',
        openType: 'not_open',
        items: ['姓名', '出生日期'],
      });

      expect((await call('POST', `/api/v1/resources/${code}/publish`)).statusCode).toBe(200);
      const published = await last('resource.published');
      bySteward(published);
      expect(published).toMatchObject({ resources: [code], data: { status: 'published', version: 1 } });

      const patched = await call('PATCH', `/api/v1/resources/${code}`, {
        sharingType: 'unconditional',
        summary: '改',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const updated = await last('resource.updated');
      bySteward(updated);
      expect(updated).toMatchObject({
        resources: [code],
        data: {
          fields: ['sharingType', 'summary'],
          sharingType: 'unconditional',
          version: 2,
          previousCode: null,
        },
      });

      expect((await call('POST', `/api/v1/resources/${code}/retire`)).statusCode).toBe(200);
      const retired = await last('resource.retired');
      bySteward(retired);
      expect(retired).toMatchObject({ resources: [code], data: { status: 'retired' } });
    });

    it('logs a sheet import with every code it created, and a Data Package import', async () => {
      const imported = await postCsv('/api/v1/catalog/import?publish=true', SAMPLE);
      expect(imported.statusCode, imported.body).toBe(200);
      const entry = await last('catalog.imported');
      bySteward(entry);
      const codes = imported.json().imported.map((r: { code: string }) => r.code);
      expect(entry.resources).toEqual([...codes].sort());
      expect(entry.data).toMatchObject({ publish: true, imported: codes.length, rejected: 0 });

      const descriptor = (await call('GET', `/api/v1/resources/${code}/datapackage.json`)).json();
      const fromPackage = await call('POST', '/api/v1/catalog/datapackage', { descriptor });
      expect(fromPackage.statusCode, fromPackage.body).toBe(201);
      const created = await last('resource.created');
      bySteward(created);
      expect(created).toMatchObject({ resources: [fromPackage.json().code], data: { via: 'datapackage' } });
    });
  });

  describe('sources and bindings', () => {
    it('logs a source registered, changed and deleted, naming credentials but never their values', async () => {
      const created = await call('POST', '/api/v1/sources', {
        kind: 'postgres',
        name: '证照库',
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        user: 'postgres',
        password: PASSWORD,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const registered = await last('source.created');
      bySteward(registered);
      expect(registered.data).toMatchObject({
        sourceId: id,
        orgId: org.id,
        kind: 'postgres',
        hasPassword: true,
      });

      const changed = await call('PATCH', `/api/v1/sources/${id}`, { password: `${PASSWORD}-2`, port: 5433 });
      expect(changed.statusCode, changed.body).toBe(200);
      const updated = await last('source.updated');
      bySteward(updated);
      expect(updated.data).toMatchObject({ sourceId: id, fields: ['password', 'port'] });

      const api = await call('POST', '/api/v1/sources', {
        kind: 'http_json',
        name: '接口',
        url: 'http://127.0.0.1:9/records',
        authHeaderValue: TOKEN,
      });
      expect(api.statusCode, api.body).toBe(201);
      expect((await last('source.created')).data).toMatchObject({ kind: 'http_json', hasAuthHeader: true });

      expect((await call('DELETE', `/api/v1/sources/${id}`)).statusCode).toBe(204);
      const deleted = await last('source.deleted');
      bySteward(deleted);
      expect(deleted.data).toMatchObject({ sourceId: id, name: '证照库' });

      const everything: string[] = [];
      for await (const entry of server.audit.streamEntries({})) everything.push(JSON.stringify(entry));
      expect(everything.join('\n')).not.toContain(PASSWORD);
      expect(everything.join('\n')).not.toContain(TOKEN.slice(7));
    });

    it('logs a file upload, a retyping, a binding and an unbinding', async () => {
      const uploaded = await postCsv('/api/v1/sources/files?name=births', CSV);
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const sourceId = uploaded.json().source.id;
      const fileEntry = await last('source.created');
      bySteward(fileEntry);
      expect(fileEntry.data).toMatchObject({ sourceId, kind: 'file', format: 'csv', rowCount: 2 });

      const retyped = await call('PATCH', `/api/v1/sources/${sourceId}/columns`, {
        columns: [{ name: 'csrq', type: 'string' }],
      });
      expect(retyped.statusCode, retyped.body).toBe(200);
      const retypeEntry = await last('source.retyped');
      bySteward(retypeEntry);
      expect(retypeEntry.data).toMatchObject({ sourceId, columns: ['csrq:string'] });

      const resource = await call('POST', '/api/v1/resources', resourceInput({ items: ITEMS }));
      const code = resource.json().code;
      // Unbound: the binding is not found (404, its code saying why), and the list says so first.
      const none = await call('GET', `/api/v1/resources/${code}/binding`);
      expect([none.statusCode, none.json().error.code]).toEqual([404, 'resource_not_bound']);
      const isBound = async () =>
        (await call('GET', `/api/v1/resources?providerId=${org.id}&limit=200`))
          .json()
          .items.find((r: { code: string }) => r.code === code).bound;
      expect(await isBound()).toBe(false);
      const binding = { sourceId, from: { kind: 'table', table: 'data' } };
      const bound = await call('PUT', `/api/v1/resources/${code}/binding`, binding);
      expect(bound.statusCode, bound.body).toBe(200);
      expect(await isBound()).toBe(true);
      const boundEntry = await last('resource.bound');
      bySteward(boundEntry);
      expect(boundEntry).toMatchObject({
        resources: [code],
        data: { sourceId, previousSourceId: null, columns: ['姓名=xm', '出生日期=csrq'] },
      });
      expect((await call('PUT', `/api/v1/resources/${code}/binding`, binding)).statusCode).toBe(200);
      expect((await last('resource.bound')).data).toMatchObject({ previousSourceId: sourceId });

      expect((await call('DELETE', `/api/v1/resources/${code}/binding`)).statusCode).toBe(204);
      const unbound = await last('resource.unbound');
      bySteward(unbound);
      expect(unbound).toMatchObject({ resources: [code], data: { sourceId } });
    });
  });
});

// Every route that can answer with something derived from a resource's (or a source's) rows, and
// how to call it — each format, each kind of answer, its error answers included. The routes come
// from the route table: a route in neither this table nor NO_RELEASE fails the first test.
interface ReleaseCall {
  name: string;
  persona: HuntPersona;
  method: 'GET' | 'POST' | 'PUT';
  url: (w: CanaryWorld) => string;
  body?: (w: CanaryWorld) => unknown;
  /** The entry types this answer must have been logged under (any of them). */
  types: string[];
}
const FORMATS = ['json', 'ndjson', 'csv', 'xlsx', 'parquet', 'arrow'] as const;
const RELEASING: Record<string, ReleaseCall[]> = {
  'GET /api/v1/resources/:code/rows': [
    ...FORMATS.map((format) => ({
      name: `rows ${format}`,
      persona: 'key' as const,
      method: 'GET' as const,
      url: (w: CanaryWorld) => `/api/v1/resources/${w.codes.PEOPLE}/rows?format=${format}`,
      types: ['data.release', 'data.release.start'],
    })),
    {
      name: 'open data, anonymous',
      persona: 'anonymous',
      method: 'GET',
      url: (w) => `/api/v1/resources/${w.codes.OPEN}/rows?format=csv`,
      types: ['data.release', 'data.release.start'],
    },
    // The k-anonymity gate's refusal tells that some class is small: logged before it is answered.
    {
      name: 'open data below k, anonymous',
      persona: 'anonymous',
      method: 'GET',
      url: (w) => `/api/v1/resources/${w.codes.GATED}/rows?format=csv`,
      types: ['open_release.below_k'],
    },
  ],
  // The steward's measures of its own open data: classes and their sizes leave, to the provider.
  'POST /api/v1/resources/:code/open-release/k-preview': [
    {
      name: 'k-anonymity preview',
      persona: 'provider',
      method: 'POST',
      url: (w) => `/api/v1/resources/${w.codes.GATED}/open-release/k-preview`,
      body: () => ({ quasiIdentifiers: ['区划'], k: 5 }),
      types: ['data.release', 'data.release.start'],
    },
  ],
  'POST /api/v1/resources/:code/open-release/generalise': [
    {
      name: 'generalisation that cannot reach k',
      persona: 'provider',
      method: 'POST',
      url: (w) => `/api/v1/resources/${w.codes.OPEN}/open-release/generalise`,
      // OPEN's six rows cannot reach 10.
      body: () => ({ quasiIdentifiers: ['区划'], k: 10 }),
      types: ['data.release.start'],
    },
  ],
  // Re-saving a gated release whose rows fell below k: the steward sees the smallest classes.
  'PUT /api/v1/resources/:code/open-release': [
    {
      name: 'open release below k',
      persona: 'provider',
      method: 'PUT',
      url: (w) => `/api/v1/resources/${w.codes.GATED}/open-release`,
      body: () => ({ items: [{ name: '备注' }, { name: '区划' }], quasiIdentifiers: ['区划'], k: 5 }),
      types: ['open_release.below_k'],
    },
  ],
  'POST /api/v1/query': [
    ...FORMATS.map((format) => ({
      name: `query ${format}`,
      persona: 'key' as const,
      method: 'POST' as const,
      url: () => '/api/v1/query',
      body: (w: CanaryWorld) => ({
        sql: 'SELECT * FROM people',
        aliases: { people: w.codes.PEOPLE },
        format,
      }),
      types: ['data.release', 'data.release.start'],
    })),
    // A run-time failure once the sandbox holds data: its message could carry values, so it is a release too.
    {
      name: 'query failing at run time',
      persona: 'key',
      method: 'POST',
      url: () => '/api/v1/query',
      body: (w) => ({ sql: 'SELECT CAST(bz AS INTEGER) FROM people', aliases: { people: w.codes.PEOPLE } }),
      types: ['data.release', 'data.release.start'],
    },
  ],
  // The held answer of a sandbox query (可用不可见): the provider's steward reads it to decide.
  'GET /api/v1/release-reviews/:id/result': [
    {
      name: 'held sandbox answer, to the provider steward',
      persona: 'provider',
      method: 'GET',
      url: (w) => `/api/v1/release-reviews/${w.heldReview}/result`,
      types: ['data.release', 'data.release.start'],
    },
  ],
  'POST /api/v1/resources/:code/verify': [
    {
      name: 'verification',
      persona: 'key',
      method: 'POST',
      url: (w) => `/api/v1/resources/${w.codes.PEOPLE}/verify`,
      body: (w) => ({ values: { 身份证号: w.decoys.id, 姓名: w.decoys.name } }),
      // Write-ahead: the start entry is durable before the record is read.
      types: ['data.release.start'],
    },
    // Per-item answers are given only on items the consumer sees in clear (区划, 备注 here).
    {
      name: 'verification per item',
      persona: 'key',
      method: 'POST',
      url: (w) => `/api/v1/resources/${w.codes.PEOPLE}/verify`,
      body: () => ({ values: { 区划: '350102', 备注: 'remark-0' }, perItem: true }),
      types: ['data.release.start'],
    },
  ],
  // 异议处理: whether the rows objected to exist is told by the consumer's own read of them.
  'POST /api/v1/governance/objections': [
    {
      name: 'objection to rows',
      persona: 'key',
      method: 'POST',
      url: () => '/api/v1/governance/objections',
      body: (w) => ({
        resourceCode: w.codes.PEOPLE,
        keyColumn: 'qh',
        rowKeys: ['350102'],
        items: ['备注'],
        description: '审计覆盖测试',
        expected: '审计覆盖测试',
      }),
      types: ['data.release.start'],
    },
  ],
  // Differentially private statistics: noisy aggregates are derived from the rows, so a release.
  'POST /api/v1/resources/:code/statistics': [
    {
      name: 'statistics, grouped',
      persona: 'provider',
      method: 'POST',
      url: (w) => `/api/v1/resources/${w.codes.PEOPLE}/statistics`,
      body: () => ({
        measures: [{ fn: 'count' }],
        groupBy: { item: '区划', groups: ['350102', '110105'] },
        epsilon: 1,
      }),
      types: ['data.release', 'data.release.start'],
    },
  ],
  // The provider's own privacy scan and binding proposals sample its source inside the platform.
  'POST /api/v1/sources/:id/scan': [
    {
      name: 'privacy scan',
      persona: 'provider',
      method: 'POST',
      url: (w) => `/api/v1/sources/${w.sources.provider}/scan`,
      body: (w) => ({ from: { kind: 'table', schema: w.schema, table: 'people' }, sampleSize: 10 }),
      types: ['source.scanned'],
    },
  ],
  'PUT /api/v1/resources/:code/binding': [
    {
      name: 'binding with scan proposals',
      persona: 'provider',
      method: 'PUT',
      url: (w) => `/api/v1/resources/${w.codes.HIDDEN}/binding`,
      body: (w) => ({
        sourceId: w.sources.provider,
        from: { kind: 'table', schema: w.schema, table: 'hidden' },
      }),
      types: ['resource.bound'],
    },
  ],
  // The pull channel: each page of a subscription's events is a release under its request (the
  // grant decided afresh), on top of the releases its batches were logged as when stored.
  'GET /api/v1/subscriptions/:id/events': [
    {
      name: 'subscription events',
      persona: 'key',
      method: 'GET',
      url: (w) => `/api/v1/subscriptions/${w.subscription}/events?after=0`,
      types: ['data.release', 'data.release.start'],
    },
  ],
  'GET /api/v1/subscriptions/:id/changes': [
    {
      name: 'subscription changes (long poll)',
      persona: 'key',
      method: 'GET',
      url: (w) => `/api/v1/subscriptions/${w.subscription}/changes?after=0&wait=1`,
      types: ['data.release', 'data.release.start'],
    },
  ],
  // Scheduled delivery: running a schedule now is an export as the key (its release under the
  // request's id); a file run's file is released again when downloaded.
  'POST /api/v1/delivery-schedules/:id/run': [
    {
      name: 'delivery schedule run now',
      persona: 'key',
      method: 'POST',
      url: (w) => `/api/v1/delivery-schedules/${w.delivery.schedule}/run`,
      body: () => ({}),
      types: ['data.release', 'data.release.start'],
    },
  ],
  'GET /api/v1/delivery-schedules/:id/runs/:runId/file': [
    {
      name: 'delivery schedule file download',
      persona: 'key',
      method: 'GET',
      url: (w) => `/api/v1/delivery-schedules/${w.delivery.schedule}/runs/${w.delivery.run}/file`,
      types: ['data.release', 'data.release.start'],
    },
  ],
  // Data quality: a run reads the provider's source inside the platform and answers counts and
  // masked samples of failing rows to its own stewards, logged as the run (quality.run_recorded).
  'POST /api/v1/governance/quality/resources/:code/runs': [
    {
      name: 'quality run now',
      persona: 'provider',
      method: 'POST',
      url: (w) => `/api/v1/governance/quality/resources/${w.codes.PEOPLE}/runs`,
      types: ['quality.run_recorded'],
    },
  ],
};
// Routes whose answers hold no value of any resource's rows, each named: a new route must be
// put here or in RELEASING (with its calls) on purpose.
const NO_RELEASE = [
  // Meta, sessions, identity.
  'GET /api/openapi.json',
  'GET /api/health',
  // Operations: counts of releases by resource code (from the completion entries' figures), never
  // a value of any resource.
  'GET /api/health/ready',
  'GET /metrics',
  'GET /api/v1/admin/metrics',
  'GET /api/v1/roles',
  'GET /api/v1/regions/:code',
  'GET /',
  'GET /*',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'GET /api/v1/organizations',
  'POST /api/v1/organizations',
  'GET /api/v1/organizations/:id',
  'PATCH /api/v1/organizations/:id',
  'GET /api/v1/users',
  'POST /api/v1/users',
  'GET /api/v1/users/:id',
  'PATCH /api/v1/users/:id',
  'GET /api/v1/applications',
  'POST /api/v1/applications',
  'GET /api/v1/applications/:id',
  'PATCH /api/v1/applications/:id',
  'GET /api/v1/applications/:id/keys',
  'POST /api/v1/applications/:id/keys',
  'POST /api/v1/applications/:id/keys/:keyId/revoke',
  // The catalog and its views: descriptions of resources, never their rows.
  'GET /api/v1/resources',
  'POST /api/v1/resources',
  'GET /api/v1/resources/:code',
  'PATCH /api/v1/resources/:code',
  'POST /api/v1/resources/:code/publish',
  'POST /api/v1/resources/:code/retire',
  'GET /api/v1/resources/:code/versions',
  'GET /api/v1/resources/:code/versions/:version',
  'GET /api/v1/catalog/search',
  'GET /api/v1/catalog/classifications',
  'GET /api/3/action/:name',
  'POST /api/3/action/:name',
  'GET /api/v1/catalog.jsonld',
  'GET /api/v1/resources/:code.jsonld',
  'GET /api/v1/catalog.ttl',
  'GET /api/v1/resources/:code.ttl',
  'GET /api/v1/resources/:code/datapackage.json',
  'POST /api/v1/catalog/datapackage',
  'POST /api/v1/catalog/import',
  'GET /api/v1/catalog/stats',
  // Catalog review: a change's diff is of the entry's description, never its rows; the decisions
  // and withdrawals log their own catalog_change.* events.
  'GET /api/v1/catalog/changes',
  'GET /api/v1/catalog/changes/:id',
  'POST /api/v1/catalog/changes/:id/approve',
  'POST /api/v1/catalog/changes/:id/refuse',
  'POST /api/v1/catalog/changes/:id/withdraw',
  // The sharing workflow.
  'POST /api/v1/access-requests',
  'GET /api/v1/access-requests',
  'GET /api/v1/access-requests/stats',
  'GET /api/v1/access-requests/:id',
  'POST /api/v1/access-requests/:id/withdraw',
  'POST /api/v1/access-requests/:id/approve',
  'POST /api/v1/access-requests/:id/reject',
  'GET /api/v1/grants',
  'GET /api/v1/grants/:id',
  'GET /api/v1/grants/:id.jsonld',
  'GET /api/v1/grants/:id/usage',
  'GET /api/v1/grants/:id/privacy-budget',
  'PUT /api/v1/grants/:id/privacy-budget',
  'POST /api/v1/grants/:id/suspend',
  'POST /api/v1/grants/:id/resume',
  'POST /api/v1/grants/:id/revoke',
  'GET /api/v1/usage',
  'GET /api/v1/notifications',
  'POST /api/v1/notifications/:id/read',
  'POST /api/v1/resources/:code/licence-acceptance',
  'GET /api/v1/resources/:code/open-release',
  // Sources: connection details and schemas (an upload answers its own file's column types to its uploader).
  'GET /api/v1/sources',
  'POST /api/v1/sources',
  'GET /api/v1/sources/:id',
  'PATCH /api/v1/sources/:id',
  'DELETE /api/v1/sources/:id',
  'POST /api/v1/sources/:id/test',
  'GET /api/v1/sources/:id/schema',
  'POST /api/v1/sources/files',
  'PATCH /api/v1/sources/:id/columns',
  'PUT /api/v1/sources/:id/file',
  'GET /api/v1/resources/:code/binding',
  'DELETE /api/v1/resources/:code/binding',
  // Release reviews: status and check report, which left already in the logged 202 answer; the
  // held rows only through /result (RELEASING). A decision releases nothing by itself.
  'GET /api/v1/release-reviews',
  'GET /api/v1/release-reviews/:id',
  'POST /api/v1/release-reviews/:id/approve',
  'POST /api/v1/release-reviews/:id/refuse',
  // Governance: the calendar, deadline rules and figures about requests (dates, counts, names of
  // parties and resources), never a value of a resource; changes log their own events.
  'GET /api/v1/governance/calendar',
  'GET /api/v1/governance/calendar/overrides',
  'PUT /api/v1/governance/calendar/overrides/:day',
  'DELETE /api/v1/governance/calendar/overrides/:day',
  'GET /api/v1/governance/working-days',
  'GET /api/v1/governance/deadline-rules',
  'PUT /api/v1/governance/deadline-rules',
  'GET /api/v1/governance/sla',
  // The monthly assessment: scores and counts per department, never a value of a resource.
  'GET /api/v1/governance/assessments',
  'GET /api/v1/governance/assessments/export',
  // Data quality: scores, rules and schedules; the stored issues of a run were logged when it ran
  // (quality.run_recorded) and show its masked samples to the provider's stewards only.
  'GET /api/v1/governance/quality/scores',
  'GET /api/v1/governance/quality/resources/:code/score',
  'GET /api/v1/governance/quality/resources/:code',
  'POST /api/v1/governance/quality/resources/:code/rules',
  'DELETE /api/v1/governance/quality/resources/:code/rules/:id',
  'PUT /api/v1/governance/quality/resources/:code/schedule',
  // Objections: the row keys and claims the consumer itself typed (of rows it read), to it and to
  // the rows' provider; counts per resource to the provider. Each step logs its own event.
  'GET /api/v1/governance/objections',
  'GET /api/v1/governance/objections/stats',
  'GET /api/v1/governance/objections/:id',
  'POST /api/v1/governance/objections/:id/correct',
  'POST /api/v1/governance/objections/:id/explain',
  'POST /api/v1/governance/objections/:id/reopen',
  'POST /api/v1/governance/objections/:id/confirm',
  // The demand list: needs and answers (names of organisations and resources), never a value of a
  // resource; each change logs its own demand.* event.
  'POST /api/v1/governance/demands',
  'GET /api/v1/governance/demands',
  'GET /api/v1/governance/demands/:id',
  'POST /api/v1/governance/demands/:id/assign',
  'POST /api/v1/governance/demands/:id/decline',
  'POST /api/v1/governance/demands/:id/answer',
  'POST /api/v1/governance/demands/:id/withdraw',
  // A redirect to the rows or the verify endpoint, which log their own answers.
  'GET /api/v1/resources/:code/access/:method',
  // Early warning: alerts summarise audit entries (who, which rule, entry indexes), never a value
  // of a resource; every change to an alert or a rule logs its own warning.* event.
  'GET /api/v1/warning/alerts',
  'GET /api/v1/warning/officers',
  'GET /api/v1/warning/alerts/:id',
  'GET /api/v1/warning/risk/applications/:id',
  // The warning centre's overview and baselines: counts of alerts and of releases per consumer
  // and hour (never a value of a resource), read by the officer and the auditor.
  'GET /api/v1/warning/summary',
  'GET /api/v1/warning/baselines',
  'GET /api/v1/warning/baselines/:consumer',
  'POST /api/v1/warning/alerts/:id/acknowledge',
  'POST /api/v1/warning/alerts/:id/resolve',
  'POST /api/v1/warning/alerts/:id/assign',
  'POST /api/v1/warning/alerts/:id/undo-response',
  'GET /api/v1/warning/rules',
  'PUT /api/v1/warning/rules/:rule',
  // Leak tracing: the marking settings (item names and tolerances, never a value) log
  // tracing.settings_set; a trace logs tracing.traced (the file's digest, the accused recipients),
  // an evidence report too (with its format).
  'GET /api/v1/resources/:code/tracing',
  'PUT /api/v1/resources/:code/tracing',
  'POST /api/v1/tracing/trace',
  'POST /api/v1/tracing/evidence',
  // Subscriptions: the answers describe the subscription, never a row. Creating one stores its
  // snapshot's events, each batch logged as a release of the subscription (request id
  // `subscription:<id>`); they leave by the pull (RELEASING above) or a push channel, each pushed
  // batch released again before it is sent (a replay's too, under the request's id). Creating,
  // pausing, resuming, deleting and replaying log subscription.* events; the provider's list of
  // subscribers and the capture status name subscriptions and sources, never a row.
  'POST /api/v1/subscriptions',
  'GET /api/v1/subscriptions',
  'GET /api/v1/subscriptions/:id',
  'POST /api/v1/subscriptions/:id/pause',
  'POST /api/v1/subscriptions/:id/resume',
  'DELETE /api/v1/subscriptions/:id',
  'GET /api/v1/subscriptions/:id/dead-letters',
  'POST /api/v1/subscriptions/:id/dead-letters/:letterId/replay',
  'GET /api/v1/resources/:code/subscribers',
  'GET /api/v1/capture/sources',
  // Delivery schedules: the answers describe schedules and runs (counts, digests), never a row;
  // each run's export is a release of the key (RELEASING above for run now), and creating,
  // deleting and running log delivery_schedule.* events.
  'POST /api/v1/delivery-schedules',
  'GET /api/v1/delivery-schedules',
  'GET /api/v1/delivery-schedules/:id',
  'DELETE /api/v1/delivery-schedules/:id',
  'GET /api/v1/delivery-schedules/:id/runs',
  // Federation: the configuration and the node's identity are membership metadata (node ids, keys,
  // URLs), never a resource's value; issuing a token, a join request, a decision and a status
  // change each log their federation.* event.
  'GET /api/v1/federation/config',
  'GET /api/v1/federation/node',
  'POST /api/v1/federation/join-tokens',
  'POST /api/v1/federation/join-requests',
  'GET /api/v1/federation/members',
  'POST /api/v1/federation/members/:nodeId/decision',
  'POST /api/v1/federation/members/:nodeId/status',
  // Cross-node reads, exports and verification: the provider's answer is a release of its own
  // pipeline (data.release.start and .complete, as /rows and /verify), and the consumer node logs
  // the provider's receipt (federation.receipt) before the page, file or answer is passed on
  // (src/federation/peer-read.test.ts, peer-export.test.ts).
  'POST /api/v1/federation/peer/rows',
  'POST /api/v1/federation/peer/export',
  'POST /api/v1/federation/peer/verify',
  'GET /api/v1/federation/nodes/:nodeId/resources/:code/rows',
  'POST /api/v1/federation/nodes/:nodeId/resources/:code/verify',
  // Cross-node access requests: requests and decisions name resources, items and reasons, never a
  // resource's value; the consumer logs federation.remote_request_sent and .remote_request_decided,
  // the provider access_request.created as for a local one (src/federation/remote-request.test.ts).
  'POST /api/v1/federation/peer/access-requests',
  'POST /api/v1/federation/peer/access-requests/status',
  'POST /api/v1/federation/remote-requests',
  'GET /api/v1/federation/remote-requests',
  // Witnessed logs: checkpoints and cosignatures are public log metadata (sizes, roots,
  // signatures), alerts name nodes and indexes; a fork a witness detects or the root relays logs
  // federation.fork_detected / federation.fork_reported, a cosignature is published, not logged.
  'POST /api/v1/federation/witness/cosignatures',
  'GET /api/v1/federation/witness/checkpoints',
  'GET /api/v1/federation/witness/checkpoints/:nodeId',
  'GET /api/v1/federation/witness/alerts',
  'GET /api/v1/federation/witness/peers',
  // Catalog reporting: a child's report logs federation.catalog_reported when it changes entries
  // (catalog metadata, never a resource's value); the node listing is sync metadata.
  'POST /api/v1/federation/catalog/report',
  'GET /api/v1/federation/catalog/nodes',
  // The audit log itself.
  'GET /api/v1/audit/public-key',
  'GET /api/v1/audit/checkpoint',
  'GET /api/v1/audit/checkpoint/note',
  'GET /api/v1/audit/proof/inclusion',
  'GET /api/v1/audit/proof/consistency',
  'GET /api/v1/audit/entries',
  'GET /api/v1/audit/entries.csv',
  'GET /api/v1/audit/entries/:index',
  'GET /api/v1/audit/releases/summary',
  'GET /api/v1/audit/export.ndjson',
  'POST /api/v1/audit/verify',
];

const releaseServices = await serviceAvailable('postgres');

describe.skipIf(!releaseServices)('every answer derived from data has its audit entry first', () => {
  let world: CanaryWorld;
  beforeAll(async () => {
    world = await openCanaryWorld(7);
  }, 240_000);
  afterAll(() => world?.close());

  const send = (c: ReleaseCall): Promise<LightMyRequestResponse> =>
    world.server.app.inject({
      method: c.method,
      url: c.url(world),
      headers: world.callers[c.persona].headers,
      ...(c.body ? { payload: c.body(world) as object } : {}),
    });
  const cases = Object.entries(RELEASING).flatMap(([route, calls]) => calls.map((c) => ({ route, ...c })));

  it('knows every route of the route table as releasing (with calls) or not', () => {
    const table = world.server.app.routeTable
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const unknown = table.filter((route) => !RELEASING[route] && !NO_RELEASE.includes(route));
    expect(unknown, 'classify these routes in RELEASING (with calls) or NO_RELEASE').toEqual([]);
    // The data routes of the pipeline are known by name: none may drop out of RELEASING.
    for (const route of [
      'GET /api/v1/resources/:code/rows',
      'POST /api/v1/query',
      'POST /api/v1/resources/:code/verify',
      'POST /api/v1/resources/:code/statistics',
    ])
      expect(RELEASING[route]?.length, route).toBeGreaterThan(0);
  });

  it.each(cases)('$route — $name: logged under the request before the answer', async (c) => {
    const response = await send(c);
    const requestId = String(response.headers['x-request-id']);
    const entries: string[] = [];
    for await (const entry of world.server.audit.streamEntries({}))
      if (entry.requestId === requestId) entries.push(entry.type);
    expect(
      entries.filter((t) => c.types.includes(t)),
      `${response.statusCode} ${response.body.slice(0, 200)}`,
    ).not.toEqual([]);
  });

  // Durable before the answer: with the log unwritable, nothing is sent but 503 audit_unavailable.
  it('answers each with 503 audit_unavailable and no data when the log cannot be written', async () => {
    const wrong: string[] = [];
    await sql`ALTER TABLE audit_entries RENAME TO audit_entries_away`.execute(world.server.store.db);
    try {
      for (const c of cases) {
        const response = await send(c);
        const code = response.headers['content-type']?.toString().includes('json')
          ? response.json()?.error?.code
          : undefined;
        const leaked = world.book.find(response.rawPayload.toString('utf8')).map((h) => h.canary.where);
        if (response.statusCode !== 503 || code !== 'audit_unavailable' || leaked.length)
          wrong.push(
            `${c.route} — ${c.name}: ${response.statusCode} ${code ?? response.body.slice(0, 80)}${leaked.length ? ` leaking ${leaked.slice(0, 3).join(', ')}` : ''}`,
          );
      }
    } finally {
      await sql`ALTER TABLE audit_entries_away RENAME TO audit_entries`.execute(world.server.store.db);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
