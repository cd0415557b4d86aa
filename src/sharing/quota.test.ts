import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiKey, buildOrganization, buildSharedResource } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { TooManyRequestsError } from '../errors/index.js';
import type { Store } from '../store/index.js';
import type { Access } from './access.js';
import { insertGrant } from './grants.js';
import { chargeUsage, checkQuota, reserveUsage, settleUsage } from './quota.js';
import { secondsToNextDay, shanghaiDay } from './shanghai-day.js';

describe('the Asia/Shanghai day', () => {
  it('turns at 16:00 UTC', () => {
    expect(shanghaiDay(new Date('2025-03-01T15:59:59Z'))).toBe('2025-03-01');
    expect(shanghaiDay(new Date('2025-03-01T16:00:00Z'))).toBe('2025-03-02');
    expect(secondsToNextDay(new Date('2025-03-01T15:59:00Z'))).toBe(60);
    expect(secondsToNextDay(new Date('2025-03-01T16:00:00Z'))).toBe(86_400);
  });
});

describeEachStore('quotas', (kind) => {
  let store: Store;
  let access: Access;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const provider = await buildOrganization(store.db);
    const consumer = await buildOrganization(store.db);
    const key = await buildApiKey(store.db, consumer.id);
    const resource = await buildSharedResource(store.db, provider.id, { sharingType: 'conditional' });
    const grant = await insertGrant(store.db, {
      request_id: null,
      origin: 'request',
      auto_key: null,
      application_id: key.application.id,
      consumer_org_id: consumer.id,
      resource_id: resource.id,
      resource_code: resource.code,
      provider_id: provider.id,
      items: '[]',
      row_filter: '[]',
      purpose: '测试',
      use: 'detail',
      valid_from: new Date(),
      valid_until: null,
      calls_per_day: 5,
      rows_per_day: 100,
      allowed_ips: [],
      may_export: false,
      status: 'active',
      status_reason: '',
      created_by: null,
    });
    access = {
      mode: 'grant',
      resourceCode: resource.code,
      grantId: grant.id,
      purpose: '测试',
      use: 'detail',
      items: [],
      rowFilter: [],
      quota: { callsPerDay: 5, rowsPerDay: 100 },
      mayExport: false,
      privacyBudget: null,
    };
  });
  afterAll(() => store.close());

  it('counts concurrent calls atomically and never past the quota', async () => {
    const now = new Date('2025-06-01T04:00:00Z');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => chargeUsage(store.db, access, { calls: 1, rows: 10 }, now)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const refused = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(TooManyRequestsError);
      expect(r.reason).toMatchObject({ status: 429, code: 'quota_exhausted', retryAfterSeconds: 12 * 3600 });
    }
    await expect(checkQuota(store.db, access, now)).rejects.toMatchObject({ code: 'quota_exhausted' });
    // The next Beijing day starts afresh.
    const tomorrow = new Date('2025-06-01T16:00:01Z');
    expect(await checkQuota(store.db, access, tomorrow)).toMatchObject({ callsLeft: 5, rowsLeft: 100 });
  });

  it('refuses a charge that would pass the row quota, counting nothing', async () => {
    const now = new Date('2025-06-03T04:00:00Z');
    await chargeUsage(store.db, access, { calls: 1, rows: 90 }, now);
    await expect(chargeUsage(store.db, access, { calls: 1, rows: 20 }, now)).rejects.toMatchObject({
      code: 'quota_exhausted',
    });
    expect(await checkQuota(store.db, access, now)).toMatchObject({ calls: 1, rows: 90, rowsLeft: 10 });
    await expect(chargeUsage(store.db, access, { calls: 0, rows: 101 }, now)).rejects.toMatchObject({
      status: 429,
    });
  });

  it('lets accesses without a grant through uncounted', async () => {
    const open: Access = { ...access, mode: 'open', grantId: null, quota: null };
    expect(await chargeUsage(store.db, open, { calls: 1, rows: 1_000_000 })).toEqual({ calls: 0, rows: 0 });
    expect(await checkQuota(store.db, open)).toMatchObject({ callsLeft: null, rowsLeft: null });
  });

  it('reserves rows before a delivery, never past the quota together, and gives back the unsent', async () => {
    const now = new Date('2025-06-05T04:00:00Z');
    const taken = await Promise.allSettled(
      Array.from({ length: 4 }, () => reserveUsage(store.db, access, { calls: 1, rows: 40 }, now)),
    );
    const granted = taken.flatMap((t) => (t.status === 'fulfilled' ? [t.value.rows!] : []));
    // 40 + 40 + 20, then nothing: the last is refused, not given a slice of nothing.
    expect(granted.sort((a, b) => b - a)).toEqual([40, 40, 20]);
    expect(taken.filter((t) => t.status === 'rejected')).toHaveLength(1);
    const first = taken.flatMap((t) =>
      t.status === 'fulfilled' && t.value.rows === 40 ? [t.value] : [],
    )[0]!;
    await settleUsage(store.db, access, first, 15);
    expect(await checkQuota(store.db, access, now)).toMatchObject({ calls: 3, rows: 75, rowsLeft: 25 });
    // Everything left, when the delivery does not say how much it wants.
    expect(
      await reserveUsage(store.db, access, { calls: 0, rows: Number.POSITIVE_INFINITY }, now),
    ).toMatchObject({
      rows: 25,
      held: true,
    });
  });
});
