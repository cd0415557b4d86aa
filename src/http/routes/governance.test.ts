import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSharedResource, buildSharingOrgs, TEST_PASSWORD } from '../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';
import type { ResourceView } from '../../catalog/index.js';
import { sweepDeadlines } from '../../governance/index.js';

// The governance routes (docs/governance.md): the working-day calendar and its overrides, the
// deadline rules, every access request's clock, the sweep's reminders and escalations, the SLA.
describeEachStore('governance routes', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  let general: ResourceView;
  const as: Record<string, Credentials> = {};

  beforeAll(async () => {
    server = await openTestServer(kind);
    world = await buildSharingOrgs(server.store.db);
    for (const side of ['provider', 'consumer', 'other'] as const)
      for (const [role, user] of Object.entries(world[side].users))
        as[`${side}.${role}`] = await loginAs(server.app, user.username, TEST_PASSWORD);
    as.admin = await loginAs(server.app, world.platformAdmin.username, TEST_PASSWORD);
    as.auditor = await loginAs(server.app, world.auditor.username, TEST_PASSWORD);
    general = await buildSharedResource(server.store.db, world.provider.org.id, {
      sharingType: 'conditional',
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
  const lastEntry = async (type: string) => {
    let found: { data: Record<string, unknown>; actor: { id: string } } | undefined;
    for await (const entry of server.audit.streamEntries({ type })) found = entry as never;
    return found;
  };
  /** Files a request, then moves its filing to `filedAt` (the clock counts from there). */
  const fileAt = async (filedAt: string) => {
    const response = await call('consumer.analyst', 'POST', '/api/v1/access-requests', {
      applicationId: world.key.application.id,
      resourceCode: general.code,
      items: ['姓名'],
      purpose: '核对身份',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().id as string;
    // created_at is never updated by the platform; the test moves it back in time.
    const at = new Date(filedAt);
    await sql`update access_requests set created_at = ${at}, updated_at = ${at}, waiting_since = ${at} where id = ${id}`.execute(
      server.store.db,
    );
    return id;
  };

  it('shows the calendar of 国庆 2025 with its 调休 days, and refuses bad ranges', async () => {
    const response = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/calendar?from=2025-09-27&to=2025-10-12',
    );
    expect(response.statusCode, response.body).toBe(200);
    const days = new Map(response.json().days.map((d: { day: string }) => [d.day, d]));
    expect(days.get('2025-09-28')).toMatchObject({ working: true, source: 'statutory', name: '国庆节' });
    expect(days.get('2025-10-03')).toMatchObject({ working: false, source: 'statutory' });
    expect(days.get('2025-10-11')).toMatchObject({ working: true });
    expect(days.get('2025-10-12')).toMatchObject({ working: false, source: 'weekend' });
    expect(response.json()).toMatchObject({ provisional: false, uncoveredYears: [] });
    expectRefusal(
      await call('consumer.analyst', 'GET', '/api/v1/governance/calendar?from=2025-02-30&to=2025-03-01'),
      'invalid_request',
    );
    expectRefusal(
      await call('consumer.analyst', 'GET', '/api/v1/governance/calendar?from=2025-10-02&to=2025-10-01'),
      'invalid_period',
    );
    expectRefusal(
      await call('consumer.analyst', 'GET', '/api/v1/governance/calendar?from=2020-01-01&to=2025-01-01'),
      'invalid_period',
    );
    expectRefusal(
      await call('nobody', 'GET', '/api/v1/governance/calendar?from=2025-10-01&to=2025-10-02'),
      'unauthenticated',
    );
    // A year the package does not know is counted by weekends only, and the answer says so.
    const later = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/calendar?from=2027-10-01&to=2027-10-02',
    );
    expect(later.json()).toMatchObject({ provisional: true, uncoveredYears: [2027] });
    expect(later.json().days[0]).toMatchObject({ working: true, covered: false });
  });

  it('computes a deadline across 国庆 and counts working days, refusing negative days and bad instants', async () => {
    const due = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/working-days?from=2025-09-30T10:00:00%2B08:00&add=10',
    );
    expect(due.statusCode, due.body).toBe(200);
    expect(due.json()).toMatchObject({
      dueDate: '2025-10-21',
      dueAt: '2025-10-21T16:00:00.000Z',
      workingDays: 10,
      provisional: false,
    });
    const between = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z&to=2025-10-21T10:00:00Z',
    );
    expect(between.json()).toMatchObject({ workingDays: 10 });
    const provisional = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/working-days?from=2026-12-30T10:00:00Z&add=5',
    );
    expect(provisional.json()).toMatchObject({ provisional: true, uncoveredYears: [2027] });
    expectRefusal(
      await call(
        'consumer.analyst',
        'GET',
        '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z&add=-1',
      ),
      'invalid_request',
    );
    expectRefusal(
      await call('consumer.analyst', 'GET', '/api/v1/governance/working-days?from=yesterday&add=1'),
      'invalid_request',
    );
    expectRefusal(
      await call('consumer.analyst', 'GET', '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z'),
      'bad_request',
    );
    expectRefusal(
      await call(
        'consumer.analyst',
        'GET',
        '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z&add=1&to=2025-10-30T10:00:00Z',
      ),
      'bad_request',
    );
  });

  it('lets the platform administrator set and remove a local holiday, audited, and refuses others', async () => {
    const day = '2025-10-09';
    expectRefusal(
      await call('provider.org_admin', 'PUT', `/api/v1/governance/calendar/overrides/${day}`, {
        kind: 'holiday',
        reason: '本地假日',
      }),
      'forbidden',
    );
    expectRefusal(
      await call('admin', 'PUT', '/api/v1/governance/calendar/overrides/2025-13-01', {
        kind: 'holiday',
        reason: 'x',
      }),
      'invalid_request',
    );
    expectRefusal(
      await call('admin', 'PUT', `/api/v1/governance/calendar/overrides/${day}`, {
        kind: 'nap',
        reason: 'x',
      }),
      'invalid_request',
    );
    const set = await call('admin', 'PUT', `/api/v1/governance/calendar/overrides/${day}`, {
      kind: 'holiday',
      reason: '本地假日',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await lastEntry('calendar.override_set'))?.data).toMatchObject({
      day,
      kind: 'holiday',
      reason: '本地假日',
    });
    // The deadline across 国庆 moves a working day later.
    const due = await call(
      'consumer.analyst',
      'GET',
      '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z&add=10',
    );
    expect(due.json().dueDate).toBe('2025-10-22');
    const listed = await call('consumer.analyst', 'GET', '/api/v1/governance/calendar/overrides');
    expect(listed.json()).toEqual([
      expect.objectContaining({ day, kind: 'holiday', setBy: world.platformAdmin.id }),
    ]);
    const removed = await call('admin', 'DELETE', `/api/v1/governance/calendar/overrides/${day}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await lastEntry('calendar.override_removed'))?.data).toMatchObject({ day });
    expectRefusal(await call('admin', 'DELETE', `/api/v1/governance/calendar/overrides/${day}`), 'not_found');
  });

  it('sets a deadline rule from now on: requests filed before keep theirs', async () => {
    const before = await fileAt('2025-09-30T02:00:00Z');
    const rules = await call('consumer.analyst', 'GET', '/api/v1/governance/deadline-rules');
    expect(rules.json()).toContainEqual(
      expect.objectContaining({ grade: 'general', workingDays: 10, source: 'default' }),
    );
    const body = { step: 'access_request', sharingType: 'conditional', grade: 'general', workingDays: 5 };
    expectRefusal(
      await call('provider.org_admin', 'PUT', '/api/v1/governance/deadline-rules', body),
      'forbidden',
    );
    expectRefusal(
      await call('admin', 'PUT', '/api/v1/governance/deadline-rules', { ...body, workingDays: -1 }),
      'invalid_request',
    );
    expectRefusal(
      await call('admin', 'PUT', '/api/v1/governance/deadline-rules', { ...body, workingDays: 0 }),
      'invalid_request',
    );
    expectRefusal(
      await call('admin', 'PUT', '/api/v1/governance/deadline-rules', { ...body, grade: 'secret' }),
      'invalid_request',
    );
    const set = await call('admin', 'PUT', '/api/v1/governance/deadline-rules', body);
    expect(set.statusCode, set.body).toBe(200);
    expect((await lastEntry('deadline_rule.set'))?.data).toMatchObject({ grade: 'general', workingDays: 5 });
    const after = await call('consumer.analyst', 'POST', '/api/v1/access-requests', {
      applicationId: world.key.application.id,
      resourceCode: general.code,
      items: ['姓名'],
      purpose: '核对身份',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    expect(after.json().deadline).toMatchObject({ workingDays: 5, state: 'running' });
    const old = await call('provider.data_steward', 'GET', `/api/v1/access-requests/${before}`);
    expect(old.json().deadline).toMatchObject({ workingDays: 10, dueDate: '2025-10-21', state: 'overdue' });
    await call('admin', 'PUT', '/api/v1/governance/deadline-rules', { ...body, workingDays: 10 });
  });

  it('shows each request’s clock in lists and on decision, and sweeps reminders and escalations once', async () => {
    const overdue = await fileAt('2025-09-30T02:00:00Z');
    const listed = await call(
      'provider.data_steward',
      'GET',
      '/api/v1/access-requests?scope=provider&status=pending',
    );
    const mine = listed.json().items.find((r: { id: string }) => r.id === overdue);
    expect(mine.deadline).toMatchObject({ dueDate: '2025-10-21', state: 'overdue', answeredAt: null });
    expect(mine.deadline.remainingWorkingDays).toBeLessThan(0);
    // The sweep on the evening of 20 Oct 2025 (one working day left) reminds the steward.
    const reminding = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-20T12:00:00Z'));
    expect(reminding.reminded).toContain(overdue);
    expect(reminding.escalated).not.toContain(overdue);
    const escalating = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-22T01:00:00Z'));
    expect(escalating.escalated).toContain(overdue);
    const again = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-23T01:00:00Z'));
    expect([...again.reminded, ...again.escalated]).not.toContain(overdue);
    expect((await lastEntry('deadline.escalated'))?.data).toMatchObject({
      accessRequestId: overdue,
      dueAt: '2025-10-21T16:00:00.000Z',
    });
    const toAdmin = await call('provider.org_admin', 'GET', '/api/v1/notifications');
    expect(toAdmin.json().items).toContainEqual(
      expect.objectContaining({ kind: 'deadline.escalated', accessRequestId: overdue }),
    );
    const toSteward = await call('provider.data_steward', 'GET', '/api/v1/notifications');
    expect(toSteward.json().items).toContainEqual(
      expect.objectContaining({ kind: 'deadline.reminded', accessRequestId: overdue }),
    );
    // Decided late, the clock stops as answered_late.
    const rejected = await call(
      'provider.data_steward',
      'POST',
      `/api/v1/access-requests/${overdue}/reject`,
      {
        reason: 'no_legal_basis',
        text: '用途不明',
      },
    );
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().deadline).toMatchObject({ state: 'answered_late' });
  });

  it('has one rule for each other step (any sharing type and grade), and refuses mixed shapes', async () => {
    const rules = (await call('consumer.analyst', 'GET', '/api/v1/governance/deadline-rules')).json();
    for (const [step, days] of [
      ['catalog_review', 5],
      ['objection', 5],
      ['demand', 10],
    ] as const)
      expect(rules).toContainEqual(
        expect.objectContaining({
          step,
          sharingType: 'any',
          grade: 'any',
          workingDays: days,
          source: 'default',
        }),
      );
    for (const wrong of [
      { step: 'objection', sharingType: 'conditional', grade: 'general', workingDays: 3 },
      { step: 'access_request', sharingType: 'any', grade: 'any', workingDays: 3 },
      { step: 'access_request', sharingType: 'conditional', grade: 'any', workingDays: 3 },
      { step: 'audit', workingDays: 3 },
    ])
      expectRefusal(
        await call('admin', 'PUT', '/api/v1/governance/deadline-rules', wrong),
        'invalid_request',
      );
    const set = await call('admin', 'PUT', '/api/v1/governance/deadline-rules', {
      step: 'demand',
      workingDays: 7,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ step: 'demand', sharingType: 'any', grade: 'any', workingDays: 7 });
    await call('admin', 'PUT', '/api/v1/governance/deadline-rules', { step: 'demand', workingDays: 10 });
  });

  it('escalates to the platform’s administrators once a request is overdue by the configured working days', async () => {
    const overdue = await fileAt('2025-09-30T02:00:00Z'); // due 21 Oct 2025
    const options = { platformAfterWorkingDays: 3 };
    const twoLate = await sweepDeadlines(server.store.db, server.audit, {
      ...options,
      now: new Date('2025-10-23T12:00:00Z'),
    });
    expect(twoLate.escalated).toContain(overdue);
    expect(twoLate.escalatedPlatform).not.toContain(overdue);
    const threeLate = await sweepDeadlines(server.store.db, server.audit, {
      ...options,
      now: new Date('2025-10-24T12:00:00Z'),
    });
    expect(threeLate.escalatedPlatform).toContain(overdue);
    expect(threeLate.escalated).not.toContain(overdue);
    expect((await lastEntry('deadline.escalated_platform'))?.data).toMatchObject({
      step: 'access_request',
      subjectId: overdue,
    });
    const toPlatform = await call('admin', 'GET', '/api/v1/notifications');
    expect(toPlatform.json().items).toContainEqual(
      expect.objectContaining({ kind: 'deadline.escalated_platform', accessRequestId: overdue }),
    );
    const again = await sweepDeadlines(server.store.db, server.audit, {
      ...options,
      now: new Date('2025-10-27T12:00:00Z'),
    });
    expect(again.escalatedPlatform).not.toContain(overdue);
  });

  it('escalates once when two processes sweep at the same time', async () => {
    const overdue = await fileAt('2025-09-30T02:00:00Z');
    const now = new Date('2025-10-22T01:00:00Z');
    const both = await Promise.all([
      sweepDeadlines(server.store.db, server.audit, now),
      sweepDeadlines(server.store.db, server.audit, now),
    ]);
    expect(both.flatMap((r) => r.escalated).filter((id) => id === overdue)).toHaveLength(1);
    const notes = await server.store.db
      .selectFrom('notifications')
      .select('id')
      .where('access_request_id', '=', overdue)
      .where('kind', '=', 'deadline.escalated')
      .execute();
    expect(notes).toHaveLength(1);
  });

  it('answers the SLA per providing department with the overdue list, for the roles allowed', async () => {
    const overdue = await fileAt('2025-09-30T02:00:00Z');
    const all = await call('auditor', 'GET', '/api/v1/governance/sla');
    expect(all.statusCode, all.body).toBe(200);
    const provider = all.json().departments.find((d: { orgId: string }) => d.orgId === world.provider.org.id);
    expect(provider).toMatchObject({ orgName: world.provider.org.name, answeredOnTime: 0 });
    expect(provider.overdue).toBeGreaterThan(0);
    expect(provider.onTimeRate).toBe(0);
    expect(all.json().overdue).toContainEqual(
      expect.objectContaining({ id: overdue, dueDate: '2025-10-21', escalated: false }),
    );
    const own = await call('provider.security_officer', 'GET', '/api/v1/governance/sla');
    expect(own.json().departments.map((d: { orgId: string }) => d.orgId)).toEqual([world.provider.org.id]);
    const byAdmin = await call('admin', 'GET', `/api/v1/governance/sla?orgId=${world.provider.org.id}`);
    expect(byAdmin.json().departments).toHaveLength(1);
    expectRefusal(
      await call('other.org_admin', 'GET', `/api/v1/governance/sla?orgId=${world.provider.org.id}`),
      'not_found',
    );
    expectRefusal(await call('admin', 'GET', `/api/v1/governance/sla?orgId=${randomUUID()}`), 'not_found');
    expectRefusal(await call('provider.analyst', 'GET', '/api/v1/governance/sla'), 'forbidden');
    expectRefusal(
      await call('admin', 'GET', '/api/v1/governance/sla?from=2025-10-01T00:00:00Z&to=2025-09-01T00:00:00Z'),
      'invalid_period',
    );
    expectRefusal(await call('admin', 'GET', '/api/v1/governance/sla?from=last-week'), 'invalid_request');
    // A window before the request leaves it out.
    const before = await call('admin', 'GET', '/api/v1/governance/sla?to=2025-01-01T00:00:00Z');
    expect(before.json().overdue).toEqual([]);
    // A request answered today, within its 10 working days, counts on time.
    const fresh = await call('consumer.analyst', 'POST', '/api/v1/access-requests', {
      applicationId: world.key.application.id,
      resourceCode: general.code,
      items: ['姓名'],
      purpose: '核对身份',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    const approved = await call(
      'provider.data_steward',
      'POST',
      `/api/v1/access-requests/${fresh.json().id}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().request.deadline).toMatchObject({ state: 'answered_on_time' });
    const after = await call('auditor', 'GET', `/api/v1/governance/sla?orgId=${world.provider.org.id}`);
    const [row] = after.json().departments;
    expect(row.answeredOnTime).toBe(1);
    expect(row.onTimeRate).toBeCloseTo(1 / (row.answered + row.overdue), 3);
  });
});
