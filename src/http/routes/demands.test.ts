import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildResource,
  buildSharedResource,
  buildSharingOrgs,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';
import { closePublishedDemands, type DemandView } from '../../governance/index.js';

const BASE = '/api/v1/governance/demands';

// The demand list (需求清单, docs/governance.md): every workflow and state transition, the
// refusals (bad input, wrong people, wrong states, answers pointing at the wrong resources),
// and the closing of a demand once the new entry that answers it is published.
describeEachStore('demand list routes', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  const as: Record<string, Credentials> = {};

  beforeAll(async () => {
    server = await openTestServer(kind);
    world = await buildSharingOrgs(server.store.db);
    for (const side of ['provider', 'consumer', 'other'] as const)
      for (const [role, user] of Object.entries(world[side].users))
        as[`${side}.${role}`] = await loginAs(server.app, user.username, TEST_PASSWORD);
    as.admin = await loginAs(server.app, world.platformAdmin.username, TEST_PASSWORD);
    as.auditor = await loginAs(server.app, world.auditor.username, TEST_PASSWORD);
    as.key = bearer(world.key.key);
  });
  afterAll(() => server.close());

  const call = (who: string, method: string, url: string, payload?: unknown) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: as[who]?.headers ?? {},
      payload: payload as object,
    });
  const entries = async (type: string) => {
    const found: { data: Record<string, unknown>; resources?: string[] }[] = [];
    for await (const entry of server.audit.streamEntries({ type })) found.push(entry as never);
    return found;
  };
  const notifications = async (who: string) =>
    (await call(who, 'GET', '/api/v1/notifications?limit=200')).json().items as {
      kind: string;
      title: string;
      body: string;
    }[];
  const count = async () =>
    Number(
      (
        await server.store.db
          .selectFrom('demands')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const body = (overrides: Record<string, unknown> = {}) => ({
    title: `低保对象名单-${randomUUID().slice(0, 6)}`,
    description: '需要全省最低生活保障对象名单，用于医疗救助资格核对',
    purpose: '医疗救助对象资格核对',
    legalBasis: '《社会救助暂行办法》第二十八条',
    items: [{ name: '姓名' }, { name: '身份证号', description: '18 位' }],
    ...overrides,
  });
  const post = async (overrides: Record<string, unknown> = {}) => {
    const response = await call('consumer.analyst', 'POST', BASE, body(overrides));
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as DemandView;
  };
  const act = async (who: string, id: string, verb: string, payload?: unknown, status = 200) => {
    const response = await call(who, 'POST', `${BASE}/${id}/${verb}`, payload);
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as DemandView;
  };
  const assigned = async () => {
    const d = await post();
    return act('admin', d.id, 'assign', { orgId: world.provider.org.id });
  };

  describe('posting', () => {
    it('posts a demand that waits for the platform, names the suggested department, logs and tells the platform', async () => {
      const d = await post({ suggestedOrgId: world.provider.org.id });
      expect(d).toMatchObject({
        status: 'submitted',
        requester: { id: world.consumer.org.id, name: world.consumer.org.name },
        suggestedOrganization: { id: world.provider.org.id },
        assignedOrganization: null,
        answer: null,
        items: [
          { name: '姓名', description: '' },
          { name: '身份证号', description: '18 位' },
        ],
      });
      expect(d.history.map((e) => e.kind)).toEqual(['created']);
      expect((await entries('demand.created')).some((e) => e.data.demandId === d.id)).toBe(true);
      expect(
        (await notifications('admin')).some(
          (n) => n.kind === 'demand.submitted' && n.title.includes(d.title),
        ),
      ).toBe(true);
    });

    it('refuses empty and oversized fields, no items, an unknown department — and stores nothing', async () => {
      const before = await count();
      for (const bad of [
        { title: '' },
        { title: '   ' },
        { title: 'x'.repeat(201) },
        { description: 'x'.repeat(4001) },
        { purpose: '' },
        { legalBasis: '' },
        { items: [] },
        { items: [{ name: '' }] },
        { items: Array.from({ length: 101 }, (_, i) => ({ name: `项${i}` })) },
        { suggestedOrgId: 'not-a-uuid' },
        { status: 'closed' },
      ])
        expectRefusal(await call('consumer.analyst', 'POST', BASE, body(bad)), 'invalid_request');
      expectRefusal(
        await call('consumer.analyst', 'POST', BASE, body({ suggestedOrgId: randomUUID() })),
        'unknown_organization',
      );
      expect(await count()).toBe(before);
    });

    it('is for people of an organisation: not anonymous callers, keys or the auditor', async () => {
      expectRefusal(await call('nobody', 'POST', BASE, body()), 'unauthenticated');
      expectRefusal(await call('key', 'POST', BASE, body()), 'forbidden');
      expectRefusal(await call('auditor', 'POST', BASE, body()), 'forbidden');
      expect((await call('provider.data_steward', 'POST', BASE, body())).statusCode).toBe(201);
    });
  });

  describe('the list', () => {
    it('is searchable by words and filtered by status and organisations, for anyone signed in', async () => {
      const tag = randomUUID().slice(0, 8);
      const a = await post({ title: `不动产登记信息 ${tag}` });
      const b = await post({ description: `需要企业社保缴纳明细 ${tag}` });
      await act('admin', b.id, 'assign', { orgId: world.other.org.id });
      const ids = async (who: string, query: string) => {
        const response = await call(who, 'GET', `${BASE}?limit=200&${query}`);
        expect(response.statusCode, response.body).toBe(200);
        return (response.json().items as DemandView[]).map((d) => d.id);
      };
      expect(await ids('other.analyst', `q=${tag}`)).toEqual([b.id, a.id]);
      expect(await ids('auditor', `q=${encodeURIComponent(`不动产 ${tag}`)}`)).toEqual([a.id]);
      expect(await ids('key', `q=${tag}&status=assigned`)).toEqual([b.id]);
      expect(await ids('provider.analyst', `q=${tag}&assignedOrgId=${world.other.org.id}`)).toEqual([b.id]);
      expect(await ids('admin', `q=${tag}&requesterOrgId=${world.provider.org.id}`)).toEqual([]);
      expect(await ids('admin', `q=${tag}&requesterOrgId=${world.consumer.org.id}`)).toHaveLength(2);
      expect(await ids('admin', `q=${encodeURIComponent('%')}${tag}`)).toEqual([]);
      const page = await call('admin', 'GET', `${BASE}?q=${tag}&limit=1`);
      expect(page.json().items).toHaveLength(1);
      const next = await call('admin', 'GET', `${BASE}?q=${tag}&limit=1&cursor=${page.json().nextCursor}`);
      expect(next.json().items.map((d: DemandView) => d.id)).toEqual([a.id]);
      expectRefusal(await call('nobody', 'GET', BASE), 'unauthenticated');
      expectRefusal(await call('admin', 'GET', `${BASE}?status=done`), 'invalid_request');
      expectRefusal(await call('admin', 'GET', `${BASE}?q=${'x'.repeat(201)}`), 'invalid_request');
      expectRefusal(await call('admin', 'GET', `${BASE}?cursor=bogus`), 'invalid_cursor');
    });

    it('shows one demand with its history; an unknown one is a 404', async () => {
      const d = await post();
      const shown = await call('other.analyst', 'GET', `${BASE}/${d.id}`);
      expect(shown.json()).toMatchObject({ id: d.id, history: [{ kind: 'created' }] });
      expectRefusal(await call('admin', 'GET', `${BASE}/${randomUUID()}`), 'not_found');
      expectRefusal(await call('admin', 'GET', `${BASE}/nope`), 'invalid_request');
    });
  });

  describe('assigning and declining', () => {
    it('lets the platform administrator assign, and tells the department and the requester', async () => {
      const d = await post();
      for (const who of ['consumer.org_admin', 'provider.data_steward', 'auditor', 'key'])
        expectRefusal(
          await call(who, 'POST', `${BASE}/${d.id}/assign`, { orgId: world.provider.org.id }),
          'forbidden',
        );
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${d.id}/assign`, { orgId: randomUUID() }),
        'unknown_organization',
      );
      expectRefusal(await call('admin', 'POST', `${BASE}/${d.id}/assign`, {}), 'invalid_request');
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${randomUUID()}/assign`, { orgId: world.provider.org.id }),
        'not_found',
      );
      const a = await act('admin', d.id, 'assign', { orgId: world.provider.org.id, note: '请民政厅答复' });
      expect(a).toMatchObject({ status: 'assigned', assignedOrganization: { id: world.provider.org.id } });
      expect(a.assignedAt).not.toBeNull();
      expect(a.history.at(-1)).toMatchObject({
        kind: 'assigned',
        organization: { id: world.provider.org.id },
        text: '请民政厅答复',
      });
      expect(
        (await notifications('provider.data_steward')).some(
          (n) => n.kind === 'demand.assigned' && n.title.includes(d.title),
        ),
      ).toBe(true);
      expect((await notifications('provider.org_admin')).some((n) => n.kind === 'demand.assigned')).toBe(
        true,
      );
      expect(
        (await notifications('consumer.analyst')).some(
          (n) => n.kind === 'demand.assigned' && n.title.includes(d.title),
        ),
      ).toBe(true);
      expect((await entries('demand.assigned')).some((e) => e.data.demandId === d.id)).toBe(true);
      // Already assigned: a second assignment is a state conflict, not a silent move.
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${d.id}/assign`, { orgId: world.other.org.id }),
        'demand_state_conflict',
      );
    });

    it('lets the assigned department decline as not theirs: back to the platform, which reassigns', async () => {
      const a = await assigned();
      expectRefusal(
        await call('other.data_steward', 'POST', `${BASE}/${a.id}/decline`, { reason: '不是我们' }),
        'forbidden',
      );
      expectRefusal(
        await call('provider.analyst', 'POST', `${BASE}/${a.id}/decline`, { reason: '不是我们' }),
        'forbidden',
      );
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${a.id}/decline`, { reason: '不是我们' }),
        'forbidden',
      );
      for (const bad of [{}, { reason: '' }, { reason: ' ' }, { reason: 'x'.repeat(2001) }])
        expectRefusal(
          await call('provider.data_steward', 'POST', `${BASE}/${a.id}/decline`, bad),
          'invalid_request',
        );
      const declined = await act('provider.data_steward', a.id, 'decline', {
        reason: '该数据由省医保局掌握',
      });
      expect(declined).toMatchObject({
        status: 'returned',
        assignedOrganization: null,
        assignedAt: null,
        answer: null,
      });
      expect(declined.history.at(-1)).toMatchObject({
        kind: 'declined',
        organization: { id: world.provider.org.id },
        text: '该数据由省医保局掌握',
      });
      expect(
        (await notifications('admin')).some(
          (n) => n.kind === 'demand.declined' && n.body === '该数据由省医保局掌握',
        ),
      ).toBe(true);
      expect((await entries('demand.declined')).some((e) => e.data.demandId === a.id)).toBe(true);
      // Declined: it is no longer theirs to answer or decline.
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${a.id}/decline`, { reason: '再次' }),
        'forbidden',
      );
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${a.id}/answer`, {
          kind: 'refusal',
          reason: '无',
        }),
        'forbidden',
      );
      const again = await act('admin', a.id, 'assign', { orgId: world.other.org.id });
      expect(again).toMatchObject({ status: 'assigned', assignedOrganization: { id: world.other.org.id } });
      expect(again.history.map((e) => e.kind)).toEqual(['created', 'assigned', 'declined', 'assigned']);
    });

    it('refuses to decline a demand that is not assigned', async () => {
      const d = await post();
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${d.id}/decline`, { reason: '无' }),
        'forbidden',
      );
      const a = await assigned();
      await act('provider.data_steward', a.id, 'answer', { kind: 'refusal', reason: '涉及国家秘密' });
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${a.id}/decline`, { reason: '无' }),
        'demand_state_conflict',
      );
    });
  });

  describe('answering', () => {
    it('closes a demand answered with an existing published resource, and tells the requester', async () => {
      const a = await assigned();
      const shared = await buildSharedResource(server.store.db, world.other.org.id, {
        sharingType: 'conditional',
      });
      const answered = await act('provider.data_steward', a.id, 'answer', {
        kind: 'existing_resource',
        resourceCode: shared.code,
        note: '请向省人社厅申请',
      });
      expect(answered).toMatchObject({
        status: 'closed',
        answer: {
          kind: 'existing_resource',
          resource: { code: shared.code, name: shared.name },
          text: '请向省人社厅申请',
        },
      });
      expect(answered.closedAt).not.toBeNull();
      expect(answered.answeredAt).toBe(answered.closedAt);
      expect(answered.history.map((e) => e.kind)).toEqual(['created', 'assigned', 'answered', 'closed']);
      const logged = (await entries('demand.answered')).find((e) => e.data.demandId === a.id);
      expect(logged).toMatchObject({
        data: { kind: 'existing_resource', status: 'closed', resourceCode: shared.code },
        resources: [shared.code],
      });
      expect(
        (await notifications('consumer.analyst')).some(
          (n) => n.kind === 'demand.answered' && n.body.includes(shared.code),
        ),
      ).toBe(true);
      // Closed: no further answer, decline or withdrawal.
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${a.id}/answer`, {
          kind: 'refusal',
          reason: '无',
        }),
        'demand_state_conflict',
      );
      expectRefusal(
        await call('consumer.analyst', 'POST', `${BASE}/${a.id}/withdraw`),
        'demand_state_conflict',
      );
    });

    it('refuses answers pointing at resources that do not exist, are not published, or the requester could never see', async () => {
      const a = await assigned();
      const draft = await buildResource(server.store.db, world.provider.org.id);
      const othersDraft = await buildResource(server.store.db, world.other.org.id);
      const retired = await buildSharedResource(server.store.db, world.provider.org.id);
      await call('provider.data_steward', 'POST', `/api/v1/resources/${retired.code}/retire`);
      const secret = await buildSharedResource(server.store.db, world.provider.org.id, {
        sharingType: 'not_shared',
      });
      const othersPublished = await buildSharedResource(server.store.db, world.other.org.id);
      const answer = (payload: object) =>
        call('provider.data_steward', 'POST', `${BASE}/${a.id}/answer`, payload);
      expectRefusal(
        await answer({ kind: 'existing_resource', resourceCode: 'NO-SUCH-CODE' }),
        'resource_not_found',
      );
      expectRefusal(
        await answer({ kind: 'existing_resource', resourceCode: othersDraft.code }),
        'resource_not_found',
      );
      expectRefusal(
        await answer({ kind: 'new_entry', resourceCode: othersDraft.code }),
        'resource_not_found',
      );
      expectRefusal(await answer({ kind: 'existing_resource', resourceCode: draft.code }), 'not_published');
      expectRefusal(
        await answer({ kind: 'existing_resource', resourceCode: retired.code }),
        'resource_retired',
      );
      expectRefusal(await answer({ kind: 'new_entry', resourceCode: retired.code }), 'resource_retired');
      expectRefusal(
        await answer({ kind: 'existing_resource', resourceCode: secret.code }),
        'resource_not_shareable',
      );
      expectRefusal(await answer({ kind: 'new_entry', resourceCode: othersPublished.code }), 'entry_not_own');
      for (const bad of [
        {},
        { kind: 'maybe' },
        { kind: 'existing_resource' },
        { kind: 'existing_resource', resourceCode: '' },
        { kind: 'new_entry', resourceCode: draft.code, note: 'x'.repeat(2001) },
        { kind: 'refusal' },
        { kind: 'refusal', reason: '' },
        { kind: 'refusal', reason: 'x'.repeat(2001) },
        { kind: 'refusal', reason: '无', resourceCode: draft.code },
      ])
        expectRefusal(await answer(bad), 'invalid_request');
      // Nothing moved: still assigned, no answer, history unchanged.
      const still = (await call('admin', 'GET', `${BASE}/${a.id}`)).json() as DemandView;
      expect(still).toMatchObject({ status: 'assigned', answer: null, answeredAt: null });
      expect(still.history.map((e) => e.kind)).toEqual(['created', 'assigned']);
    });

    it('lets only the assigned department answer', async () => {
      const a = await assigned();
      const refusal = { kind: 'refusal', reason: '无' };
      for (const who of [
        'other.data_steward',
        'provider.analyst',
        'provider.security_officer',
        'consumer.analyst',
        'admin',
        'key',
      ])
        expectRefusal(await call(who, 'POST', `${BASE}/${a.id}/answer`, refusal), 'forbidden');
      expectRefusal(await call('nobody', 'POST', `${BASE}/${a.id}/answer`, refusal), 'unauthenticated');
      const d = await post();
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${d.id}/answer`, refusal),
        'forbidden',
      );
    });

    it('keeps a demand answered with a new entry awaiting publication, and closes it when the entry is published', async () => {
      const a = await assigned();
      const entry = await buildResource(server.store.db, world.provider.org.id, {
        name: '最低生活保障对象名单',
      });
      const answered = await act('provider.org_admin', a.id, 'answer', {
        kind: 'new_entry',
        resourceCode: entry.code,
      });
      expect(answered).toMatchObject({
        status: 'awaiting_publication',
        closedAt: null,
        answer: { kind: 'new_entry', resource: { code: entry.code, status: 'draft' } },
      });
      expect(
        (await call('admin', 'GET', `${BASE}?status=awaiting_publication&limit=200`))
          .json()
          .items.map((d: DemandView) => d.id),
      ).toContain(a.id);
      // Still a draft: reading changes nothing.
      expect((await call('consumer.analyst', 'GET', `${BASE}/${a.id}`)).json().status).toBe(
        'awaiting_publication',
      );
      const published = await call(
        'provider.data_steward',
        'POST',
        `/api/v1/resources/${entry.code}/publish`,
      );
      expect(published.statusCode, published.body).toBe(200);
      const closed = (await call('consumer.analyst', 'GET', `${BASE}/${a.id}`)).json() as DemandView;
      expect(closed).toMatchObject({
        status: 'closed',
        answer: { resource: { code: entry.code, status: 'published' } },
      });
      const publishedAt = await server.store.db
        .selectFrom('resources')
        .select('published_at')
        .where('code', '=', entry.code)
        .executeTakeFirstOrThrow();
      expect(closed.closedAt).toBe(publishedAt.published_at!.toISOString());
      expect(closed.history.map((e) => e.kind)).toEqual(['created', 'assigned', 'answered', 'closed']);
      expect(closed.history.at(-1)?.actor).toBe('system');
      expect((await entries('demand.closed')).filter((e) => e.data.demandId === a.id)).toHaveLength(1);
      expect(
        (await notifications('consumer.analyst')).some(
          (n) => n.kind === 'demand.closed' && n.title.includes(a.title),
        ),
      ).toBe(true);
      // Read again: closed once, logged once.
      await call('admin', 'GET', BASE);
      expect((await entries('demand.closed')).filter((e) => e.data.demandId === a.id)).toHaveLength(1);
    });

    it('closes through the sweep too, even when the draft changed its code before publication', async () => {
      const a = await assigned();
      const entry = await buildResource(server.store.db, world.provider.org.id);
      await act('provider.data_steward', a.id, 'answer', { kind: 'new_entry', resourceCode: entry.code });
      const patched = await call('provider.data_steward', 'PATCH', `/api/v1/resources/${entry.code}`, {
        classificationCode: '101002',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const code = patched.json().code as string;
      await call('provider.data_steward', 'POST', `/api/v1/resources/${code}/publish`);
      const [first, second] = await Promise.all([
        closePublishedDemands(server.store.db, server.audit),
        closePublishedDemands(server.store.db, server.audit),
      ]);
      expect([...first, ...second]).toEqual([a.id]);
      const shown = (await call('admin', 'GET', `${BASE}/${a.id}`)).json() as DemandView;
      expect(shown).toMatchObject({ status: 'closed', answer: { resource: { code } } });
    });

    it('closes at once when the department names an entry of its own already published', async () => {
      const a = await assigned();
      const entry = await buildSharedResource(server.store.db, world.provider.org.id);
      const answered = await act('provider.data_steward', a.id, 'answer', {
        kind: 'new_entry',
        resourceCode: entry.code,
      });
      expect(answered.status).toBe('closed');
    });

    it('records a reasoned refusal (不予提供) and tells the requester', async () => {
      const a = await assigned();
      const refused = await act('provider.data_steward', a.id, 'answer', {
        kind: 'refusal',
        reason: '涉及个人隐私，依据《个人信息保护法》第十三条不予提供',
      });
      expect(refused).toMatchObject({
        status: 'refused',
        answer: {
          kind: 'refusal',
          resource: null,
          text: '涉及个人隐私，依据《个人信息保护法》第十三条不予提供',
        },
      });
      expect(refused.history.at(-1)).toMatchObject({ kind: 'refused' });
      expect((await entries('demand.refused')).some((e) => e.data.demandId === a.id)).toBe(true);
      expect(
        (await notifications('consumer.analyst')).some(
          (n) => n.kind === 'demand.refused' && n.title.includes(a.title),
        ),
      ).toBe(true);
      expectRefusal(
        await call('consumer.analyst', 'POST', `${BASE}/${a.id}/withdraw`),
        'demand_state_conflict',
      );
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${a.id}/assign`, { orgId: world.other.org.id }),
        'demand_state_conflict',
      );
    });
  });

  describe('withdrawing', () => {
    it('lets the requesting organisation withdraw an open demand, and no one act on it after', async () => {
      const a = await assigned();
      for (const who of ['other.analyst', 'provider.data_steward', 'admin', 'key'])
        expectRefusal(await call(who, 'POST', `${BASE}/${a.id}/withdraw`), 'forbidden');
      const withdrawn = await act('consumer.org_admin', a.id, 'withdraw');
      expect(withdrawn).toMatchObject({ status: 'withdrawn' });
      expect(withdrawn.closedAt).not.toBeNull();
      expect((await entries('demand.withdrawn')).some((e) => e.data.demandId === a.id)).toBe(true);
      expect(
        (await notifications('provider.data_steward')).some(
          (n) => n.kind === 'demand.withdrawn' && n.title.includes(a.title),
        ),
      ).toBe(true);
      expectRefusal(
        await call('consumer.analyst', 'POST', `${BASE}/${a.id}/withdraw`),
        'demand_state_conflict',
      );
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${a.id}/answer`, {
          kind: 'refusal',
          reason: '无',
        }),
        'demand_state_conflict',
      );
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${a.id}/assign`, { orgId: world.other.org.id }),
        'demand_state_conflict',
      );
    });

    it('withdraws a demand waiting for assignment or returned; nobody answers or declines one not assigned', async () => {
      const waiting = await post();
      for (const verb of ['answer', 'decline'])
        expectRefusal(
          await call('provider.data_steward', 'POST', `${BASE}/${waiting.id}/${verb}`, {
            ...(verb === 'answer' ? { kind: 'refusal' } : {}),
            reason: '无',
          }),
          'forbidden',
        );
      expect(await act('consumer.analyst', waiting.id, 'withdraw')).toMatchObject({ status: 'withdrawn' });
      const returned = await assigned();
      await act('provider.data_steward', returned.id, 'decline', { reason: '不属本单位' });
      expectRefusal(
        await call('provider.data_steward', 'POST', `${BASE}/${returned.id}/answer`, {
          kind: 'refusal',
          reason: '无',
        }),
        'forbidden',
      );
      expect(await act('consumer.analyst', returned.id, 'withdraw')).toMatchObject({ status: 'withdrawn' });
      expectRefusal(
        await call('admin', 'POST', `${BASE}/${returned.id}/assign`, { orgId: world.provider.org.id }),
        'demand_state_conflict',
      );
    });

    it('withdraws a demand awaiting publication, which then stays withdrawn when the entry is published', async () => {
      const a = await assigned();
      const entry = await buildResource(server.store.db, world.provider.org.id);
      await act('provider.data_steward', a.id, 'answer', { kind: 'new_entry', resourceCode: entry.code });
      await act('consumer.analyst', a.id, 'withdraw');
      await call('provider.data_steward', 'POST', `/api/v1/resources/${entry.code}/publish`);
      expect((await call('admin', 'GET', `${BASE}/${a.id}`)).json().status).toBe('withdrawn');
    });
  });
});
