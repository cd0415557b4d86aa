import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUser, resourceInput, TEST_PASSWORD } from '../../../test/support/factories.js';
import { type FileResource, fileResource } from '../../../test/support/file-resource.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';

// The clocks (时限) of objections, demands and catalog changes in their own views, and the SLA of
// each step (docs/governance.md): started on 30 Sept 2025 10:00 in Shanghai, the eve of 国庆, an
// objection or a review (5 working days) is due on 14 Oct, a demand (10) on 21 Oct.
const CSV = 'zch,mc\nA001,甲公司\nA002,乙公司\n';
const AT = new Date('2025-09-30T02:00:00Z');

describeEachStore('clocks and SLA of objections, demands and catalog review', (kind) => {
  let server: TestServer;
  let world: FileResource;
  const as: Record<string, Credentials> = {};
  let objectionId: string;
  let demandId: string;
  let changeId: string;

  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_CATALOG_REVIEW: 'required' });
    world = await fileResource(server, CSV, {
      items: [
        { name: '注册号', field: 'zch', dataType: 'string' as const },
        { name: '名称', field: 'mc', dataType: 'string' as const },
      ],
      sharingType: 'unconditional',
      sharingMethods: ['api', 'file'],
    });
    const db = server.store.db;
    const users = {
      analyst: await buildUser(db, { orgId: world.consumerId, roles: ['analyst'] }),
      providerAdmin: await buildUser(db, { orgId: world.providerId, roles: ['org_admin'] }),
      admin: await buildUser(db, { roles: ['platform_admin'] }),
      auditor: await buildUser(db, { roles: ['auditor'] }),
      reviewer: await buildUser(db, { roles: ['catalog_reviewer'] }),
    };
    for (const [name, user] of Object.entries(users))
      as[name] = await loginAs(server.app, user.username, TEST_PASSWORD);
    as.steward = world.steward;
  });
  afterAll(() => server?.close());

  const call = (who: string, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as[who]!.headers,
      payload: payload as object,
    });
  const ok = async (who: string, method: string, url: string, payload?: unknown) => {
    const response = await call(who, method, url, payload);
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };
  const sla = (step: string, who = 'auditor') => ok(who, 'GET', `/api/v1/governance/sla?step=${step}`);
  const ids = (items: { id: string }[]) => items.map((i) => i.id);

  it('shows an objection’s clock from its filing: 5 working days across 国庆', async () => {
    const raised = await ok('analyst', 'POST', '/api/v1/governance/objections', {
      resourceCode: world.code,
      keyColumn: 'zch',
      rowKeys: ['A002'],
      items: ['名称'],
      description: '名称有误',
      expected: '乙有限公司',
    });
    objectionId = raised.id;
    expect(raised.deadline).toMatchObject({ state: 'running', workingDays: 5, answeredAt: null });
    await sql`update objections set filed_at = ${AT} where id = ${objectionId}`.execute(server.store.db);
    const one = await ok('steward', 'GET', `/api/v1/governance/objections/${objectionId}`);
    expect(one.deadline).toMatchObject({ dueDate: '2025-10-14', state: 'overdue', workingDays: 5 });
    expect(one.deadline.remainingWorkingDays).toBeLessThan(0);
    const page = await ok('steward', 'GET', '/api/v1/governance/objections?role=against');
    expect(page.items.find((o: { id: string }) => o.id === objectionId).deadline.dueDate).toBe('2025-10-14');
  });

  it('shows no clock for a demand until it is assigned, then 10 working days from the assignment', async () => {
    const created = await ok('analyst', 'POST', '/api/v1/governance/demands', {
      title: '企业用电数据',
      description: '按月的企业用电量',
      purpose: '产业监测',
      legalBasis: '《统计法》',
      items: [{ name: '用电量' }],
    });
    demandId = created.id;
    expect(created.deadline).toBeNull();
    const assigned = await ok('admin', 'POST', `/api/v1/governance/demands/${demandId}/assign`, {
      orgId: world.providerId,
    });
    expect(assigned.deadline).toMatchObject({ state: 'running', workingDays: 10 });
    await sql`update demands set assigned_at = ${AT} where id = ${demandId}`.execute(server.store.db);
    const one = await ok('steward', 'GET', `/api/v1/governance/demands/${demandId}`);
    expect(one.deadline).toMatchObject({
      dueDate: '2025-10-21',
      state: 'overdue',
      startedAt: AT.toISOString(),
    });
    const page = await ok('steward', 'GET', `/api/v1/governance/demands?assignedOrgId=${world.providerId}`);
    expect(page.items.find((d: { id: string }) => d.id === demandId).deadline.dueDate).toBe('2025-10-21');
  });

  it('shows a catalog change’s review clock from its submission', async () => {
    const draft = await ok('steward', 'POST', '/api/v1/resources', resourceInput());
    const submitted = await call('steward', 'POST', `/api/v1/resources/${draft.code}/publish`);
    expect(submitted.statusCode, submitted.body).toBe(202);
    changeId = submitted.json().id;
    await sql`update catalog_changes set submitted_at = ${AT} where id = ${changeId}`.execute(
      server.store.db,
    );
    const one = await ok('reviewer', 'GET', `/api/v1/catalog/changes/${changeId}`);
    expect(one.deadline).toMatchObject({ dueDate: '2025-10-14', state: 'overdue', workingDays: 5 });
    const page = await ok('reviewer', 'GET', '/api/v1/catalog/changes?status=pending');
    expect(page.items.find((c: { id: string }) => c.id === changeId).deadline.dueDate).toBe('2025-10-14');
  });

  it('answers the SLA of each step: per responsible department, with its overdue list', async () => {
    const objections = await sla('objection');
    expect(objections.step).toBe('objection');
    expect(objections.departments).toContainEqual(
      expect.objectContaining({ orgId: world.providerId, requests: 1, overdue: 1, onTimeRate: 0 }),
    );
    expect(objections.overdue).toContainEqual(
      expect.objectContaining({
        id: objectionId,
        title: expect.any(String),
        resourceCode: world.code,
        providerId: world.providerId,
        consumerOrgId: world.consumerId,
        dueDate: '2025-10-14',
      }),
    );
    const demands = await sla('demand');
    expect(demands.overdue).toContainEqual(
      expect.objectContaining({
        id: demandId,
        title: '企业用电数据',
        resourceCode: null,
        resourceName: null,
        providerId: world.providerId,
        consumerOrgId: world.consumerId,
        dueDate: '2025-10-21',
      }),
    );
    // Catalog review per author organisation: whose entries wait; nobody waits on the other side.
    const reviews = await sla('catalog_review');
    expect(reviews.overdue).toContainEqual(
      expect.objectContaining({ id: changeId, providerId: world.providerId, consumerOrgId: null }),
    );
    // The default stays the access requests, unchanged for existing clients.
    const requests = await ok('auditor', 'GET', '/api/v1/governance/sla');
    expect(requests.step).toBe('access_request');
    expect(ids(requests.overdue)).not.toEqual(expect.arrayContaining([objectionId]));
    // A department's administrator sees its own figures only.
    const own = await sla('demand', 'providerAdmin');
    expect(own.departments.map((d: { orgId: string }) => d.orgId)).toEqual([world.providerId]);
    expectRefusal(await call('auditor', 'GET', '/api/v1/governance/sla?step=lunch'), 'invalid_request');
    expectRefusal(await call('steward', 'GET', '/api/v1/governance/sla?step=demand'), 'forbidden');
  });

  it('ends the clocks with the answers: late, then on time after a reopening; withdrawn counts nowhere', async () => {
    const explained = await ok('steward', 'POST', `/api/v1/governance/objections/${objectionId}/explain`, {
      reply: '名称以登记为准',
    });
    expect(explained.deadline).toMatchObject({ state: 'answered_late', dueDate: '2025-10-14' });
    // Reopening starts the clock again; answered at once, it is on time.
    const reopened = await ok('analyst', 'POST', `/api/v1/governance/objections/${objectionId}/reopen`, {
      reply: '登记已变更',
    });
    expect(reopened.deadline).toMatchObject({ state: 'running', answeredAt: null });
    const corrected = await ok('steward', 'POST', `/api/v1/governance/objections/${objectionId}/correct`, {
      reply: '已更正',
    });
    expect(corrected.deadline.state).toBe('answered_on_time');
    const objections = await sla('objection');
    expect(objections.departments).toContainEqual(
      expect.objectContaining({ orgId: world.providerId, answered: 1, answeredOnTime: 1, onTimeRate: 1 }),
    );
    expect(ids(objections.overdue)).not.toContain(objectionId);

    const approved = await ok('reviewer', 'POST', `/api/v1/catalog/changes/${changeId}/approve`, {});
    expect(approved.change.deadline).toMatchObject({ state: 'answered_late', dueDate: '2025-10-14' });

    const withdrawn = await ok('analyst', 'POST', `/api/v1/governance/demands/${demandId}/withdraw`);
    expect(withdrawn.deadline).toMatchObject({ state: 'stopped', dueDate: '2025-10-21' });
    const demands = await sla('demand');
    expect(ids(demands.overdue)).not.toContain(demandId);
    expect(demands.departments.find((d: { orgId: string }) => d.orgId === world.providerId)).toBeUndefined();
  });
});
