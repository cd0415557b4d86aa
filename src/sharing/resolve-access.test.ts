import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  PERSON_ITEMS,
  stewardOf,
} from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { ResourceView } from '../catalog/index.js';
import type { AppError } from '../errors/index.js';
import { type Actor, ANONYMOUS } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { insertGrant } from './grants.js';
import { resolveAccess } from './resolve-access.js';

const IP = '10.1.2.3';

/** Expects a promise to be refused with an HTTP status and code. */
async function refused(promise: Promise<unknown>, status: number, code: string) {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as AppError | null;
  expect(error, `expected ${status} ${code}`).not.toBeNull();
  expect([error!.status, error!.code]).toEqual([status, code]);
}

describeEachStore('resolveAccess', (kind) => {
  let store: Store;
  let providerId: string;
  let consumerId: string;
  let analyst: Actor;
  let app: Actor;
  let appId: string;
  beforeAll(async () => {
    store = await openTestStore(kind);
    providerId = (await buildOrganization(store.db)).id;
    consumerId = (await buildOrganization(store.db)).id;
    const key = await buildApiKey(store.db, consumerId);
    appId = key.application.id;
    app = {
      kind: 'application',
      applicationId: appId,
      keyId: key.apiKey.id,
      orgId: consumerId,
      roles: ['analyst'],
    };
    analyst = {
      kind: 'user',
      userId: crypto.randomUUID(),
      orgId: consumerId,
      username: 'a',
      roles: ['analyst'],
    };
  });
  afterAll(() => store.close());

  const resource = (overrides: Parameters<typeof buildSharedResource>[2] = {}) =>
    buildSharedResource(store.db, providerId, overrides);

  const grant = (r: ResourceView, overrides: Partial<Parameters<typeof insertGrant>[1]> = {}) =>
    insertGrant(store.db, {
      request_id: null,
      origin: 'request',
      auto_key: null,
      application_id: appId,
      consumer_org_id: consumerId,
      resource_id: r.id,
      resource_code: r.code,
      provider_id: providerId,
      items: JSON.stringify([{ name: '区划', mask: { kind: 'none' } }]),
      row_filter: JSON.stringify([{ item: '区划', op: 'eq', value: '350100' }]),
      purpose: '测试',
      use: 'detail',
      valid_from: new Date(Date.now() - 1000),
      valid_until: new Date(Date.now() + 86_400_000),
      calls_per_day: 10,
      rows_per_day: 100,
      allowed_ips: [],
      may_export: false,
      status: 'active',
      status_reason: '',
      created_by: null,
      ...overrides,
    });

  describe('the provider', () => {
    it('reads everything unmasked, whatever the sharing type', async () => {
      const r = await resource({ sharingType: 'not_shared' });
      const access = await resolveAccess(store.db, stewardOf(providerId), r, { ip: IP });
      expect(access).toMatchObject({
        mode: 'provider',
        resourceCode: r.code,
        grantId: null,
        purpose: '本单位使用',
        use: 'detail',
        rowFilter: [],
        quota: null,
        mayExport: true,
      });
      expect(access.items.every((i) => i.mask.kind === 'none')).toBe(true);
      expect(access.items).toHaveLength(PERSON_ITEMS.length);
    });
  });

  describe('不予共享', () => {
    it('is a 404 to everyone else, as if absent', async () => {
      const r = await resource({ sharingType: 'not_shared' });
      await refused(resolveAccess(store.db, analyst, r, { ip: IP }), 404, 'not_found');
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 404, 'not_found');
      await refused(resolveAccess(store.db, ANONYMOUS, r, { ip: IP }), 404, 'not_found');
    });
  });

  describe('无条件共享', () => {
    it('creates one automatic grant on first use, masking personal items by convention', async () => {
      const r = await resource({ sharingType: 'unconditional' });
      const created: string[] = [];
      const options = { ip: IP, onAutoGrant: async (g: { id: string }) => void created.push(g.id) };
      const first = await resolveAccess(store.db, app, r, options);
      const second = await resolveAccess(store.db, app, r, options);
      expect(first.mode).toBe('grant');
      expect(second.grantId).toBe(first.grantId);
      expect(created).toEqual([first.grantId]);
      expect(Object.fromEntries(first.items.map((i) => [i.name, i.mask.kind]))).toEqual({
        姓名: 'name',
        身份证号: 'id-number',
        手机号码: 'mobile',
        银行卡号: 'bank-card',
        健康状况: 'suppress',
        区划: 'none',
      });
      // A person holds the organisation's grant, not the application's.
      const person = await resolveAccess(store.db, analyst, r, options);
      expect(person.grantId).not.toBe(first.grantId);
    });

    it('on a read-only request decides on the terms in memory and stores nothing, until a write does', async () => {
      const r = await resource({ sharingType: 'unconditional' });
      const created: string[] = [];
      const options = {
        ip: IP,
        readOnly: true,
        onAutoGrant: async (g: { id: string }) => void created.push(g.id),
      };
      const unstored = await resolveAccess(store.db, app, r, options);
      expect(unstored).toMatchObject({ mode: 'grant', grantId: null, use: 'detail', purpose: '无条件共享' });
      expect(unstored.items).toHaveLength(PERSON_ITEMS.length);
      const held = () => store.db.selectFrom('grants').select('id').where('resource_id', '=', r.id).execute();
      expect(await held()).toEqual([]);
      const stored = await resolveAccess(store.db, app, r, { ...options, readOnly: false });
      expect(stored.grantId).not.toBeNull();
      expect(created).toEqual([stored.grantId]);
      // Once stored, a read-only request uses it (its id counts usage) and creates nothing more.
      expect((await resolveAccess(store.db, app, r, options)).grantId).toBe(stored.grantId);
      expect(await held()).toHaveLength(1);
      // And a revoked automatic grant stays revoked on either kind of request.
      await store.db
        .updateTable('grants')
        .set({ status: 'revoked' })
        .where('id', '=', stored.grantId!)
        .execute();
      await refused(resolveAccess(store.db, app, r, options), 403, 'grant_revoked');
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'grant_revoked');
    });

    it('gives only the uses the resource offers now: checks for verification only, files where offered', async () => {
      const checks = await resource({ sharingType: 'unconditional', sharingMethods: ['verification'] });
      expect(await resolveAccess(store.db, app, checks, { ip: IP })).toMatchObject({
        use: 'verification',
        mayExport: false,
      });
      const api = await resource({ sharingType: 'unconditional', sharingMethods: ['api'] });
      expect(await resolveAccess(store.db, app, api, { ip: IP })).toMatchObject({
        use: 'detail',
        mayExport: false,
      });
      const files = await resource({ sharingType: 'unconditional', sharingMethods: ['api', 'file'] });
      const stored = await resolveAccess(store.db, app, files, { ip: IP });
      expect(stored).toMatchObject({ use: 'detail', mayExport: true });
      // A grant stored while files were offered loses them, and records, when the methods narrow.
      const narrowed = { ...files, sharingMethods: ['verification'] } as typeof files;
      expect(await resolveAccess(store.db, app, narrowed, { ip: IP })).toMatchObject({
        grantId: stored.grantId,
        use: 'verification',
        mayExport: false,
      });
      // And widening the methods does not widen a grant the provider narrowed.
      await store.db
        .updateTable('grants')
        .set({ may_export: false, use: 'statistics' })
        .where('id', '=', stored.grantId!)
        .execute();
      expect(await resolveAccess(store.db, app, files, { ip: IP })).toMatchObject({
        use: 'statistics',
        mayExport: false,
      });
    });

    it('refuses core data in clear', async () => {
      const r = await resource({ sharingType: 'unconditional', grade: 'core' });
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'core_data_not_releasable');
    });

    it('refuses actors without data.read', async () => {
      const r = await resource({ sharingType: 'unconditional' });
      const admin: Actor = { ...(analyst as Extract<Actor, { kind: 'user' }>), roles: ['org_admin'] };
      await refused(resolveAccess(store.db, admin, r, { ip: IP }), 403, 'forbidden');
    });
  });

  describe('有条件共享', () => {
    it('needs a grant', async () => {
      const r = await resource({ sharingType: 'conditional' });
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'no_grant');
      await refused(resolveAccess(store.db, ANONYMOUS, r, { ip: IP }), 404, 'not_found');
      await expect(resolveAccess(store.db, app, r, { ip: IP })).rejects.toThrow(
        'No grant covers this resource',
      );
      await expect(resolveAccess(store.db, ANONYMOUS, r, { ip: IP })).rejects.toThrow('Resource not found');
    });

    it('gives the grant’s items, masks, row filter and quota, to its application and its organisation’s analysts', async () => {
      const r = await resource({ sharingType: 'conditional' });
      const g = await grant(r);
      for (const actor of [app, analyst]) {
        const access = await resolveAccess(store.db, actor, r, { ip: IP });
        expect(access).toMatchObject({
          mode: 'grant',
          grantId: g.id,
          items: [{ name: '区划', mask: { kind: 'none' } }],
          rowFilter: [{ item: '区划', op: 'eq', value: '350100' }],
          quota: { callsPerDay: 10, rowsPerDay: 100 },
          mayExport: false,
        });
      }
      const otherApp = await buildApiKey(store.db, consumerId);
      const other: Actor = {
        ...(app as Extract<Actor, { kind: 'application' }>),
        applicationId: otherApp.application.id,
      };
      await refused(resolveAccess(store.db, other, r, { ip: IP }), 403, 'no_grant');
    });

    it('stops a revoked or suspended grant on the very next call', async () => {
      const r = await resource({ sharingType: 'conditional' });
      const g = await grant(r);
      await resolveAccess(store.db, app, r, { ip: IP });
      for (const status of ['suspended', 'revoked']) {
        await store.db.updateTable('grants').set({ status }).where('id', '=', g.id).execute();
        await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'grant_revoked');
      }
    });

    it('honours the period', async () => {
      const r = await resource({ sharingType: 'conditional' });
      await grant(r, { valid_until: new Date(Date.now() + 60_000) });
      await resolveAccess(store.db, app, r, { ip: IP });
      const later = new Date(Date.now() + 120_000);
      await refused(resolveAccess(store.db, app, r, { ip: IP, now: later }), 403, 'grant_expired');
      const r2 = await resource({ sharingType: 'conditional' });
      await grant(r2, { valid_from: new Date(Date.now() + 60_000) });
      await refused(resolveAccess(store.db, app, r2, { ip: IP }), 403, 'grant_not_yet_valid');
    });

    it('honours the address list, IPv4 and IPv6', async () => {
      const r = await resource({ sharingType: 'conditional' });
      await grant(r, { allowed_ips: ['10.1.0.0/16', '2001:db8::/32'] });
      await resolveAccess(store.db, app, r, { ip: '10.1.200.7' });
      await resolveAccess(store.db, app, r, { ip: '::ffff:10.1.0.1' });
      await resolveAccess(store.db, app, r, { ip: '2001:db8::1' });
      await refused(resolveAccess(store.db, app, r, { ip: '10.2.0.1' }), 403, 'ip_not_allowed');
      await refused(resolveAccess(store.db, app, r, { ip: '2001:db9::1' }), 403, 'ip_not_allowed');
    });

    it('lets core data out only as aggregates or verification', async () => {
      const r = await resource({ sharingType: 'conditional', grade: 'core' });
      await grant(r);
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'core_data_not_releasable');
      await grant(r, { use: 'statistics' });
      expect((await resolveAccess(store.db, app, r, { ip: IP })).use).toBe('statistics');
    });

    it('uses the first grant that works, and names the most telling refusal when none does', async () => {
      const r = await resource({ sharingType: 'conditional' });
      await grant(r, { status: 'revoked' });
      await grant(r, { allowed_ips: ['192.0.2.0/24'] });
      await grant(r, { valid_until: new Date(Date.now() - 1000), valid_from: new Date(Date.now() - 5000) });
      await refused(resolveAccess(store.db, app, r, { ip: IP }), 403, 'ip_not_allowed');
      const working = await grant(r, { purpose: '第二份' });
      expect(await resolveAccess(store.db, app, r, { ip: IP })).toMatchObject({
        grantId: working.id,
        purpose: '第二份',
      });
    });

    it('lets a member without a grant read what is open to everyone, and says so when the grant is refused', async () => {
      const open = await resource({ sharingType: 'conditional', openType: 'unconditional' });
      expect(await resolveAccess(store.db, app, open, { ip: IP })).toMatchObject({
        mode: 'open',
        grantId: null,
      });
      const g = await grant(open, { status: 'revoked' });
      // The revoked grant does not stop the open path either.
      expect((await resolveAccess(store.db, app, open, { ip: IP })).mode).toBe('open');
      await store.db.deleteFrom('grants').where('id', '=', g.id).execute();
      // A member without data.read reads open data too.
      const admin: Actor = { ...(analyst as Extract<Actor, { kind: 'user' }>), roles: ['org_admin'] };
      expect(await resolveAccess(store.db, admin, open, { ip: IP })).toMatchObject({ mode: 'open' });
      // 有条件开放: a refused grant is reported rather than the licence, no grant at all as the licence.
      const licensed = await resource({ sharingType: 'conditional', openType: 'conditional' });
      await refused(resolveAccess(store.db, app, licensed, { ip: IP }), 403, 'licence_not_accepted');
      await grant(licensed, { allowed_ips: ['192.0.2.0/24'] });
      await refused(resolveAccess(store.db, app, licensed, { ip: IP }), 403, 'ip_not_allowed');
      await refused(resolveAccess(store.db, ANONYMOUS, licensed, { ip: IP }), 401, 'unauthenticated');
    });

    it('refuses a provider’s member without data.read, and another organisation’s the same as absent', async () => {
      const r = await resource({ sharingType: 'conditional' });
      const admin: Actor = {
        kind: 'user',
        userId: crypto.randomUUID(),
        orgId: providerId,
        username: 'o',
        roles: ['org_admin'],
      };
      await refused(resolveAccess(store.db, admin, r, { ip: IP }), 403, 'forbidden');
      const officer: Actor = { ...(analyst as Extract<Actor, { kind: 'user' }>), roles: ['org_admin'] };
      await refused(resolveAccess(store.db, officer, r, { ip: IP }), 403, 'forbidden');
      const draft = { ...r, status: 'draft' } as typeof r;
      await refused(resolveAccess(store.db, app, draft, { ip: IP }), 404, 'not_found');
      // The provider reads its own draft and retired resources.
      expect((await resolveAccess(store.db, stewardOf(providerId), draft, { ip: IP })).mode).toBe('provider');
    });

    it('refuses a retired resource', async () => {
      const r = await resource({ sharingType: 'conditional' });
      await grant(r);
      await refused(
        resolveAccess(store.db, app, { ...r, status: 'retired' }, { ip: IP }),
        403,
        'resource_retired',
      );
      await expect(resolveAccess(store.db, app, { ...r, status: 'retired' }, { ip: IP })).rejects.toThrow(
        'The resource is retired; its data is no longer served',
      );
    });
  });
});
