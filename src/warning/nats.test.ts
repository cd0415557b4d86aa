import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSharingOrgs, TEST_PASSWORD } from '../../test/support/factories.js';
import { loginAs, openTestServer, type TestServer, testAuditKey } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { openTestStore } from '../../test/support/store.js';
import { failedLogin, plus, shanghai } from '../../test/support/warning.js';
import { type AuditLog, createAuditLog } from '../audit/index.js';
import type { Store } from '../store/index.js';
import { type AlertPublisher, natsPublisher, WarningEngine } from './index.js';

const natsUp = await serviceAvailable('nats');

// HUITONG_WARNING_NATS_URL: each new alert is published on huitong.warning.<severity>, and each
// alert that new findings grew, once per evaluation, on the real NATS server.
describe.skipIf(!natsUp)('alerts on NATS', () => {
  let store: Store;
  let audit: AuditLog;
  let subscriber: NatsConnection;
  let publisher: AlertPublisher;
  // A prefix of its own, so that parallel runs on one server do not see each other's alerts.
  const prefix = `test.${randomBytes(4).toString('hex')}.warning`;
  const received: { subject: string; body: Record<string, unknown> }[] = [];
  let subscription: Subscription;
  let done: Promise<void>;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    audit = await createAuditLog(store, { key: testAuditKey(), checkpointIntervalMs: 0 });
    subscriber = await connect({ servers: SERVICES.nats.url });
    subscription = subscriber.subscribe(`${prefix}.>`);
    done = (async () => {
      for await (const message of subscription)
        received.push({ subject: message.subject, body: JSON.parse(new TextDecoder().decode(message.data)) });
    })();
    await subscriber.flush();
    publisher = natsPublisher(SERVICES.nats.url, prefix);
  });
  afterAll(async () => {
    await publisher?.close();
    await subscriber?.drain();
    await done;
    await audit?.close();
    await store?.close();
  });

  it('publishes a new alert on its severity’s subject, then its growth, once per evaluation', async () => {
    const engine = new WarningEngine(store.db, {
      onAlert: (alert) => publisher.publish('opened', alert),
      onGrouped: (alert) => publisher.publish('grouped', alert),
    });
    const start = shanghai('2026-12-02T10:00:00');
    const fail = (from: number, to: number) =>
      audit.appendMany(
        Array.from({ length: to - from }, (_, i) =>
          failedLogin('192.0.2.77', `v-${from + i}`, plus(start, from + i)),
        ),
      );
    await fail(0, 10);
    await engine.evaluate();
    await fail(10, 13);
    await engine.evaluate();
    // Each publish was flushed to the server; the subscriber's loop takes them in its own turn.
    await until('both messages received', () => received.length >= 2);
    await subscriber.flush();
    expect(received.map((m) => [m.subject, m.body.change])).toEqual([
      [`${prefix}.high`, 'opened'],
      [`${prefix}.high`, 'grouped'],
    ]);
    expect(received[0]!.body).toMatchObject({
      kind: 'huitong.warning.alert',
      alert: { rule: 'brute_force', subject: 'address:192.0.2.77', severity: 'high' },
    });
    expect(received[1]!.body.alert).toMatchObject({
      id: (received[0]!.body.alert as { id: string }).id,
      count: 4,
    });
  });
});

// The security officer's changes through the API reach NATS too, with the alert as the console
// shows it: acknowledged, assigned, resolved (on the default subjects, filtered by the alert's id).
describe.skipIf(!natsUp)('alert lifecycle on NATS', () => {
  let server: TestServer;
  let subscriber: NatsConnection;
  const received: Array<{ subject: string; body: { change: string; alert: Record<string, unknown> } }> = [];
  let done: Promise<void>;

  beforeAll(async () => {
    subscriber = await connect({ servers: SERVICES.nats.url });
    const subscription = subscriber.subscribe('huitong.warning.>');
    done = (async () => {
      for await (const message of subscription)
        received.push({ subject: message.subject, body: JSON.parse(new TextDecoder().decode(message.data)) });
    })();
    await subscriber.flush();
    server = await openTestServer('pglite', { HUITONG_WARNING_NATS_URL: SERVICES.nats.url });
  });
  afterAll(async () => {
    await server?.close();
    await subscriber?.drain();
    await done;
  });

  it('publishes acknowledge, assign and resolve with the alert’s new status', async () => {
    const world = await buildSharingOrgs(server.store.db);
    const officer = world.provider.users.security_officer;
    const as = await loginAs(server.app, officer.username, TEST_PASSWORD);
    const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 10; i++)
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username: `nobody-${i}`, password: 'wrong password' },
      });
    const { alerts } = await new WarningEngine(server.store.db).evaluate();
    const alert = alerts.find((a) => a.subject === `address:${address}`)!;
    const post = (path: string, payload: object) =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1/warning/alerts/${alert.id}/${path}`,
        headers: as.headers,
        payload,
      });
    expect((await post('acknowledge', {})).statusCode).toBe(200);
    expect((await post('assign', { userId: officer.id })).statusCode).toBe(200);
    expect((await post('resolve', { note: '已核实：外部扫描，已封禁来源地址' })).statusCode).toBe(200);
    const mine = () => received.filter((m) => m.body.alert.id === alert.id);
    await until('three lifecycle messages', () => mine().length >= 3);
    expect(mine().map((m) => [m.subject, m.body.change, m.body.alert.status])).toEqual([
      ['huitong.warning.high', 'acknowledged', 'acknowledged'],
      ['huitong.warning.high', 'assigned', 'acknowledged'],
      ['huitong.warning.high', 'resolved', 'resolved'],
    ]);
    expect(mine()[1]!.body.alert).toMatchObject({ assigneeId: officer.id });
  });
});
