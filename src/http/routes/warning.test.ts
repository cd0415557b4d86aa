import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApiKey, buildSharingOrgs, TEST_PASSWORD } from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';
import { plus, release } from '../../../test/support/warning.js';
import type { AuditEvent } from '../../audit/index.js';
import { shanghaiDay, WarningEngine } from '../../warning/index.js';

// The early-warning centre over HTTP (docs/warning.md): failed logins against the real login
// route raise a brute-force alert; the security officer is notified, lists, assigns, acknowledges
// and resolves it; the rules' thresholds change through the API, each change audited.
describeEachStore('early-warning routes', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  const as: Record<string, Credentials> = {};

  beforeAll(async () => {
    server = await openTestServer(kind);
    world = await buildSharingOrgs(server.store.db);
    as.officer = await loginAs(server.app, world.provider.users.security_officer.username, TEST_PASSWORD);
    as.otherOfficer = await loginAs(
      server.app,
      world.consumer.users.security_officer.username,
      TEST_PASSWORD,
    );
    as.analyst = await loginAs(server.app, world.consumer.users.analyst.username, TEST_PASSWORD);
    as.auditor = await loginAs(server.app, world.auditor.username, TEST_PASSWORD);
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

  it('raises an alert from failed logins and takes it through its lifecycle', async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < 10; i++) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username: `nobody-${i}`, password: 'wrong password' },
      });
      expect([401, 429]).toContain(response.statusCode);
    }
    const { alerts } = await new WarningEngine(server.store.db).evaluate();
    expect(alerts.map((a) => a.subject)).toContain(`address:${address}`);

    // The console's badge: a notification for each security officer.
    const notes = await call('officer', 'GET', '/api/v1/notifications?unread=true');
    expect(notes.json().items.map((n: { kind: string }) => n.kind)).toContain('warning.alert');

    const list = await call(
      'officer',
      'GET',
      `/api/v1/warning/alerts?rule=brute_force&status=open&subject=address:${address}`,
    );
    expect(list.statusCode, list.body).toBe(200);
    const [alert] = list.json().items;
    expect(alert).toMatchObject({ rule: 'brute_force', severity: 'high', status: 'open', count: 1 });
    expect(alert.entries).toHaveLength(10);
    // Each linked entry is a failed login from that address, readable by the auditor.
    const entry = await call('auditor', 'GET', `/api/v1/audit/entries/${alert.entries[0]}`);
    expect(entry.json().entry).toMatchObject({ type: 'auth.login_failed', data: { ip: address } });

    const url = `/api/v1/warning/alerts/${alert.id}`;
    expect((await call('auditor', 'GET', url)).json()).toMatchObject({ id: alert.id });
    const assignee = world.consumer.users.security_officer.id;
    // Whom the console offers: the active security officers, named, never the auditor.
    const officers = (await call('officer', 'GET', '/api/v1/warning/officers')).json();
    expect(officers).toContainEqual(
      expect.objectContaining({
        userId: assignee,
        orgId: world.consumer.org.id,
        orgName: world.consumer.org.name,
      }),
    );
    expect(officers.map((o: { userId: string }) => o.userId)).not.toContain(world.auditor.id);
    expect((await call('analyst', 'GET', '/api/v1/warning/officers')).statusCode).toBe(403);
    const assigned = await call('officer', 'POST', `${url}/assign`, { userId: assignee });
    expect(assigned.json()).toMatchObject({ assigneeId: assignee, status: 'open' });
    expect(errorCode(await call('officer', 'POST', `${url}/assign`, { userId: world.auditor.id }))).toBe(
      'invalid_assignee',
    );
    const mine = await call('otherOfficer', 'GET', `/api/v1/warning/alerts?assigneeId=${assignee}`);
    expect(mine.json().items.map((a: { id: string }) => a.id)).toEqual([alert.id]);

    const acknowledged = await call('otherOfficer', 'POST', `${url}/acknowledge`, { note: '核查中' });
    expect(acknowledged.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: assignee,
      note: '核查中',
    });
    expect(errorCode(await call('officer', 'POST', `${url}/acknowledge`, {}))).toBe('alert_state_conflict');
    expect((await call('officer', 'POST', `${url}/resolve`, {})).statusCode).toBe(400);
    const resolved = await call('otherOfficer', 'POST', `${url}/resolve`, {
      note: '测试账号误输密码，已告知',
    });
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolvedBy: assignee,
      note: '测试账号误输密码，已告知',
    });
    expect(errorCode(await call('officer', 'POST', `${url}/resolve`, { note: '再次' }))).toBe(
      'alert_state_conflict',
    );
    expect((await lastEntry('warning.alert_resolved'))?.data).toMatchObject({
      alertId: alert.id,
      rule: 'brute_force',
    });
    expect((await lastEntry('warning.alert_acknowledged'))?.actor.id).toBe(assignee);
    expect((await lastEntry('warning.alert_assigned'))?.data).toMatchObject({ assigneeId: assignee });

    // Only officers work alerts; the auditor reads; anyone else is refused.
    expect((await call('auditor', 'POST', `${url}/acknowledge`, {})).statusCode).toBe(403);
    expect((await call('analyst', 'GET', '/api/v1/warning/alerts')).statusCode).toBe(403);
    expect((await call('officer', 'GET', `/api/v1/warning/alerts/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('lists the rules and changes a threshold, the change audited with before and after', async () => {
    const rules = await call('officer', 'GET', '/api/v1/warning/rules');
    expect(rules.statusCode).toBe(200);
    expect(rules.json()).toHaveLength(11);
    expect(rules.json().find((r: { rule: string }) => r.rule === 'brute_force')).toMatchObject({
      enabled: true,
      severity: 'high',
      settings: { failures: 10, windowMinutes: 15, groupMinutes: 60 },
    });

    const changed = await call('officer', 'PUT', '/api/v1/warning/rules/brute_force', {
      severity: 'critical',
      settings: { failures: 5 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      severity: 'critical',
      settings: { failures: 5, windowMinutes: 15 },
      updatedBy: world.provider.users.security_officer.id,
    });
    const entry = await lastEntry('warning.rule_set');
    expect(entry?.actor.id).toBe(world.provider.users.security_officer.id);
    expect(JSON.parse(entry!.data.before as string)).toMatchObject({
      severity: 'high',
      settings: { failures: 10 },
    });
    expect(JSON.parse(entry!.data.after as string)).toMatchObject({
      severity: 'critical',
      settings: { failures: 5 },
    });

    // The detectors apply it: five failures now suffice, and the alert takes the new severity.
    for (let i = 0; i < 5; i++)
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '198.51.100.88',
        payload: { username: `ghost-${i}`, password: 'wrong password' },
      });
    const { alerts } = await new WarningEngine(server.store.db).evaluate();
    expect(alerts.find((a) => a.subject === 'address:198.51.100.88')).toMatchObject({ severity: 'critical' });

    const wrong = await call('officer', 'PUT', '/api/v1/warning/rules/brute_force', {
      settings: { failures: 0, sideways: 3 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      code: 'invalid_warning_setting',
      details: { settings: ['failures', 'sideways'] },
    });
    expect((await call('officer', 'PUT', '/api/v1/warning/rules/no_such_rule', {})).statusCode).toBe(404);
    expect(
      (await call('auditor', 'PUT', '/api/v1/warning/rules/brute_force', { enabled: false })).statusCode,
    ).toBe(403);
    expect((await call('auditor', 'GET', '/api/v1/warning/rules')).statusCode).toBe(200);
  });

  it('suspends the key of a new alert when the rule says so, audited, and lets the officer undo it', async () => {
    const set = await call('officer', 'PUT', '/api/v1/warning/rules/new_address', {
      response: 'suspend_key',
      settings: { learningHours: 0 },
    });
    expect(set.json()).toMatchObject({ response: 'suspend_key', responses: ['none', 'suspend_key'] });
    expect(
      errorCode(
        await call('officer', 'PUT', '/api/v1/warning/rules/night_admin', { response: 'suspend_grant' }),
      ),
    ).toBe('invalid_warning_setting');

    const { application, apiKey, key } = await buildApiKey(server.store.db, world.consumer.org.id);
    const actor = {
      kind: 'application' as const,
      id: `${application.id}/${apiKey.id}`,
      orgId: world.consumer.org.id,
    };
    const me = () =>
      server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(key).headers });
    expect((await me()).statusCode).toBe(200);
    await server.audit.appendMany([
      release(actor, new Date(), { ip: '10.9.9.1' }),
      release(actor, new Date(), { ip: '203.0.113.99' }),
    ]);
    const { alerts } = await new WarningEngine(server.store.db, { audit: server.audit }).evaluate();
    const alert = alerts.find((a) => a.subject === `key:${actor.id}`)!;
    expect(alert.response).toEqual({ kind: 'suspend_key', target: actor.id });

    // The key is refused at once; the suspension is logged by the platform.
    expect(errorCode(await me())).toBe('api_key_suspended');
    const suspended = await lastEntry('api_key.suspended');
    expect(suspended).toMatchObject({
      actor: { id: 'early-warning' },
      data: { alertId: alert.id, keyId: actor.id },
    });
    const url = `/api/v1/warning/alerts/${alert.id}`;
    expect((await call('officer', 'GET', url)).json().response).toMatchObject({
      kind: 'suspend_key',
      undoneAt: null,
    });

    const undone = await call('officer', 'POST', `${url}/undo-response`, {});
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().response).toMatchObject({ undoneBy: world.provider.users.security_officer.id });
    expect((await me()).statusCode).toBe(200);
    expect((await lastEntry('api_key.resumed'))?.data).toMatchObject({ alertId: alert.id });
    expect(errorCode(await call('officer', 'POST', `${url}/undo-response`, {}))).toBe('alert_state_conflict');
  });

  it('shows the officer the open alerts by severity, alerts per day, the timeline and a consumer’s baseline', async () => {
    const summary = async (who = 'officer') => {
      const response = await call(who, 'GET', '/api/v1/warning/summary');
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const before = await summary();
    expect(before.days).toBe(30);
    expect(before.daily).toHaveLength(30);
    expect(before.daily.at(-1).day).toBe(shanghaiDay(new Date()));

    // A consumer application reads 4 times in this hour of the week for three weeks, 10 times two
    // hours earlier a week ago and 6 times two hours ago; then 60 times in this hour.
    const { application, apiKey } = await buildApiKey(server.store.db, world.consumer.org.id);
    const actor = {
      kind: 'application' as const,
      id: `${application.id}/${apiKey.id}`,
      orgId: world.consumer.org.id,
    };
    const consumer = `application:${application.id}`;
    const HOUR = 60;
    const WEEK = 7 * 24 * HOUR;
    const hourStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const history: AuditEvent[] = [];
    for (let week = 3; week >= 1; week--)
      for (let i = 0; i < 4; i++) history.push(release(actor, plus(hourStart, -week * WEEK + i)));
    for (let i = 0; i < 10; i++) history.push(release(actor, plus(hourStart, -WEEK - 2 * HOUR + i)));
    for (let i = 0; i < 6; i++) history.push(release(actor, plus(hourStart, -2 * HOUR + i)));
    await server.audit.appendMany(history);
    const engine = new WarningEngine(server.store.db);
    await engine.evaluate();
    await server.audit.appendMany(
      Array.from({ length: 60 }, (_, i) => release(actor, new Date(hourStart.getTime() + i * 10))),
    );
    const { alerts } = await engine.evaluate();
    const alert = alerts.find((a) => a.rule === 'volume_above_baseline' && a.subject === consumer)!;
    expect(alert).toMatchObject({ severity: 'high' });

    // At a glance: one more high alert open, counted on the day it was seen.
    const after = await summary();
    expect(after.open.high).toBe(before.open.high + 1);
    expect(after.daily.at(-1).high).toBe(before.daily.at(-1).high + 1);
    expect(after.events[0]).toMatchObject({
      kind: 'opened',
      alertId: alert.id,
      title: '调用量远超自身基线',
      severity: 'high',
      by: null,
    });

    // The consumer is found by its application's name, with its releases over the look-back.
    const found = await call('officer', 'GET', `/api/v1/warning/baselines?q=${application.name}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toEqual([
      {
        consumer,
        name: application.name,
        organization: world.consumer.org.name,
        releases: 3 * 4 + 10 + 6 + 60,
        lastHour: hourStart.toISOString(),
      },
    ]);

    // Its last 168 hours against the baseline the detector compared them with.
    const url = `/api/v1/warning/baselines/${consumer}`;
    const baseline = await call('officer', 'GET', url);
    expect(baseline.statusCode, baseline.body).toBe(200);
    const view = baseline.json();
    expect(view).toMatchObject({
      consumer,
      name: application.name,
      enabled: true,
      settings: { factor: 5, minReleases: 50, weeks: 4, minWeeks: 2 },
      firstHour: plus(hourStart, -3 * WEEK).toISOString(),
      hoursAbove: 1,
    });
    expect(view.hours).toHaveLength(168);
    const at = (minutes: number) =>
      view.hours.find((h: { hour: string }) => h.hour === plus(hourStart, minutes).toISOString());
    // This hour: 60 releases against the mean of 4 the alert names, alerting from 50 (above 5 × 4).
    expect(view.hours.at(-1)).toEqual({ ...at(0), releases: 60, baseline: 4, threshold: 50 });
    expect(alert.summary).toContain('基线（4.0 次）');
    // Two hours ago: 6 against (10 + 0) / 2 weeks (the third week back is before the first release).
    expect(at(-2 * HOUR)).toMatchObject({ releases: 6, baseline: 5, threshold: 50 });
    // A quiet hour five days ago: nothing, against nothing.
    expect(at(-5 * 24 * HOUR)).toMatchObject({ releases: 0, baseline: 0, threshold: 50 });
    expect(view.hours[0].hour).toBe(plus(hourStart, -167 * HOUR).toISOString());

    // With the rule off, no hour has a threshold.
    await call('officer', 'PUT', '/api/v1/warning/rules/volume_above_baseline', { enabled: false });
    const off = (await call('auditor', 'GET', url)).json();
    expect(off.enabled).toBe(false);
    expect(off.hours.every((h: { threshold: unknown }) => h.threshold === null)).toBe(true);
    await call('officer', 'PUT', '/api/v1/warning/rules/volume_above_baseline', { enabled: true });

    // The timeline follows the alert: acknowledged with a note, then resolved, by name.
    const officerName = world.provider.users.security_officer.displayName;
    await call('officer', 'POST', `/api/v1/warning/alerts/${alert.id}/acknowledge`, { note: '核查中' });
    expect((await summary()).events[0]).toMatchObject({
      kind: 'acknowledged',
      alertId: alert.id,
      by: officerName,
      note: '核查中',
    });
    expect((await summary()).open.high).toBe(before.open.high);
    expect((await summary()).acknowledged.high).toBe(before.acknowledged.high + 1);
    await call('officer', 'POST', `/api/v1/warning/alerts/${alert.id}/resolve`, { note: '月末集中对账' });
    const resolved = await summary('auditor');
    expect(resolved.events.slice(0, 3).map((e: { kind: string }) => e.kind)).toEqual([
      'resolved',
      'acknowledged',
      'opened',
    ]);
    expect(resolved.events[0]).toMatchObject({ by: officerName, note: '月末集中对账' });
    expect(resolved.acknowledged.high).toBe(before.acknowledged.high);

    // Only the alerts' readers; a consumer never counted is not found.
    expect((await call('analyst', 'GET', '/api/v1/warning/summary')).statusCode).toBe(403);
    expect((await call('analyst', 'GET', url)).statusCode).toBe(403);
    expect((await call('analyst', 'GET', '/api/v1/warning/baselines')).statusCode).toBe(403);
    expect((await call('officer', 'GET', '/api/v1/warning/baselines/application:nobody')).statusCode).toBe(
      404,
    );
  });
});
