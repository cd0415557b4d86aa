import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import { type FileResource, fileResource } from '../../../test/support/file-resource.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';
import { pendingObjectionDeadlines, pendingObjections, sweepDeadlines } from '../../governance/index.js';

// 异议处理 (docs/governance.md): a consumer objects to rows it read, the provider corrects or
// explains, the consumer confirms or reopens; refusals of rows it cannot read and of every step
// from a state that does not allow it; the disputed marker on the rows; the statistics.
const CSV = 'zch,mc,zt\nA001,甲公司,存续\nA002,乙公司,注销\nA003,丙公司,存续\n';
const ITEMS = [
  { name: '注册号', field: 'zch', dataType: 'string' as const },
  { name: '名称', field: 'mc', dataType: 'string' as const },
  { name: '状态', field: 'zt', dataType: 'string' as const },
];
const BASE = '/api/v1/governance/objections';

describeEachStore('objections', (kind) => {
  let server: TestServer;
  let world: FileResource;
  let consumer: Credentials;
  let consumerSteward: Credentials;
  let stranger: Credentials;
  let providerAnalyst: Credentials;

  beforeAll(async () => {
    server = await openTestServer(kind);
    world = await fileResource(server, CSV, {
      items: ITEMS,
      sharingType: 'unconditional',
      sharingMethods: ['api', 'file'],
    });
    const db = server.store.db;
    const login = async (orgId: string, role: 'analyst' | 'data_steward') =>
      loginAs(server.app, (await buildUser(db, { orgId, roles: [role] })).username, TEST_PASSWORD);
    consumer = await login(world.consumerId, 'analyst');
    consumerSteward = await login(world.consumerId, 'data_steward');
    stranger = await login((await buildOrganization(db)).id, 'analyst');
    providerAnalyst = await login(world.providerId, 'analyst');
  });
  afterAll(() => server?.close());

  const call = (who: Credentials, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({ method, url, headers: who.headers, payload: payload as object });
  const raise = (who: Credentials, overrides: Record<string, unknown> = {}) =>
    call(who, 'POST', BASE, {
      resourceCode: world.code,
      keyColumn: 'zch',
      rowKeys: ['A002'],
      items: ['状态'],
      description: '该企业已恢复存续',
      expected: '存续',
      evidence: '2025年10月市场监管局公告',
      ...overrides,
    });
  const lastEntry = async (type: string) => {
    let found: { data: Record<string, unknown>; resources?: string[] } | undefined;
    for await (const entry of server.audit.streamEntries({ type })) found = entry as never;
    return found;
  };
  const rows = async (who: Credentials) => {
    const response = await call(who, 'GET', `/api/v1/resources/${world.code}/rows`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { rows: { zch: string }[]; disputed: number[] };
  };
  const disputedKeys = async (who: Credentials) => {
    const page = await rows(who);
    return page.disputed.map((i) => page.rows[i]!.zch);
  };

  it('runs raise → explain → reopen → correct → confirm, notifying and auditing each step', async () => {
    expect(await disputedKeys(consumer)).toEqual([]);
    const raised = await raise(consumer);
    expect(raised.statusCode, raised.body).toBe(201);
    const o = raised.json();
    expect(o).toMatchObject({
      status: 'open',
      resource: { code: world.code },
      provider: { id: world.providerId },
      consumer: { id: world.consumerId },
      keyColumn: 'zch',
      rowKeys: ['A002'],
      items: ['状态'],
      expected: '存续',
      answeredAt: null,
    });
    expect((await lastEntry('objection.raised'))?.data).toMatchObject({ objectionId: o.id, rows: 1 });
    // The check of the rows is the consumer's own read, logged as a release.
    expect((await lastEntry('data.release.start'))?.resources).toEqual([world.code]);
    // The provider's stewards are told; the row is marked for every reader, the provider too.
    const stewardNotes = (await call(world.steward, 'GET', '/api/v1/notifications')).json().items;
    expect(stewardNotes.map((n: { kind: string }) => n.kind)).toContain('objection.raised');
    expect(await disputedKeys(world.key)).toEqual(['A002']);
    expect((await pendingObjections(server.store.db)).map((p) => p.id)).toContain(o.id);
    const deadline = async () =>
      (await pendingObjectionDeadlines(server.store.db)).find((d) => d.id === o.id);
    expect(await deadline()).toMatchObject({
      step: 'objection',
      orgId: world.providerId,
      remindRole: 'data_steward',
      startedAt: new Date(o.filedAt),
      resources: [world.code],
    });

    const explained = await call(world.steward, 'POST', `${BASE}/${o.id}/explain`, {
      reply: '以登记系统为准',
    });
    expect(explained.statusCode, explained.body).toBe(200);
    expect(explained.json()).toMatchObject({ status: 'explained', answeredAt: expect.any(String) });
    expect((await lastEntry('objection.answered'))?.data).toMatchObject({ status: 'explained' });
    const consumerNotes = (await call(consumer, 'GET', '/api/v1/notifications')).json().items;
    expect(consumerNotes.map((n: { kind: string }) => n.kind)).toContain('objection.answered');
    expect((await pendingObjections(server.store.db)).map((p) => p.id)).not.toContain(o.id);

    const reopened = await call(consumer, 'POST', `${BASE}/${o.id}/reopen`, { reply: '公告已附，请再核' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'reopened', answeredAt: null });
    expect(Date.parse(reopened.json().filedAt)).toBeGreaterThan(Date.parse(o.filedAt));
    // The clock starts again from the reopening.
    expect((await deadline())?.startedAt).toEqual(new Date(reopened.json().filedAt));
    expect((await lastEntry('objection.reopened'))?.data).toMatchObject({ objectionId: o.id });

    const corrected = await call(world.steward, 'POST', `${BASE}/${o.id}/correct`, {
      reply: '已在源系统更正',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().status).toBe('corrected');
    // Still disputed until the consumer confirms.
    expect(await disputedKeys(consumer)).toEqual(['A002']);

    const confirmed = await call(consumer, 'POST', `${BASE}/${o.id}/confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', closedAt: expect.any(String) });
    expect(confirmed.json().history.map((s: { action: string }) => s.action)).toEqual([
      'raised',
      'explained',
      'reopened',
      'corrected',
      'confirmed',
    ]);
    expect((await lastEntry('objection.confirmed'))?.data).toMatchObject({ status: 'confirmed' });
    expect(await disputedKeys(consumer)).toEqual([]);
  });

  it('refuses every step from a state that does not allow it, and the wrong side', async () => {
    const o = (await raise(consumer, { rowKeys: ['A001', 'A003'] })).json();
    const step = (who: Credentials, action: string, body: unknown = { reply: '说明' }) =>
      call(who, 'POST', `${BASE}/${o.id}/${action}`, body);
    // open: the consumer can neither confirm nor reopen.
    expectRefusal(await step(consumer, 'confirm', {}), 'invalid_objection_state');
    expectRefusal(await step(consumer, 'reopen'), 'invalid_objection_state');
    // The consumer does not answer its own objection; a key never answers; the provider's analyst neither.
    expectRefusal(await step(consumer, 'correct'), 'forbidden');
    expectRefusal(await step(providerAnalyst, 'correct'), 'forbidden');
    // Another organisation does not know it exists.
    expectRefusal(await step(stranger, 'explain'), 'not_found');
    expectRefusal(await call(stranger, 'GET', `${BASE}/${o.id}`), 'not_found');
    // An empty reply is not an answer.
    expectRefusal(await step(world.steward, 'explain', { reply: ' ' }), 'invalid_request');
    expect((await step(world.steward, 'correct')).statusCode).toBe(200);
    // corrected: no second answer; the provider does not confirm for the consumer.
    const conflict = await step(world.steward, 'explain');
    expectRefusal(conflict, 'invalid_objection_state');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.details).toMatchObject({
      status: 'corrected',
      allowedFrom: ['open', 'reopened'],
    });
    expectRefusal(await step(world.steward, 'confirm', {}), 'forbidden');
    // The consumer's steward (same organisation) may close it.
    expect((await step(consumerSteward, 'confirm', {})).statusCode).toBe(200);
    // confirmed is final.
    for (const action of ['correct', 'explain', 'reopen'])
      expectRefusal(
        await step(action === 'reopen' ? consumer : world.steward, action),
        'invalid_objection_state',
      );
    expectRefusal(await step(consumer, 'confirm', {}), 'invalid_objection_state');
    expectRefusal(
      await call(consumer, 'POST', `${BASE}/00000000-0000-4000-8000-000000000000/confirm`, {}),
      'not_found',
    );
  });

  it('refuses rows that do not exist, columns and items not read, and its own resource; nothing is kept', async () => {
    const before = (await call(consumer, 'GET', `${BASE}?role=raised&limit=200`)).json().items.length;
    const missing = await raise(consumer, { rowKeys: ['A001', 'Z999'] });
    expectRefusal(missing, 'rows_not_found');
    expect(missing.json().error.details).toEqual({ keys: ['Z999'] });
    expectRefusal(await raise(consumer, { keyColumn: 'nope' }), 'unknown_field');
    expectRefusal(await raise(consumer, { items: ['不存在的项'] }), 'unknown_field');
    expectRefusal(await raise(consumer, { rowKeys: [] }), 'invalid_request');
    expectRefusal(await raise(consumer, { resourceCode: 'NO-SUCH' }), 'not_found');
    expectRefusal(await raise(world.steward), 'objection_own_resource');
    expect((await call(consumer, 'GET', `${BASE}?role=raised&limit=200`)).json().items).toHaveLength(before);
  });

  it('lists by side, resource and state, and counts per resource for the provider', async () => {
    const o = (await raise(world.key, { rowKeys: ['A003'] })).json();
    expect(o.raisedBy).toMatch(/^application:/);
    const ids = async (who: Credentials, query: string) =>
      (await call(who, 'GET', `${BASE}?${query}`)).json().items.map((i: { id: string }) => i.id);
    expect(await ids(consumer, 'role=raised')).toContain(o.id);
    expect(await ids(consumer, 'role=against')).not.toContain(o.id);
    expect(await ids(world.steward, 'role=against&status=open')).toContain(o.id);
    expect(await ids(world.steward, `resource=${world.code}&status=confirmed`)).not.toContain(o.id);
    expect(await ids(stranger, '')).toEqual([]);
    expectRefusal(await call(consumer, 'GET', `${BASE}?status=closed`), 'invalid_request');

    const stats = await call(world.steward, 'GET', `${BASE}/stats?resource=${world.code}`);
    expect(stats.statusCode, stats.body).toBe(200);
    expect(stats.json()).toMatchObject({
      resource: { code: world.code },
      total: 3,
      byStatus: { open: 1, confirmed: 2, corrected: 0, explained: 0, reopened: 0 },
      pending: 1,
      disputedRows: 1,
      reopenings: 1,
      averageAnswerHours: expect.any(Number),
    });
    // The consumer does not read the provider's figures (another organisation's: hidden).
    expectRefusal(await call(consumer, 'GET', `${BASE}/stats?resource=${world.code}`), 'not_found');
    expectRefusal(await call(providerAnalyst, 'GET', `${BASE}/stats?resource=${world.code}`), 'forbidden');
  });

  it('is swept like every step: the stewards reminded before the due day, the administrator told once overdue', async () => {
    const admin = await loginAs(
      server.app,
      (await buildUser(server.store.db, { orgId: world.providerId, roles: ['org_admin'] })).username,
      TEST_PASSWORD,
    );
    const o = (await raise(consumer, { rowKeys: ['A001'] })).json();
    // Filed at 10:00 on the eve of 国庆 2025: 5 working days are 9, 10, the 调休 Saturday 11, 13, 14 Oct.
    await sql`update objections set filed_at = ${new Date('2025-09-30T02:00:00Z')} where id = ${o.id}`.execute(
      server.store.db,
    );
    const notes = async (who: Credentials) =>
      (
        (await call(who, 'GET', '/api/v1/notifications?limit=200')).json().items as {
          kind: string;
          title: string;
        }[]
      )
        .filter((n) => n.kind.startsWith('deadline.'))
        .map((n) => `${n.kind} ${n.title}`);
    const early = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-10T04:00:00Z'));
    expect(early.reminded).not.toContain(o.id);
    const reminding = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-13T04:00:00Z'));
    expect(reminding.reminded).toContain(o.id);
    expect(await notes(world.steward)).toContain(`deadline.reminded 异议即将到期：${o.resource.name}`);
    const escalating = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-15T04:00:00Z'));
    expect(escalating.escalated).toContain(o.id);
    expect(await notes(admin)).toContain(`deadline.escalated 异议已超期：${o.resource.name}`);
    expect((await lastEntry('deadline.escalated'))?.data).toMatchObject({
      step: 'objection',
      subjectId: o.id,
    });
    // Once each: a later sweep sends nothing more for it.
    const again = await sweepDeadlines(server.store.db, server.audit, new Date('2025-10-16T04:00:00Z'));
    expect([...again.reminded, ...again.escalated]).not.toContain(o.id);
  });
});
