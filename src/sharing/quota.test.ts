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

  // Each test below takes a day of its own, so the counters start at zero.
  const used = (now: Date) => checkQuota(store.db, access, now);
  const message = (what: 'call' | 'row') => expect.stringContaining(`daily ${what} quota`);

  it('refuses at exactly the quota, naming calls or rows, and says what is left below it', async () => {
    const now = new Date('2025-07-01T04:00:00Z');
    expect(await used(now)).toEqual({ day: '2025-07-01', calls: 0, rows: 0, callsLeft: 5, rowsLeft: 100 });
    await chargeUsage(store.db, access, { calls: 4, rows: 99 }, now);
    expect(await used(now)).toEqual({ day: '2025-07-01', calls: 4, rows: 99, callsLeft: 1, rowsLeft: 1 });
    await chargeUsage(store.db, access, { calls: 1, rows: 0 }, now);
    await expect(used(now)).rejects.toMatchObject({ code: 'quota_exhausted', message: message('call') });
    const later = new Date('2025-07-02T04:00:00Z');
    await chargeUsage(store.db, access, { calls: 1, rows: 100 }, later);
    await expect(used(later)).rejects.toMatchObject({ code: 'quota_exhausted', message: message('row') });
  });

  it('charges up to the quota exactly, names what a refused charge would pass, counts whole non-negative units', async () => {
    const now = new Date('2025-07-03T04:00:00Z');
    await expect(chargeUsage(store.db, access, { calls: 6, rows: 0 }, now)).rejects.toMatchObject({
      message: message('call'),
    });
    await expect(chargeUsage(store.db, access, { calls: 0, rows: 101 }, now)).rejects.toMatchObject({
      message: message('row'),
    });
    expect(await chargeUsage(store.db, access, { calls: 2.9, rows: -7 }, now)).toEqual({ calls: 2, rows: 0 });
    expect(await chargeUsage(store.db, access, { calls: 3, rows: 100 }, now)).toEqual({
      calls: 5,
      rows: 100,
    });
    // At the quota: one call more is refused as a call, one row more as a row, and nothing is counted.
    const later = new Date('2025-07-04T04:00:00Z');
    await chargeUsage(store.db, access, { calls: 5, rows: 0 }, later);
    await expect(chargeUsage(store.db, access, { calls: 1, rows: 0 }, later)).rejects.toMatchObject({
      message: message('call'),
    });
    await chargeUsage(store.db, access, { calls: 0, rows: 100 }, new Date('2025-07-05T04:00:00Z'));
    await expect(
      chargeUsage(store.db, access, { calls: 0, rows: 1 }, new Date('2025-07-05T04:00:00Z')),
    ).rejects.toMatchObject({ message: message('row') });
    await expect(used(later)).rejects.toMatchObject({ message: message('call') });
    // Calls reaching the quota exactly while the rows pass it: refused for the rows.
    const edge = new Date('2025-07-11T04:00:00Z');
    await chargeUsage(store.db, access, { calls: 4, rows: 90 }, edge);
    await expect(chargeUsage(store.db, access, { calls: 1, rows: 20 }, edge)).rejects.toMatchObject({
      message: message('row'),
    });
    expect(await used(edge)).toMatchObject({ calls: 4, rows: 90 });
  });

  it('counts a grant without a quota, without limit', async () => {
    const free: Access = { ...access, quota: null };
    const now = new Date('2025-07-06T04:00:00Z');
    expect(await checkQuota(store.db, free, now)).toEqual({
      day: '2025-07-06',
      calls: 0,
      rows: 0,
      callsLeft: null,
      rowsLeft: null,
    });
    expect(await chargeUsage(store.db, free, { calls: 50, rows: 1_000_000 }, now)).toEqual({
      calls: 50,
      rows: 1_000_000,
    });
    expect(await chargeUsage(store.db, free, { calls: 1, rows: 1 }, now)).toEqual({
      calls: 51,
      rows: 1_000_001,
    });
    // Its reservation charges the call now and the rows it sent when settled, and holds nothing.
    const reserved = await reserveUsage(store.db, free, { calls: 1, rows: 40 }, now);
    expect(reserved).toEqual({ day: '2025-07-06', calls: 1, rows: null, held: false });
    // Nothing sent, nothing charged: not even an empty day in the usage report.
    await settleUsage(store.db, free, reserved, 0);
    const today = await store.db
      .selectFrom('grant_usage')
      .selectAll()
      .where('grant_id', '=', access.grantId!)
      .where('day', '=', shanghaiDay(new Date()))
      .execute();
    expect(today).toEqual([]);
    await settleUsage(store.db, free, reserved, 30);
    await settleUsage(store.db, free, reserved, -3);
    // (Charged to the day it is settled: a quota-free grant's rows only feed the usage report.)
    expect(await chargeUsage(store.db, free, { calls: 0, rows: 0 })).toEqual({ calls: 0, rows: 30 });
    expect(await chargeUsage(store.db, free, { calls: 0, rows: 0 }, now)).toEqual({
      calls: 52,
      rows: 1_000_001,
    });
  });

  it('reserves nothing for an access without a grant', async () => {
    const open: Access = { ...access, mode: 'open', grantId: null, quota: null };
    const reserved = await reserveUsage(store.db, open, { calls: 1, rows: 10 });
    expect(reserved).toMatchObject({ calls: 0, rows: null, held: false });
    await settleUsage(store.db, open, { ...reserved, held: true, rows: 10 }, 0);
  });

  it('reserves the call and the rows asked, refuses past the calls, and asks for no rows without refusal', async () => {
    const now = new Date('2025-07-07T04:00:00Z');
    expect(await reserveUsage(store.db, access, { calls: 1, rows: 30.7 }, now)).toEqual({
      day: '2025-07-07',
      calls: 1,
      rows: 30,
      held: true,
    });
    expect(await used(now)).toMatchObject({ calls: 1, rows: 30 });
    expect(await reserveUsage(store.db, access, { calls: -2, rows: -5 }, now)).toMatchObject({
      calls: 0,
      rows: 0,
    });
    await chargeUsage(store.db, access, { calls: 0, rows: 70 }, now);
    // No row left: asking for rows is refused, asking for none is still answered.
    await expect(reserveUsage(store.db, access, { calls: 1, rows: 1 }, now)).rejects.toMatchObject({
      message: message('row'),
    });
    expect(await reserveUsage(store.db, access, { calls: 1, rows: 0 }, now)).toMatchObject({
      rows: 0,
      held: true,
    });
    await expect(used(now)).rejects.toMatchObject({ message: message('row') });
    expect(await chargeUsage(store.db, access, { calls: 0, rows: 0 }, now)).toEqual({ calls: 2, rows: 100 });
    const later = new Date('2025-07-08T04:00:00Z');
    await reserveUsage(store.db, access, { calls: 4, rows: 0 }, later);
    expect(await reserveUsage(store.db, access, { calls: 1, rows: 0 }, later)).toMatchObject({
      calls: 1,
      rows: 0,
    });
    await expect(reserveUsage(store.db, access, { calls: 1, rows: 0 }, later)).rejects.toMatchObject({
      code: 'quota_exhausted',
      message: message('call'),
    });
  });

  it('gives back only what was not sent, never below zero, to the day it was taken from', async () => {
    const day = new Date('2025-07-09T04:00:00Z');
    const reserved = await reserveUsage(store.db, access, { calls: 1, rows: 50 }, day);
    // Sent all, or more than reserved (a count from another source): nothing is given back.
    await settleUsage(store.db, access, reserved, 50);
    await settleUsage(store.db, access, reserved, 80);
    expect(await used(day)).toMatchObject({ rows: 50 });
    await settleUsage(store.db, access, reserved, 49.9);
    expect(await used(day)).toMatchObject({ rows: 49 });
    // Sent nothing: all 50 back, but a count already below that stays at zero.
    await settleUsage(store.db, access, reserved, -1);
    expect(await used(day)).toMatchObject({ rows: 0 });
    await settleUsage(store.db, access, reserved, 0);
    expect(await used(day)).toMatchObject({ rows: 0 });
    // Settled on another day, the rows go back to the day of the reservation.
    expect(await used(new Date('2025-07-10T04:00:00Z'))).toMatchObject({ rows: 0 });
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
