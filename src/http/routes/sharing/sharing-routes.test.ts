import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSharedResource, buildSharingOrgs, TEST_PASSWORD } from '../../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../../test/support/http.js';
import { expectRefusal } from '../../../../test/support/refusals.js';
import { describeEachStore } from '../../../../test/support/store.js';
import type { ResourceView } from '../../../catalog/index.js';
import { chargeUsage, resolveAccess } from '../../../sharing/index.js';

const IN_A_YEAR = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describeEachStore('sharing routes', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  const as: Record<string, Credentials> = {};
  let general: ResourceView;
  let important: ResourceView;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    world = await buildSharingOrgs(db);
    for (const side of ['provider', 'consumer', 'other'] as const) {
      for (const [role, user] of Object.entries(world[side].users)) {
        as[`${side}.${role}`] = await loginAs(server.app, user.username, TEST_PASSWORD);
      }
    }
    as.key = bearer(world.key.key);
    general = await buildSharedResource(db, world.provider.org.id, { sharingType: 'conditional' });
    important = await buildSharedResource(db, world.provider.org.id, {
      sharingType: 'conditional',
      grade: 'important',
    });
  });
  afterAll(() => server.close());

  const call = (who: string, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as[who]?.headers ?? {},
      payload: payload as object,
    });
  const auditTypes = async () => {
    const types: string[] = [];
    for await (const entry of server.audit.streamEntries({})) types.push(entry.type);
    return types;
  };
  const requestBody = (resource: ResourceView, overrides: Record<string, unknown> = {}) => ({
    applicationId: world.key.application.id,
    resourceCode: resource.code,
    items: ['姓名', '身份证号', '区划'],
    purpose: '办理社保业务时核对身份',
    legalBasis: '《社会保险法》',
    validUntil: IN_A_YEAR(),
    expectedCallsPerDay: 100,
    expectedRowsPerDay: 1000,
    ...overrides,
  });
  const file = async (resource: ResourceView, overrides: Record<string, unknown> = {}) => {
    const response = await call(
      'consumer.analyst',
      'POST',
      '/api/v1/access-requests',
      requestBody(resource, overrides),
    );
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const access = (resource: ResourceView, ip = '10.0.0.1') =>
    resolveAccess(
      server.store.db,
      {
        kind: 'application',
        applicationId: world.key.application.id,
        keyId: world.key.apiKey.id,
        orgId: world.consumer.org.id,
        roles: ['analyst'],
      },
      resource,
      { ip },
    );

  describe('filing a request', () => {
    it('files a request that waits for the provider’s steward, who is notified', async () => {
      const request = await file(general);
      expect(request).toMatchObject({
        status: 'pending',
        statusLabel: '待审批',
        items: ['姓名', '身份证号', '区划'],
        nextAction: { role: 'data_steward', roleLabel: '数据管理员', orgId: world.provider.org.id },
        steps: [{ seq: 1, role: 'data_steward', status: 'pending' }],
      });
      expect(Date.parse(request.nextAction.since)).toBeLessThanOrEqual(Date.now());
      const inbox = await call('provider.data_steward', 'GET', '/api/v1/notifications');
      expect(inbox.json().items.map((n: { accessRequestId: string }) => n.accessRequestId)).toContain(
        request.id,
      );
      const todo = await call('provider.data_steward', 'GET', '/api/v1/access-requests?scope=todo');
      expect(todo.json().items.map((r: { id: string }) => r.id)).toContain(request.id);
      const mine = await call('consumer.analyst', 'GET', '/api/v1/access-requests');
      expect(mine.json().items.map((r: { id: string }) => r.id)).toContain(request.id);
    });

    it('refuses bad requests, each with its code', async () => {
      const db = server.store.db;
      const open = await buildSharedResource(db, world.provider.org.id, { sharingType: 'unconditional' });
      const hidden = await buildSharedResource(db, world.provider.org.id, { sharingType: 'not_shared' });
      const core = await buildSharedResource(db, world.provider.org.id, {
        sharingType: 'conditional',
        grade: 'core',
      });
      const own = await buildSharedResource(db, world.consumer.org.id, { sharingType: 'conditional' });
      const cases: Array<[Record<string, unknown>, ResourceView, number, string]> = [
        [{ items: ['不存在的项'] }, general, 400, 'unknown_item'],
        [{}, open, 409, 'request_not_needed'],
        [{}, hidden, 404, 'not_found'],
        [{}, own, 409, 'own_resource'],
        [{ validUntil: new Date(Date.now() - 1000).toISOString() }, general, 400, 'invalid_period'],
        [{ applicationId: crypto.randomUUID() }, general, 404, 'not_found'],
        [{ resourceCode: 'NO-SUCH-CODE' }, general, 404, 'not_found'],
        [{ items: [] }, general, 400, 'invalid_request'],
        [{ colour: 'red' }, general, 400, 'invalid_request'],
      ];
      for (const [overrides, resource, status, code] of cases) {
        const response = await call(
          'consumer.analyst',
          'POST',
          '/api/v1/access-requests',
          requestBody(resource, overrides),
        );
        expect([response.statusCode, errorCode(response)], JSON.stringify(overrides)).toEqual([status, code]);
      }
      // Core data leaves only as aggregates.
      expectRefusal(
        await call('consumer.analyst', 'POST', '/api/v1/access-requests', requestBody(core)),
        'core_data_not_releasable',
      );
      // Another organisation's application is invisible.
      const theirs = await call('other.analyst', 'POST', '/api/v1/access-requests', requestBody(general));
      expect([theirs.statusCode, errorCode(theirs)]).toEqual([404, 'not_found']);
      // Core data may be requested as aggregates.
      const aggregate = await call(
        'consumer.analyst',
        'POST',
        '/api/v1/access-requests',
        requestBody(core, { use: 'statistics' }),
      );
      expect(aggregate.json().steps.map((s: { role: string }) => s.role)).toEqual([
        'data_steward',
        'security_officer',
      ]);
    });
  });

  describe('deciding', () => {
    it('approves in part: fewer items, a mask lifted, a row filter, shorter period, quotas, addresses', async () => {
      const request = await file(general);
      const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const response = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/access-requests/${request.id}/approve`,
        {
          items: [{ name: '姓名', mask: { kind: 'none' } }, { name: '身份证号' }],
          rowFilter: [{ item: '区划', op: 'in', values: ['350100', '350200'] }],
          validUntil: until,
          quota: { callsPerDay: 50, rowsPerDay: 500 },
          allowedIps: ['10.0.0.0/8'],
          comment: '仅限本市数据',
        },
      );
      expect(response.statusCode, response.body).toBe(200);
      const { request: decided, grant } = response.json();
      expect(decided).toMatchObject({ status: 'partially_approved', nextAction: null, grantId: grant.id });
      expect(grant).toMatchObject({
        items: [
          { name: '姓名', mask: { kind: 'none' } },
          { name: '身份证号', mask: { kind: 'id-number' } },
        ],
        validUntil: until,
        quota: { callsPerDay: 50, rowsPerDay: 500 },
        allowedIps: ['10.0.0.0/8'],
        status: 'active',
        mayExport: false,
      });
      const got = await access(general);
      expect(got).toMatchObject({
        mode: 'grant',
        grantId: grant.id,
        rowFilter: [{ item: '区划', op: 'in' }],
      });
      await expect(access(general, '192.168.1.1')).rejects.toMatchObject({ code: 'ip_not_allowed' });
      const inbox = await call('consumer.analyst', 'GET', '/api/v1/notifications?unread=true');
      const note = inbox
        .json()
        .items.find((n: { accessRequestId: string }) => n.accessRequestId === request.id);
      expect(note).toMatchObject({ kind: 'access_request.partially_approved', grantId: grant.id });
      const read = await call('consumer.analyst', 'POST', `/api/v1/notifications/${note.id}/read`);
      expect(read.json().readAt).not.toBeNull();
      const types = await auditTypes();
      expect(types).toEqual(
        expect.arrayContaining(['access_request.created', 'access_request.approved', 'grant.created']),
      );
    });

    it('refuses approvals that widen or name unknown items, and tampered filters', async () => {
      const request = await file(general);
      const url = `/api/v1/access-requests/${request.id}/approve`;
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ items: [{ name: '银行卡号' }] }, 400, 'item_not_requested'],
        [{ items: [{ name: '无此项' }] }, 400, 'unknown_item'],
        [{ rowFilter: [{ item: '无此项', op: 'eq', value: 1 }] }, 400, 'unknown_item'],
        [{ rowFilter: [{ item: '区划', op: 'eq', value: 1, sql: '1=1' }] }, 400, 'invalid_request'],
        [{ rowFilter: [{ item: '区划', op: 'raw', value: 'true; drop table x' }] }, 400, 'invalid_request'],
        [
          { validUntil: new Date(Date.now() + 800 * 86_400_000).toISOString() },
          400,
          'period_not_within_request',
        ],
        [{ allowedIps: ['not-an-ip'] }, 400, 'invalid_request'],
        [{ items: [{ name: '姓名', mask: { kind: 'rot13' } }] }, 400, 'invalid_request'],
      ];
      for (const [body, status, code] of cases) {
        const response = await call('provider.data_steward', 'POST', url, body);
        expect([response.statusCode, errorCode(response)], JSON.stringify(body)).toEqual([status, code]);
      }
      // More rows a day than the consumer asked for.
      expectRefusal(
        await call('provider.data_steward', 'POST', url, { quota: { callsPerDay: 1000, rowsPerDay: 10 } }),
        'quota_exceeds_request',
      );
      expect(
        (await call('consumer.analyst', 'GET', `/api/v1/access-requests/${request.id}`)).json().status,
      ).toBe('pending');
    });

    it('asks the security officer after the steward for important data; each acts only at its step', async () => {
      const request = await file(important);
      expect(request.steps.map((s: { role: string }) => s.role)).toEqual([
        'data_steward',
        'security_officer',
      ]);
      const url = `/api/v1/access-requests/${request.id}/approve`;
      const early = await call('provider.security_officer', 'POST', url, {});
      expectRefusal(early, 'not_your_step');
      const first = await call('provider.data_steward', 'POST', url, {
        items: [{ name: '姓名' }, { name: '区划' }],
      });
      expect(first.json()).toMatchObject({
        request: { status: 'pending', nextAction: { role: 'security_officer' } },
        grant: null,
      });
      const again = await call('provider.data_steward', 'POST', url, {});
      expectRefusal(again, 'not_your_step');
      const widen = await call('provider.security_officer', 'POST', url, {
        items: [{ name: '姓名', mask: { kind: 'none' } }],
      });
      expectRefusal(widen, 'mask_widened');
      const second = await call('provider.security_officer', 'POST', url, {});
      expect(second.json().request).toMatchObject({ status: 'partially_approved', nextAction: null });
      expect(second.json().grant.items.map((i: { name: string }) => i.name)).toEqual(['姓名', '区划']);
      const done = await call('provider.security_officer', 'POST', url, {});
      expect([done.statusCode, errorCode(done)]).toEqual([409, 'request_not_pending']);
    });

    it('starts the security officer from the steward’s decision, and the grant holds it once', async () => {
      const request = await file(important);
      const url = `/api/v1/access-requests/${request.id}/approve`;
      const decision = {
        items: [{ name: '姓名', mask: { kind: 'name' } }, { name: '区划' }],
        rowFilter: [{ item: '区划', op: 'in', values: ['350100', '350200'] }],
        allowedIps: ['10.0.0.0/8'],
        mayExport: true,
        comment: '仅限两市',
      };
      const first = await call('provider.data_steward', 'POST', url, decision);
      expect(first.statusCode, first.body).toBe(200);
      const todo = await call('provider.security_officer', 'GET', '/api/v1/access-requests?scope=todo');
      const seen = todo.json().items.find((r: { id: string }) => r.id === request.id);
      const steward = world.provider.users.data_steward;
      const analyst = world.consumer.users.analyst;
      expect(seen).toMatchObject({
        applicant: {
          organization: { id: world.consumer.org.id, name: world.consumer.org.name },
          person: { id: analyst.id, displayName: analyst.displayName, username: analyst.username },
          application: { id: world.key.application.id, name: world.key.application.name },
        },
        steps: [
          { role: 'data_steward', status: 'approved', actorName: steward.displayName, comment: '仅限两市' },
          { role: 'security_officer', status: 'pending', actorName: null },
        ],
        terms: {
          items: [
            { name: '姓名', mask: { kind: 'name' } },
            { name: '区划', mask: { kind: 'none' } },
          ],
          rowFilter: decision.rowFilter,
          allowedIps: ['10.0.0.0/8'],
          mayExport: true,
        },
      });
      // The dropped item cannot come back, in the caller's language.
      const dropped = await server.app.inject({
        method: 'POST',
        url,
        headers: { ...as['provider.security_officer']!.headers, 'accept-language': 'zh-CN' },
        payload: { items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }] },
      });
      expectRefusal(dropped, 'item_not_agreed');
      expect(dropped.json().error).toMatchObject({
        message: expect.stringContaining('身份证号'),
        details: { items: ['身份证号'] },
      });
      const wider = await call('provider.security_officer', 'POST', url, { allowedIps: ['0.0.0.0/0'] });
      expectRefusal(wider, 'ips_widened');
      // The officer resends the decision as the form shows it, adding one condition of its own.
      const extra = { item: '姓名', op: 'is_null', value: false };
      const second = await call('provider.security_officer', 'POST', url, {
        ...seen.terms,
        rowFilter: [...seen.terms.rowFilter, extra],
        comment: '同意',
      });
      expect(second.statusCode, second.body).toBe(200);
      const grant = second.json().grant;
      expect(grant).toMatchObject({
        items: decision.items.map((i) => ({ name: i.name, mask: i.mask ?? { kind: 'none' } })),
        rowFilter: [...decision.rowFilter, extra],
        allowedIps: ['10.0.0.0/8'],
        mayExport: true,
      });
      expect(second.json().request.terms.rowFilter).toHaveLength(2);
    });

    it('rejects with a coded reason the applicant reads', async () => {
      const request = await file(general);
      const response = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/access-requests/${request.id}/reject`,
        {
          reason: 'beyond_stated_purpose',
          text: '申请信息项超出办理社保业务所需',
        },
      );
      expect(response.json()).toMatchObject({
        status: 'rejected',
        nextAction: null,
        rejection: { reason: 'beyond_stated_purpose', label: '超出申请用途范围' },
      });
      const badReason = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/access-requests/${request.id}/reject`,
        {
          reason: 'because',
          text: 'x',
        },
      );
      expect(errorCode(badReason)).toBe('invalid_request');
      const inbox = await call('consumer.analyst', 'GET', '/api/v1/notifications');
      expect(inbox.json().items.some((n: { body: string }) => n.body.startsWith('超出申请用途范围'))).toBe(
        true,
      );
    });

    it('lets the applicant withdraw a pending request, once', async () => {
      const request = await file(general);
      const url = `/api/v1/access-requests/${request.id}/withdraw`;
      expect((await call('provider.data_steward', 'POST', url)).statusCode).toBe(403);
      expect((await call('consumer.analyst', 'POST', url)).json().status).toBe('withdrawn');
      expect(errorCode(await call('consumer.analyst', 'POST', url))).toBe('request_not_pending');
      const approve = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/access-requests/${request.id}/approve`,
        {},
      );
      expect(errorCode(approve)).toBe('request_not_pending');
    });
  });

  describe('grants', () => {
    const approved = async () => {
      const request = await file(general);
      const response = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/access-requests/${request.id}/approve`,
        {},
      );
      return response.json().grant;
    };

    it('suspends, resumes and revokes, effective on the next access decision', async () => {
      const resource = await buildSharedResource(server.store.db, world.provider.org.id, {
        sharingType: 'conditional',
      });
      const request = await file(resource);
      const { grant } = (
        await call('provider.data_steward', 'POST', `/api/v1/access-requests/${request.id}/approve`, {})
      ).json();
      expect((await access(resource)).grantId).toBe(grant.id);
      const suspend = await call('provider.data_steward', 'POST', `/api/v1/grants/${grant.id}/suspend`, {
        reason: '核查中',
      });
      expect(suspend.json()).toMatchObject({ status: 'suspended', statusReason: '核查中' });
      await expect(access(resource)).rejects.toMatchObject({ status: 403, code: 'grant_revoked' });
      const resumed = await call('provider.data_steward', 'POST', `/api/v1/grants/${grant.id}/resume`);
      expect(resumed.json().status, resumed.body).toBe('active');
      expect((await access(resource)).grantId).toBe(grant.id);
      expect(
        (await call('provider.security_officer', 'POST', `/api/v1/grants/${grant.id}/revoke`, {})).json()
          .status,
      ).toBe('revoked');
      await expect(access(resource)).rejects.toMatchObject({ code: 'grant_revoked' });
      const again = await call('provider.data_steward', 'POST', `/api/v1/grants/${grant.id}/resume`);
      expect([again.statusCode, errorCode(again)]).toEqual([409, 'grant_state_conflict']);
      const types = await auditTypes();
      expect(types).toEqual(expect.arrayContaining(['grant.suspended', 'grant.resumed', 'grant.revoked']));
    });

    it('shows a grant to both sides and hides it from everyone else', async () => {
      const grant = await approved();
      for (const who of ['consumer.analyst', 'provider.data_steward', 'key']) {
        expect((await call(who, 'GET', `/api/v1/grants/${grant.id}`)).statusCode, who).toBe(200);
      }
      for (const who of ['other.analyst', 'other.data_steward']) {
        const response = await call(who, 'GET', `/api/v1/grants/${grant.id}`);
        expect([response.statusCode, errorCode(response)], who).toEqual([404, 'not_found']);
      }
      const consumerList = await call('consumer.analyst', 'GET', '/api/v1/grants');
      expect(consumerList.json().items.map((g: { id: string }) => g.id)).toContain(grant.id);
      const providerList = await call('provider.data_steward', 'GET', '/api/v1/grants?side=provider');
      expect(providerList.json().items.map((g: { id: string }) => g.id)).toContain(grant.id);
      const otherList = await call('other.analyst', 'GET', '/api/v1/grants?side=provider');
      expect(otherList.json().items).toEqual([]);
    });

    it('counts usage per day for both sides, and answers 429 with Retry-After at the quota', async () => {
      const resource = await buildSharedResource(server.store.db, world.provider.org.id, {
        sharingType: 'conditional',
      });
      const request = await file(resource);
      const { grant } = (
        await call('provider.data_steward', 'POST', `/api/v1/access-requests/${request.id}/approve`, {
          quota: { callsPerDay: 2, rowsPerDay: 100 },
        })
      ).json();
      const got = await access(resource);
      await chargeUsage(server.store.db, got, { calls: 1, rows: 40 });
      await chargeUsage(server.store.db, got, { calls: 1, rows: 40 });
      await expect(chargeUsage(server.store.db, got, { calls: 1, rows: 1 })).rejects.toMatchObject({
        status: 429,
        code: 'quota_exhausted',
      });
      const usage = await call('consumer.analyst', 'GET', `/api/v1/grants/${grant.id}/usage`);
      expect(usage.json().items).toEqual([
        expect.objectContaining({ calls: 2, rows: 80, quota: { callsPerDay: 2, rowsPerDay: 100 } }),
      ]);
      const provider = await call('provider.data_steward', 'GET', '/api/v1/usage?side=provider');
      expect(provider.json().items.some((u: { grantId: string }) => u.grantId === grant.id)).toBe(true);
      const stranger = await call('other.data_steward', 'GET', `/api/v1/grants/${grant.id}/usage`);
      expect(stranger.statusCode).toBe(404);
      const badRange = await call(
        'consumer.analyst',
        'GET',
        `/api/v1/grants/${grant.id}/usage?from=2026-02-01&to=2025-01-01`,
      );
      expect(errorCode(badRange)).toBe('invalid_range');
    });

    it('serves a grant as an ODRL 2.2 Agreement in JSON-LD', async () => {
      const request = await file(general);
      const { grant } = (
        await call('provider.data_steward', 'POST', `/api/v1/access-requests/${request.id}/approve`, {
          quota: { callsPerDay: 10, rowsPerDay: 100 },
        })
      ).json();
      const response = await call('consumer.analyst', 'GET', `/api/v1/grants/${grant.id}.jsonld`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/ld+json');
      const doc = response.json();
      expect(doc).toMatchObject({
        '@context': 'http://www.w3.org/ns/odrl.jsonld',
        '@type': 'Agreement',
        uid: expect.stringMatching(new RegExp(`/api/v1/grants/${grant.id}$`)),
        assigner: expect.stringMatching(new RegExp(`/api/v1/organizations/${world.provider.org.id}$`)),
        assignee: expect.stringMatching(new RegExp(`/api/v1/applications/${world.key.application.id}$`)),
        target: expect.stringMatching(new RegExp(`/api/v1/resources/${general.code}$`)),
      });
      expect(doc.permission[0]).toMatchObject({ action: 'use' });
      const other = await call('other.analyst', 'GET', `/api/v1/grants/${grant.id}.jsonld`);
      expect(other.statusCode).toBe(404);
    });
  });
});
