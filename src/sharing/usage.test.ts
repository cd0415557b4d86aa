import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  stewardOf,
} from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Actor } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { insertGrant } from './grants.js';
import { shanghaiDay } from './shanghai-day.js';
import { grantUsage, organizationUsage } from './usage.js';

const DAY = 86_400_000;
const dayAgo = (n: number) => shanghaiDay(new Date(Date.now() - n * DAY));

describeEachStore('usage reports', (kind) => {
  let store: Store;
  let consumerApp: Actor;
  let otherApp: Actor;
  let analyst: Actor;
  let provider: Actor;
  let stranger: Actor;
  let providerApp: Actor;
  const grants: Record<'quota' | 'free' | 'elsewhere', string> = { quota: '', free: '', elsewhere: '' };

  beforeAll(async () => {
    store = await openTestStore(kind);
    const providerId = (await buildOrganization(store.db)).id;
    const otherProviderId = (await buildOrganization(store.db)).id;
    const consumerId = (await buildOrganization(store.db)).id;
    const strangerId = (await buildOrganization(store.db)).id;
    const keys = [await buildApiKey(store.db, consumerId), await buildApiKey(store.db, consumerId)];
    const app = (i: number): Actor => ({
      kind: 'application',
      applicationId: keys[i]!.application.id,
      keyId: keys[i]!.apiKey.id,
      orgId: consumerId,
      roles: ['analyst'],
    });
    consumerApp = app(0);
    otherApp = app(1);
    analyst = {
      kind: 'user',
      userId: crypto.randomUUID(),
      orgId: consumerId,
      username: 'a',
      roles: ['analyst'],
    };
    provider = stewardOf(providerId);
    const providerKey = await buildApiKey(store.db, providerId, ['data_steward']);
    providerApp = {
      kind: 'application',
      applicationId: providerKey.application.id,
      keyId: providerKey.apiKey.id,
      orgId: providerId,
      roles: ['data_steward'],
    };
    stranger = { ...(analyst as Extract<Actor, { kind: 'user' }>), orgId: strangerId };
    const grant = async (from: string, appIndex: number, quota: boolean) => {
      const resource = await buildSharedResource(store.db, from, { sharingType: 'conditional' });
      const row = await insertGrant(store.db, {
        request_id: null,
        origin: 'request',
        auto_key: null,
        application_id: keys[appIndex]!.application.id,
        consumer_org_id: consumerId,
        resource_id: resource.id,
        resource_code: resource.code,
        provider_id: from,
        items: '[]',
        row_filter: '[]',
        purpose: '测试',
        use: 'detail',
        valid_from: new Date(),
        valid_until: null,
        calls_per_day: quota ? 10 : null,
        rows_per_day: quota ? 100 : null,
        allowed_ips: [],
        may_export: false,
        status: 'active',
        status_reason: '',
        created_by: null,
      });
      return row.id;
    };
    grants.quota = await grant(providerId, 0, true);
    grants.free = await grant(providerId, 1, false);
    grants.elsewhere = await grant(otherProviderId, 0, true);
    const rows = [
      [grants.quota, 0, 1],
      [grants.quota, 29, 2],
      [grants.quota, 30, 3],
      [grants.free, 0, 4],
      [grants.elsewhere, 1, 5],
    ] as const;
    for (const [grantId, ago, n] of rows) {
      await store.db
        .insertInto('grant_usage')
        .values({ grant_id: grantId, day: dayAgo(ago), calls: n, row_count: n * 10 })
        .execute();
    }
  });
  afterAll(() => store.close());

  it('reports a grant’s last 30 days, oldest first, with its quota', async () => {
    expect(await grantUsage(store.db, analyst, grants.quota)).toEqual([
      {
        grantId: grants.quota,
        day: dayAgo(29),
        calls: 2,
        rows: 20,
        quota: { callsPerDay: 10, rowsPerDay: 100 },
      },
      {
        grantId: grants.quota,
        day: dayAgo(0),
        calls: 1,
        rows: 10,
        quota: { callsPerDay: 10, rowsPerDay: 100 },
      },
    ]);
    expect(await grantUsage(store.db, provider, grants.free)).toEqual([
      { grantId: grants.free, day: dayAgo(0), calls: 4, rows: 40, quota: null },
    ]);
  });

  it('takes a range with both ends included, up to a year, and refuses a reversed or longer one', async () => {
    const both = await grantUsage(store.db, analyst, grants.quota, { from: dayAgo(30), to: dayAgo(29) });
    expect(both.map((u) => u.calls)).toEqual([3, 2]);
    const fromOnly = await grantUsage(store.db, analyst, grants.quota, { from: dayAgo(30) });
    expect(fromOnly.map((u) => u.calls)).toEqual([3, 2, 1]);
    const toOnly = await grantUsage(store.db, analyst, grants.quota, { to: dayAgo(1) });
    expect(toOnly.map((u) => u.calls)).toEqual([3, 2]);
    expect(
      await grantUsage(store.db, analyst, grants.quota, { from: '2024-01-01', to: '2025-01-01' }),
    ).toEqual([]);
    expect(
      await grantUsage(store.db, analyst, grants.quota, { from: '2024-05-05', to: '2024-05-05' }),
    ).toEqual([]);
    for (const range of [
      { from: '2024-05-06', to: '2024-05-05' },
      { from: '2024-01-01', to: '2025-01-02' },
      { from: 'not a day', to: '2024-05-05' },
    ]) {
      await expect(grantUsage(store.db, analyst, grants.quota, range)).rejects.toMatchObject({
        status: 400,
        code: 'invalid_range',
        message: 'from must not be after to, and the range at most a year',
      });
    }
  });

  it('shows a grant to its holder and its provider only, and to its own application’s key', async () => {
    await expect(grantUsage(store.db, stranger, grants.quota)).rejects.toMatchObject({ status: 404 });
    await expect(grantUsage(store.db, otherApp, grants.quota)).rejects.toMatchObject({ status: 404 });
    expect(await grantUsage(store.db, consumerApp, grants.quota)).toHaveLength(2);
  });

  it('sums up an organisation’s side: what it holds, per application for a key, or what it gave', async () => {
    const held = await organizationUsage(store.db, analyst, 'consumer');
    expect(held.map((u) => [u.grantId, u.day, u.calls, u.quota])).toEqual(
      [
        [grants.quota, dayAgo(29), 2, { callsPerDay: 10, rowsPerDay: 100 }],
        [grants.elsewhere, dayAgo(1), 5, { callsPerDay: 10, rowsPerDay: 100 }],
        [grants.quota, dayAgo(0), 1, { callsPerDay: 10, rowsPerDay: 100 }],
        [grants.free, dayAgo(0), 4, null],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0]))),
    );
    const ownKey = await organizationUsage(store.db, consumerApp, 'consumer');
    expect(ownKey.map((u) => u.calls).sort()).toEqual([1, 2, 5]);
    expect((await organizationUsage(store.db, otherApp, 'consumer')).map((u) => u.calls)).toEqual([4]);
    const given = await organizationUsage(store.db, provider, 'provider');
    expect(given.map((u) => u.calls).sort()).toEqual([1, 2, 4]);
    // A provider's key sees every grant its organisation gave, whichever application holds it.
    expect((await organizationUsage(store.db, providerApp, 'provider')).map((u) => u.calls).sort()).toEqual([
      1, 2, 4,
    ]);
    expect(await organizationUsage(store.db, provider, 'consumer')).toEqual([]);
    expect(await organizationUsage(store.db, analyst, 'provider')).toEqual([]);
    const old = await organizationUsage(store.db, analyst, 'consumer', { from: dayAgo(40), to: dayAgo(29) });
    expect(old.map((u) => u.calls)).toEqual([3, 2]);
    await expect(
      organizationUsage(store.db, analyst, 'consumer', { from: dayAgo(0), to: dayAgo(1) }),
    ).rejects.toMatchObject({ code: 'invalid_range' });
  });
});
