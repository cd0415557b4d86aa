import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildSharingOrgs,
  buildUser,
  resourceInput,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';
import { sweepDeadlines } from '../../governance/index.js';

// Deadlines of the steps beyond access requests (docs/governance.md): a catalog change waiting
// for review and a demand waiting for its department's answer are reminded and escalated by the
// same sweep, each to the people who answer for it.
describeEachStore('deadlines of catalog review and demands', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  const as: Record<string, Credentials> = {};
  let changeId: string;
  let demandId: string;

  beforeAll(async () => {
    server = await openTestServer(kind, { HUITONG_CATALOG_REVIEW: 'required' });
    world = await buildSharingOrgs(server.store.db);
    const reviewer = await buildUser(server.store.db, { roles: ['catalog_reviewer'] });
    for (const [name, user] of [
      ['steward', world.provider.users.data_steward],
      ['providerAdmin', world.provider.users.org_admin],
      ['analyst', world.consumer.users.analyst],
      ['admin', world.platformAdmin],
      ['reviewer', reviewer],
    ] as const)
      as[name] = await loginAs(server.app, user.username, TEST_PASSWORD);
    const at = new Date('2025-09-30T02:00:00Z'); // 10:00 in Shanghai, the eve of 国庆
    const draft = await call('steward', 'POST', '/api/v1/resources', resourceInput());
    expect(draft.statusCode, draft.body).toBe(201);
    const submitted = await call('steward', 'POST', `/api/v1/resources/${draft.json().code}/publish`);
    expect(submitted.statusCode, submitted.body).toBe(202);
    changeId = submitted.json().id;
    await sql`update catalog_changes set submitted_at = ${at} where id = ${changeId}`.execute(
      server.store.db,
    );
    const demand = await call('analyst', 'POST', '/api/v1/governance/demands', {
      title: '企业用电数据',
      description: '按月的企业用电量',
      purpose: '产业监测',
      legalBasis: '《统计法》',
      items: [{ name: '用电量' }],
    });
    expect(demand.statusCode, demand.body).toBe(201);
    demandId = demand.json().id;
    const assigned = await call('admin', 'POST', `/api/v1/governance/demands/${demandId}/assign`, {
      orgId: world.provider.org.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await sql`update demands set assigned_at = ${at} where id = ${demandId}`.execute(server.store.db);
  });
  afterAll(() => server.close());

  const call = (who: string, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as[who]?.headers ?? {},
      payload: payload as object,
    });
  const kinds = async (who: string) =>
    (
      (await call(who, 'GET', '/api/v1/notifications?limit=200')).json().items as {
        kind: string;
        title: string;
      }[]
    ).map((n) => `${n.kind} ${n.title}`);

  it('reminds the catalog reviewers the day before a review is due (5 working days across 国庆)', async () => {
    // 30 Sept + 5 working days: 9, 10, the 调休 Saturday 11, 13, 14 Oct — due 14 Oct 2025.
    const swept = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-13T12:00:00Z'));
    expect(swept.reminded).toContain(changeId);
    // The demand (10 working days, due 21 Oct) is not close yet.
    expect(swept.reminded).not.toContain(demandId);
    expect(await kinds('reviewer')).toContainEqual(
      expect.stringMatching(/^deadline\.reminded 目录发布审核即将到期/),
    );
  });

  it('escalates an overdue review to the platform’s administrators, and a demand to its department’s', async () => {
    const swept = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-22T01:00:00Z'));
    expect(swept.escalated).toEqual(expect.arrayContaining([changeId, demandId]));
    expect(await kinds('admin')).toContainEqual(
      expect.stringMatching(/^deadline\.escalated 目录发布审核已超期/),
    );
    expect(await kinds('providerAdmin')).toContainEqual(
      expect.stringMatching(/^deadline\.escalated 需求已超期：企业用电数据/),
    );
    const again = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-23T01:00:00Z'));
    expect([...again.escalated, ...again.reminded]).not.toEqual(expect.arrayContaining([changeId]));
    expect(again.escalated).not.toContain(demandId);
  });

  it('stops watching a review once decided and a demand once answered', async () => {
    const approved = await call('reviewer', 'POST', `/api/v1/catalog/changes/${changeId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const answered = await call('steward', 'POST', `/api/v1/governance/demands/${demandId}/answer`, {
      kind: 'refusal',
      reason: '本单位不掌握企业用电数据，建议向电力公司申请',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const swept = await sweepDeadlines(server.store.db, server.audit, {
      now: new Date('2025-11-30T01:00:00Z'),
      platformAfterWorkingDays: 1,
    });
    expect(swept.escalatedPlatform).not.toContain(changeId);
    expect(swept.escalatedPlatform).not.toContain(demandId);
  });
});
