import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
} from '../../test/support/factories.js';
import { testAuditKey } from '../../test/support/http.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import {
  appActor,
  failedLogin,
  plus,
  receipt,
  release,
  shanghai,
  verification,
} from '../../test/support/warning.js';
import { type AuditEvent, type AuditLog, createAuditLog } from '../audit/index.js';
import { approveAccessRequest, createAccessRequest } from '../sharing/index.js';
import type { Store } from '../store/index.js';
import { type AlertView, presentAlert, type RuleId, WarningEngine } from './index.js';

// A working Wednesday (10:00 and 23:30 in Shanghai) and a Saturday.
const WORKDAY = shanghai('2026-12-02T10:05:00');
const NIGHT = shanghai('2026-12-02T23:30:00');
const SATURDAY = shanghai('2026-12-05T11:00:00');
const WEEK = 7 * 24 * 60;

// Each detector fires on planted misuse and stays quiet on the normal use beside it: the entries
// are written to a real log with the times they would have had, and the engine evaluates them.
describeEachStore('early-warning detectors', (kind) => {
  let store: Store;
  let audit: AuditLog;
  let engine: WarningEngine;

  const plant = async (events: AuditEvent[]) => (await audit.appendMany(events)).map((a) => a.index);
  const alerts = async (rule: RuleId, subject?: string): Promise<AlertView[]> => {
    let q = store.db.selectFrom('warning_alerts').selectAll().where('rule', '=', rule);
    if (subject) q = q.where('subject', '=', subject);
    return (await q.orderBy('created_at').execute()).map(presentAlert);
  };
  const evaluate = () => engine.evaluate();

  beforeAll(async () => {
    store = await openTestStore(kind);
    audit = await createAuditLog(store, { key: testAuditKey(), checkpointIntervalMs: 0 });
    engine = new WarningEngine(store.db);
  });
  afterAll(async () => {
    await audit.close();
    await store.close();
  });

  it('flags a consumer far above its own baseline for the hour of the week, not one at its usual volume', async () => {
    const spiky = appActor('org-v', 'app-spiky');
    const busy = appActor('org-v', 'app-busy');
    const history: AuditEvent[] = [];
    for (let week = 3; week >= 1; week--) {
      const hour = plus(WORKDAY, -week * WEEK);
      for (let i = 0; i < 4; i++) history.push(release(spiky, plus(hour, i)));
      for (let i = 0; i < 40; i++) history.push(release(busy, plus(hour, i % 50)));
    }
    await plant(history);
    await evaluate();
    const now: AuditEvent[] = [];
    for (let i = 0; i < 60; i++)
      now.push(release(spiky, plus(WORKDAY, i % 50)), release(busy, plus(WORKDAY, i % 50)));
    const planted = await plant(now);
    await evaluate();
    const [alert] = await alerts('volume_above_baseline', 'application:app-spiky');
    expect(alert).toMatchObject({ severity: 'high', status: 'open', subjectOrgId: 'org-v' });
    // It fires from the 50th release of the hour (minReleases 50, above 5 × the baseline of 4) to the 60th.
    expect(alert!.count).toBe(11);
    expect(alert!.entries.every((i) => planted.includes(i))).toBe(true);
    expect(alert!.details).toMatchObject({ baseline: 4 });
    expect(await alerts('volume_above_baseline', 'application:app-busy')).toEqual([]);
  });

  it('keeps the baselines learnt before a restart: the volumes in memory are read back from the store', async () => {
    const restarted = appActor('org-v', 'app-restarted');
    const history: AuditEvent[] = [];
    for (let week = 3; week >= 1; week--)
      for (let i = 0; i < 4; i++) history.push(release(restarted, plus(plus(WORKDAY, -week * WEEK), i)));
    await plant(history);
    await evaluate();
    // A fresh process: nothing in memory, the hourly volumes of the weeks before are in the store.
    engine = new WarningEngine(store.db);
    await plant(Array.from({ length: 55 }, (_, i) => release(restarted, plus(WORKDAY, i % 50))));
    await evaluate();
    const [alert] = await alerts('volume_above_baseline', 'application:app-restarted');
    expect(alert).toMatchObject({ count: 6, details: { baseline: 4 } });
  });

  it('flags bulk reads on a day off or at night, not in working hours nor small reads', async () => {
    const actor = appActor('org-o', 'app-offhours');
    const normal = appActor('org-o', 'app-daytime');
    const [weekend, , , night] = await plant([
      release(actor, SATURDAY, { rows: 20_000 }),
      release(actor, SATURDAY, { rows: 50 }),
      release(normal, WORKDAY, { rows: 50_000 }),
      release(actor, shanghai('2026-12-02T06:30:00'), { rows: 12_000 }),
    ]);
    await evaluate();
    const [alert] = await alerts('off_hours_bulk', 'application:app-offhours');
    expect(alert).toMatchObject({ count: 2, severity: 'medium' });
    expect(alert!.entries).toEqual([weekend, night]);
    expect(await alerts('off_hours_bulk', 'application:app-daytime')).toEqual([]);
  });

  it('flags bulk reads of another node’s data at night too: the receipt its node logged counts as a release', async () => {
    const actor = appActor('org-o', 'app-remote-night');
    const [night] = await plant([
      receipt(actor, shanghai('2026-12-02T02:10:00'), { rows: 15_000 }),
      receipt(actor, WORKDAY, { rows: 40_000 }),
      receipt(actor, NIGHT, { rows: 20 }),
    ]);
    await evaluate();
    const [alert] = await alerts('off_hours_bulk', 'application:app-remote-night');
    expect(alert).toMatchObject({ count: 1, entries: [night] });
    expect(alert!.summary).toContain('fj-350000:R9');
  });

  it('flags a key used from an address it never used once learnt, not its usual ones nor a new key', async () => {
    const key = appActor('org-k', 'app-keyed', 'key-1');
    const fresh = appActor('org-k', 'app-fresh', 'key-9');
    const learning = plus(WORKDAY, -3 * 24 * 60);
    const [, , , , stranger] = await plant([
      // The key's first day: both addresses are learnt quietly (learningHours 24).
      release(key, learning, { ip: '10.1.1.1' }),
      release(key, plus(learning, 60), { ip: '10.1.1.2' }),
      release(key, WORKDAY, { ip: '10.1.1.2' }),
      release(key, plus(WORKDAY, 2), { ip: '10.1.1.1' }),
      release(key, plus(WORKDAY, 3), { ip: '203.0.113.50' }),
      release(key, plus(WORKDAY, 4), { ip: '203.0.113.50' }),
      release(fresh, plus(WORKDAY, 4), { ip: '198.51.100.1' }),
      release(fresh, plus(WORKDAY, 5), { ip: '198.51.100.2' }),
    ]);
    await evaluate();
    const [alert] = await alerts('new_address', 'key:app-keyed/key-1');
    expect(alert).toMatchObject({ count: 1, entries: [stranger], details: { address: '203.0.113.50' } });
    expect(await alerts('new_address', 'key:app-fresh/key-9')).toEqual([]);
  });

  it('flags enumeration of a verification API, not repeated checks of a few records', async () => {
    const prober = appActor('org-e', 'app-prober');
    const clerk = appActor('org-e', 'app-clerk');
    const events: AuditEvent[] = [];
    for (let i = 0; i < 105; i++) {
      events.push(verification(prober, plus(WORKDAY, i / 4), 'V1', `id-${i}`));
      events.push(verification(clerk, plus(WORKDAY, i / 4), 'V1', `id-${i % 5}`));
    }
    await plant(events);
    await evaluate();
    const [alert] = await alerts('verification_enumeration', 'application:app-prober');
    // The 100th, …, 105th distinct record: one alert, six firings.
    expect(alert).toMatchObject({ count: 6, details: { resource: 'V1', distinctSubjects: 105 } });
    expect(await alerts('verification_enumeration', 'application:app-clerk')).toEqual([]);
  });

  it('flags one caller reading many resources in minutes, not one reading a few often', async () => {
    const crawler = appActor('org-m', 'app-crawler');
    const steady = appActor('org-m', 'app-steady');
    const events: AuditEvent[] = [];
    for (let i = 0; i < 22; i++) {
      events.push(release(crawler, plus(WORKDAY, i / 5), { resources: [`M${i}`] }));
      events.push(release(steady, plus(WORKDAY, i / 5), { resources: [`M${i % 3}`] }));
    }
    await plant(events);
    await evaluate();
    expect(await alerts('many_resources', 'application:app-crawler')).toMatchObject([{ count: 3 }]);
    expect(await alerts('many_resources', 'application:app-steady')).toEqual([]);
  });

  it('flags repeated failed logins per address and per account, not a few typos', async () => {
    const events: AuditEvent[] = [];
    for (let i = 0; i < 12; i++)
      events.push(failedLogin('192.0.2.66', `victim-${i % 2}`, plus(WORKDAY, i / 2)));
    for (let i = 0; i < 3; i++) events.push(failedLogin('192.0.2.7', 'clumsy', plus(WORKDAY, i)));
    await plant(events);
    await evaluate();
    const [byAddress] = await alerts('brute_force', 'address:192.0.2.66');
    expect(byAddress).toMatchObject({ count: 3, severity: 'high' });
    expect(byAddress!.details).toMatchObject({ failures: 12 });
    expect(await alerts('brute_force', 'account:victim-0')).toEqual([]);
    expect(await alerts('brute_force', 'address:192.0.2.7')).toEqual([]);
    expect(await alerts('brute_force', 'account:clumsy')).toEqual([]);
  });

  it('flags a burst of reads just before a grant expires, not the same reads long before', async () => {
    const provider = await buildOrganization(store.db);
    const consumer = await buildOrganization(store.db);
    const resource = await buildSharedResource(store.db, provider.id, { sharingType: 'conditional' });
    const { application } = await buildApiKey(store.db, consumer.id);
    const analyst = await buildUser(store.db, { orgId: consumer.id, roles: ['analyst'] });
    const expiry = new Date(Date.now() + 2 * 86_400_000);
    const request = await createAccessRequest(
      store.db,
      {
        kind: 'user',
        userId: analyst.id,
        orgId: consumer.id,
        username: analyst.username,
        roles: ['analyst'],
      },
      {
        applicationId: application.id,
        resourceCode: resource.code,
        items: ['区划'],
        purpose: '测试',
        legalBasis: '测试依据',
        validUntil: expiry.toISOString(),
      },
    );
    const steward = await buildUser(store.db, { orgId: provider.id, roles: ['data_steward'] });
    const { grant } = await approveAccessRequest(
      store.db,
      {
        kind: 'user',
        userId: steward.id,
        orgId: provider.id,
        username: steward.username,
        roles: ['data_steward'],
      },
      request.id,
      {},
    );
    const actor = appActor(consumer.id, application.id);
    const early = plus(expiry, -30 * 24 * 60);
    const late = plus(expiry, -24 * 60);
    const events: AuditEvent[] = [];
    for (let i = 0; i < 55; i++) events.push(release(actor, plus(early, i / 2), { grantId: grant!.id }));
    for (let i = 0; i < 55; i++) events.push(release(actor, plus(late, i / 2), { grantId: grant!.id }));
    const indexes = await plant(events);
    await evaluate();
    const [alert] = await alerts('burst_before_expiry', `grant:${grant!.id}`);
    expect(alert).toMatchObject({ count: 6, subjectOrgId: consumer.id });
    expect(alert!.firstIndex).toBeGreaterThanOrEqual(indexes[55]!);
  });

  it('flags a file export of personal items above the threshold, not plain items nor JSON pages', async () => {
    const provider = await buildOrganization(store.db);
    const { code } = await buildSharedResource(store.db, provider.id);
    const exporter = appActor('org-x', 'app-exporter');
    const start = await audit.append({
      ...release(exporter, SATURDAY, {
        resources: [code],
        items: { [code]: ['身份证号', '区划'] },
        format: 'csv',
      }),
      type: 'data.release.start',
    });
    const complete = await audit.append({
      type: 'data.release.complete',
      actor: exporter,
      resources: [code],
      ref: start.index,
      time: plus(SATURDAY, 1),
      data: { rows: 6000, bytes: 600_000, sha256: 'b'.repeat(64), status: 'complete' },
    });
    const plain = appActor('org-x', 'app-plain');
    await plant([
      release(plain, WORKDAY, { resources: [code], items: { [code]: ['区划'] }, format: 'csv', rows: 9000 }),
      release(plain, WORKDAY, { resources: [code], items: { [code]: ['姓名'] }, format: 'json', rows: 9000 }),
      release(plain, WORKDAY, { resources: [code], items: { [code]: ['姓名'] }, format: 'xlsx', rows: 10 }),
    ]);
    await evaluate();
    const [alert] = await alerts('personal_data_export', 'application:app-exporter');
    expect(alert).toMatchObject({
      count: 1,
      details: { rows: 6000, format: 'csv', personalItems: ['身份证号'] },
    });
    expect(alert!.entries).toEqual([complete.index, start.index]);
    expect(await alerts('personal_data_export', 'application:app-plain')).toEqual([]);
  });

  it('flags a steward approving a request of their own organisation, not of another', async () => {
    const consumer = await buildOrganization(store.db);
    const provider = await buildOrganization(store.db);
    const resource = await buildSharedResource(store.db, provider.id, { sharingType: 'conditional' });
    const { application } = await buildApiKey(store.db, consumer.id);
    const analyst = await buildUser(store.db, { orgId: consumer.id, roles: ['analyst'] });
    const request = await createAccessRequest(
      store.db,
      {
        kind: 'user',
        userId: analyst.id,
        orgId: consumer.id,
        username: analyst.username,
        roles: ['analyst'],
      },
      {
        applicationId: application.id,
        resourceCode: resource.code,
        items: ['区划'],
        purpose: '测试',
        legalBasis: '测试依据',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    );
    const approval = (orgId: string, id: string) => ({
      type: 'access_request.approved',
      actor: { kind: 'user' as const, id, orgId },
      resources: [resource.code],
      time: WORKDAY,
      data: { ip: '10.0.0.1', accessRequestId: request.id, step: 'data_steward', status: 'approved' },
    });
    const [own] = await plant([
      approval(consumer.id, 'steward-own'),
      approval(provider.id, 'steward-provider'),
    ]);
    await evaluate();
    expect(await alerts('self_approval', 'user:steward-own')).toMatchObject([
      { entries: [own], subjectOrgId: consumer.id, severity: 'high' },
    ]);
    expect(await alerts('self_approval', 'user:steward-provider')).toEqual([]);
  });

  it('flags administrative changes at night, not by day nor a night-time sign-in', async () => {
    const change = (user: string, time: Date, type = 'user.created') => ({
      type,
      actor: { kind: 'user' as const, id: user, orgId: 'org-n' },
      time,
      data: { ip: '10.0.0.2' },
    });
    const [night] = await plant([
      change('owl', NIGHT),
      change('lark', WORKDAY),
      change('lark', NIGHT, 'auth.login'),
      change('lark', NIGHT, 'user.password_changed'),
    ]);
    await evaluate();
    expect(await alerts('night_admin', 'user:owl')).toMatchObject([{ entries: [night], severity: 'low' }]);
    expect(await alerts('night_admin', 'user:lark')).toEqual([]);
  });
});
