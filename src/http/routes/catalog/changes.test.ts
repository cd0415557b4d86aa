import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildUser,
  resourceInput,
  TEST_PASSWORD,
} from '../../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';
import type { AuditEntryView } from '../../../audit/index.js';
import type { CatalogChangeView, ResourceView } from '../../../catalog/index.js';
import type { OrganizationView } from '../../../identity/index.js';

const SAMPLE = readFileSync(new URL('../../../../docs/samples/catalog-import.csv', import.meta.url));

// Catalog review (目录审核, issue 19 item 5): every workflow and state transition through the API,
// and each refusal with its code, on a platform where review is required.
describeEachStore('catalog review routes', (kind) => {
  let server: TestServer;
  let org: OrganizationView;
  let steward: Credentials;
  let stewardId: string;
  let colleague: Credentials;
  let reviewer: Credentials;
  let reviewerId: string;
  let dualId: string;
  let dual: Credentials; // a steward of the provider who is also a catalog reviewer
  let analyst: Credentials;
  let outsider: Credentials;

  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_CATALOG_REVIEW: 'required' });
    const db = server.store.db;
    org = await buildOrganization(db);
    const platform = await buildOrganization(db);
    const other = await buildOrganization(db);
    const s = await buildUser(db, { orgId: org.id, roles: ['data_steward'] });
    const c = await buildUser(db, { orgId: org.id, roles: ['data_steward'] });
    const r = await buildUser(db, { orgId: platform.id, roles: ['catalog_reviewer'] });
    const d = await buildUser(db, { orgId: org.id, roles: ['data_steward', 'catalog_reviewer'] });
    const a = await buildUser(db, { orgId: org.id, roles: ['analyst'] });
    const o = await buildUser(db, { orgId: other.id, roles: ['data_steward'] });
    stewardId = s.id;
    reviewerId = r.id;
    dualId = d.id;
    steward = await loginAs(server.app, s.username, TEST_PASSWORD);
    colleague = await loginAs(server.app, c.username, TEST_PASSWORD);
    reviewer = await loginAs(server.app, r.username, TEST_PASSWORD);
    dual = await loginAs(server.app, d.username, TEST_PASSWORD);
    analyst = await loginAs(server.app, a.username, TEST_PASSWORD);
    outsider = await loginAs(server.app, o.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  const call = (as: Credentials | undefined, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as?.headers, payload: payload as object });
  const draft = async (overrides = {}): Promise<ResourceView> => {
    const created = await call(steward, 'POST', '/api/v1/resources', resourceInput(overrides));
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  };
  /** A published entry: submitted by the steward, approved by the reviewer. */
  const published = async (overrides = {}): Promise<ResourceView> => {
    const d = await draft(overrides);
    const submitted = await call(steward, 'POST', `/api/v1/resources/${d.code}/publish`);
    expect(submitted.statusCode, submitted.body).toBe(202);
    const approved = await call(
      reviewer,
      'POST',
      `/api/v1/catalog/changes/${submitted.json().id}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json().resource;
  };
  const last = async (type: string): Promise<AuditEntryView> => {
    let found: AuditEntryView | undefined;
    for await (const entry of server.audit.streamEntries({ type })) found = entry;
    if (!found) throw new Error(`no ${type} entry`);
    return found;
  };
  const notifications = async (as: Credentials) =>
    (await call(as, 'GET', '/api/v1/notifications?limit=200')).json().items as Array<{
      kind: string;
      title: string;
      body: string;
    }>;

  describe('publishing a draft', () => {
    let code: string;
    let change: CatalogChangeView;

    it('answers 202 with a pending change showing every field; the draft stays unpublished', async () => {
      const d = await draft({ name: '待审核的人口资源', openType: 'unconditional' });
      code = d.code;
      const submitted = await call(steward, 'POST', `/api/v1/resources/${code}/publish`);
      expect(submitted.statusCode, submitted.body).toBe(202);
      change = submitted.json();
      expect(change).toMatchObject({
        kind: 'publish',
        status: 'pending',
        resource: { id: d.id, code, name: '待审核的人口资源' },
        providerId: org.id,
        baseVersion: 0,
        author: `user:${stewardId}`,
        authorOrgId: org.id,
        decidedAt: null,
        appliedVersion: null,
      });
      expect(change.diff.map((e) => e.field)).toEqual(
        expect.arrayContaining(['name', 'items', 'sharingType']),
      );
      expect(change.diff.find((e) => e.field === 'name')).toEqual({
        field: 'name',
        before: null,
        after: '待审核的人口资源',
      });
      expect((await call(steward, 'GET', `/api/v1/resources/${code}`)).json().status).toBe('draft');
      expect((await call(undefined, 'GET', `/api/v1/resources/${code}`)).statusCode).toBe(404);
      const entry = await last('catalog_change.submitted');
      expect(entry).toMatchObject({
        resources: [code],
        actor: { kind: 'user', id: stewardId },
        data: { changeId: change.id, kind: 'publish', status: 'pending' },
      });
    });

    it('tells every catalog reviewer, and queues the change for them', async () => {
      expect((await notifications(reviewer)).map((n) => n.kind)).toContain('catalog_change.submitted');
      const queue = await call(reviewer, 'GET', '/api/v1/catalog/changes?status=pending');
      expect(queue.statusCode, queue.body).toBe(200);
      expect(queue.json().items.map((c: CatalogChangeView) => c.id)).toContain(change.id);
      const one = await call(reviewer, 'GET', `/api/v1/catalog/changes/${change.id}`);
      expect(one.json()).toMatchObject({ id: change.id, diff: change.diff });
    });

    it('publishes on approval as version 1 by its author, and tells the author', async () => {
      const approved = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/approve`, {
        comment: '同意发布',
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().change).toMatchObject({
        status: 'approved',
        decidedBy: reviewerId,
        comment: '同意发布',
        appliedVersion: 1,
      });
      expect(approved.json().resource).toMatchObject({ code, status: 'published', version: 1 });
      expect((await call(undefined, 'GET', `/api/v1/resources/${code}`)).json().status).toBe('published');
      const versions = (await call(undefined, 'GET', `/api/v1/resources/${code}/versions`)).json().items;
      expect(versions).toEqual([expect.objectContaining({ version: 1, publishedBy: `user:${stewardId}` })]);
      const told = (await notifications(steward)).find((n) => n.kind === 'catalog_change.approved');
      expect(told?.title).toContain('待审核的人口资源');
      expect(await last('catalog_change.approved')).toMatchObject({
        resources: [code],
        actor: { kind: 'user', id: reviewerId },
        data: { changeId: change.id, status: 'approved' },
      });
      expect(await last('resource.published')).toMatchObject({ resources: [code], data: { version: 1 } });
    });

    it('refuses a second decision on a decided change (409), whichever way', async () => {
      for (const [verb, body] of [
        ['approve', {}],
        ['refuse', { reasonCode: 'duplicate' }],
      ] as const) {
        const again = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/${verb}`, body);
        expect(again.statusCode, verb).toBe(409);
        expect(errorCode(again)).toBe('catalog_change_decided');
      }
      const withdrawn = await call(steward, 'POST', `/api/v1/catalog/changes/${change.id}/withdraw`);
      expect(errorCode(withdrawn)).toBe('catalog_change_decided');
    });
  });

  describe('changing a published entry', () => {
    let entry: ResourceView;
    let change: CatalogChangeView;

    it('answers 202 with the diff of the changed fields only; the live entry stays as it was', async () => {
      entry = await published({ summary: '旧摘要', tags: ['人口'], openType: 'unconditional' });
      const patched = await call(steward, 'PATCH', `/api/v1/resources/${entry.code}`, {
        summary: '新摘要：增加了户籍地址',
        tags: ['人口'],
        updateCycle: 'daily',
      });
      expect(patched.statusCode, patched.body).toBe(202);
      change = patched.json();
      expect(change).toMatchObject({ kind: 'update', status: 'pending', baseVersion: 1 });
      expect(change.diff).toEqual([
        { field: 'summary', before: '旧摘要', after: '新摘要：增加了户籍地址' },
        { field: 'updateCycle', before: 'monthly', after: 'daily' },
      ]);
      const live = (await call(undefined, 'GET', `/api/v1/resources/${entry.code}`)).json();
      expect(live).toMatchObject({ summary: '旧摘要', version: 1 });
    });

    it('refuses any other write while the change is pending (409), with the pending change named', async () => {
      for (const [method, url, body] of [
        ['PATCH', `/api/v1/resources/${entry.code}`, { summary: '另一个改动' }],
        ['POST', `/api/v1/resources/${entry.code}/retire`, undefined],
      ] as const) {
        const refused = await call(colleague, method, url, body);
        expect(refused.statusCode, url).toBe(409);
        expect(errorCode(refused)).toBe('catalog_change_pending');
        expect(refused.json().error.details).toEqual({ changeId: change.id });
      }
    });

    it('publishes the change as version 2 on approval: the entry, its versions and search follow', async () => {
      const approved = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/approve`, {});
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().change.appliedVersion).toBe(2);
      const live = (await call(undefined, 'GET', `/api/v1/resources/${entry.code}`)).json();
      expect(live).toMatchObject({ summary: '新摘要：增加了户籍地址', updateCycle: 'daily', version: 2 });
      const v1 = (await call(undefined, 'GET', `/api/v1/resources/${entry.code}/versions/1`)).json();
      expect(v1.resource.summary).toBe('旧摘要');
      const found = await call(
        undefined,
        'GET',
        `/api/v1/catalog/search?q=${encodeURIComponent('户籍地址')}`,
      );
      expect(found.json().items.map((r: ResourceView) => r.code)).toContain(entry.code);
      expect(await last('resource.updated')).toMatchObject({
        resources: [entry.code],
        data: { version: 2, fields: ['summary', 'updateCycle'], changeId: change.id },
      });
    });

    it('refuses a change that changes nothing (400 no_change)', async () => {
      const same = await call(steward, 'PATCH', `/api/v1/resources/${entry.code}`, {
        summary: '新摘要：增加了户籍地址',
      });
      expect(same.statusCode).toBe(400);
      expect(errorCode(same)).toBe('no_change');
    });

    it('keeps changing a draft at once (200): only what is published is reviewed', async () => {
      const d = await draft();
      const patched = await call(steward, 'PATCH', `/api/v1/resources/${d.code}`, { summary: '草稿改动' });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ status: 'draft', summary: '草稿改动' });
    });
  });

  describe('refusal', () => {
    let entry: ResourceView;
    let change: CatalogChangeView;

    it('needs a reason code, and a comment for `other` (400 refusal_reason_required)', async () => {
      entry = await published({ sharingType: 'unconditional' });
      const patched = await call(steward, 'PATCH', `/api/v1/resources/${entry.code}`, {
        sharingType: 'not_shared',
        sharingMethods: [],
        legalBasis: '',
      });
      // Not shared without a legal basis is refused at submission: the reviewer never sees it.
      expect(errorCode(patched)).toBe('legal_basis_required');
      const submitted = await call(steward, 'PATCH', `/api/v1/resources/${entry.code}`, {
        name: '改名后的资源',
      });
      expect(submitted.statusCode, submitted.body).toBe(202);
      change = submitted.json();
      for (const body of [{}, { comment: '请补充' }, { reasonCode: 'other' }]) {
        const refused = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/refuse`, body);
        expect(refused.statusCode, JSON.stringify(body)).toBe(400);
        expect(errorCode(refused)).toBe('refusal_reason_required');
      }
      const unknown = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/refuse`, {
        reasonCode: 'not_a_reason',
      });
      expect(unknown.statusCode).toBe(400);
      expect((await call(reviewer, 'GET', `/api/v1/catalog/changes/${change.id}`)).json().status).toBe(
        'pending',
      );
    });

    it('refuses with the coded reason: the entry stays as it was, and the author reads why', async () => {
      const refused = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/refuse`, {
        reasonCode: 'duplicate',
        comment: '与已有资源重复',
      });
      expect(refused.statusCode, refused.body).toBe(200);
      expect(refused.json()).toMatchObject({
        status: 'refused',
        reasonCode: 'duplicate',
        comment: '与已有资源重复',
        decidedBy: reviewerId,
        appliedVersion: null,
      });
      const live = (await call(steward, 'GET', `/api/v1/resources/${entry.code}`)).json();
      expect(live).toMatchObject({ name: entry.name, version: 1 });
      const told = (await notifications(steward)).find((n) => n.kind === 'catalog_change.refused');
      expect(told?.body).toContain('与已有资源重复');
      expect(await last('catalog_change.refused')).toMatchObject({
        resources: [entry.code],
        data: { changeId: change.id, reasonCode: 'duplicate' },
      });
      const again = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/approve`, {});
      expect(errorCode(again)).toBe('catalog_change_decided');
      // Once decided, the steward may submit another.
      const next = await call(steward, 'PATCH', `/api/v1/resources/${entry.code}`, { name: '再次改名' });
      expect(next.statusCode).toBe(202);
    });
  });

  describe('separation of duties and who sees what', () => {
    let change: CatalogChangeView;

    it('refuses the review of a change by its own author (403 own_catalog_change); another reviewer decides', async () => {
      const created = await call(dual, 'POST', '/api/v1/resources', resourceInput());
      const submitted = await call(dual, 'POST', `/api/v1/resources/${created.json().code}/publish`);
      expect(submitted.statusCode, submitted.body).toBe(202);
      change = submitted.json();
      expect(change.author).toBe(`user:${dualId}`);
      for (const [verb, body] of [
        ['approve', {}],
        ['refuse', { reasonCode: 'other', comment: '自审' }],
      ] as const) {
        const own = await call(dual, 'POST', `/api/v1/catalog/changes/${change.id}/${verb}`, body);
        expect(own.statusCode, verb).toBe(403);
        expect(errorCode(own)).toBe('own_catalog_change');
      }
      expect((await call(reviewer, 'GET', `/api/v1/catalog/changes/${change.id}`)).json().status).toBe(
        'pending',
      );
    });

    it('lets only catalog reviewers decide (403 for the provider’s own stewards)', async () => {
      const refused = await call(colleague, 'POST', `/api/v1/catalog/changes/${change.id}/approve`, {});
      expect(refused.statusCode).toBe(403);
      expect(errorCode(refused)).toBe('forbidden');
    });

    it('shows a change to reviewers and the provider’s stewards only', async () => {
      expect((await call(colleague, 'GET', `/api/v1/catalog/changes/${change.id}`)).statusCode).toBe(200);
      const hidden = await call(outsider, 'GET', `/api/v1/catalog/changes/${change.id}`);
      expect(hidden.statusCode).toBe(404);
      expect(errorCode(hidden)).toBe('catalog_change_not_found');
      const theirs = (await call(outsider, 'GET', '/api/v1/catalog/changes')).json().items;
      expect(theirs).toEqual([]);
      expect((await call(analyst, 'GET', '/api/v1/catalog/changes')).statusCode).toBe(403);
      expect((await call(undefined, 'GET', '/api/v1/catalog/changes')).statusCode).toBe(401);
      const unknown = await call(
        reviewer,
        'GET',
        '/api/v1/catalog/changes/00000000-0000-4000-8000-000000000000',
      );
      expect(errorCode(unknown)).toBe('catalog_change_not_found');
      const own = (
        await call(steward, 'GET', `/api/v1/catalog/changes?resourceCode=${change.resource.code}`)
      ).json();
      expect(own.items.map((c: CatalogChangeView) => c.id)).toEqual([change.id]);
    });

    it('lets the provider’s steward withdraw a pending change; the draft may then be published again', async () => {
      expect((await call(outsider, 'POST', `/api/v1/catalog/changes/${change.id}/withdraw`)).statusCode).toBe(
        404,
      );
      expect((await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/withdraw`)).statusCode).toBe(
        403,
      );
      const withdrawn = await call(colleague, 'POST', `/api/v1/catalog/changes/${change.id}/withdraw`);
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
      expect(await last('catalog_change.withdrawn')).toMatchObject({ data: { changeId: change.id } });
      const approve = await call(reviewer, 'POST', `/api/v1/catalog/changes/${change.id}/approve`, {});
      expect(errorCode(approve)).toBe('catalog_change_decided');
      const again = await call(dual, 'POST', `/api/v1/resources/${change.resource.code}/publish`);
      expect(again.statusCode).toBe(202);
      expect((await call(dual, 'GET', `/api/v1/resources/${change.resource.code}`)).json().status).toBe(
        'draft',
      );
    });

    it('takes a key’s change for review too, and tells the provider’s stewards of the decision', async () => {
      const { key } = await buildApiKey(server.store.db, org.id, ['data_steward']);
      const created = await call(
        bearer(key),
        'POST',
        '/api/v1/resources',
        resourceInput({ name: '接口提交的资源' }),
      );
      const submitted = await call(bearer(key), 'POST', `/api/v1/resources/${created.json().code}/publish`);
      expect(submitted.statusCode, submitted.body).toBe(202);
      expect(submitted.json().author).toMatch(/^application:/);
      // A key never decides, even one that could publish.
      const byKey = await call(
        bearer(key),
        'POST',
        `/api/v1/catalog/changes/${submitted.json().id}/approve`,
        {},
      );
      expect(byKey.statusCode).toBe(403);
      await call(reviewer, 'POST', `/api/v1/catalog/changes/${submitted.json().id}/refuse`, {
        reasonCode: 'incomplete_items',
      });
      const told = (await notifications(colleague)).filter((n) => n.kind === 'catalog_change.refused');
      expect(told.map((n) => n.title).join()).toContain('接口提交的资源');
    });
  });

  it('submits each entry of an import with publish=true for review', async () => {
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import?publish=true',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: SAMPLE,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const codes: string[] = imported.json().imported.map((r: { code: string }) => r.code);
    expect(codes.length).toBeGreaterThan(0);
    const pending = (await call(steward, 'GET', '/api/v1/catalog/changes?status=pending&limit=200')).json()
      .items;
    for (const code of codes) {
      expect((await call(steward, 'GET', `/api/v1/resources/${code}`)).json().status).toBe('draft');
      expect(pending.find((c: CatalogChangeView) => c.resource.code === code)?.kind).toBe('publish');
    }
  });
});
