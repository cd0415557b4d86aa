import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAuditKey } from '../../test/support/http.js';
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
