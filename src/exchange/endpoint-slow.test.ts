import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import {
  allArrived,
  expectDeliveredInOrder,
  type MadeChanges,
  makeChanges,
} from '../../test/support/change-stream.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable, testOutbound } from '../../test/support/services.js';
import type { postgresPeople } from '../../test/support/source-data.js';
import { type WebhookReceiver, webhookReceiver } from '../../test/support/webhook-receiver.js';
import { authenticateApiKey } from '../identity/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { webhookDriver } from './channels/webhook.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const up = await serviceAvailable('postgres');
// The driver's timeout here, and how long the slow endpoint takes to answer (well past it).
const TIMEOUT_MS = 300;
const SLOW_MS = 1200;

// A slow consumer endpoint (issue 16): the receiver answers only after longer than the webhook
// driver's timeout, so every attempt fails with `webhook_timeout` and is retried; meanwhile
// changes keep coming. When it answers quickly again, everything arrives: no event lost, none
// out of order per row, a batch seen again only with its original event ids.
describe.skipIf(!up)('a slow webhook endpoint: timeouts retried, then delivered in order', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let hook: WebhookReceiver;
  let loop: DeliveryLoop;
  let dispatcher: Dispatcher;
  let subscriptionId: string | undefined;
  const errors: unknown[] = [];

  const changeEvents = () => hook.got.filter((r) => !r.snapshot).flatMap((r) => r.events);
  // Only what the receiver acknowledged counts as delivered.
  const acknowledged = () => hook.got.filter((r) => !r.snapshot && r.answered).flatMap((r) => r.events);

  beforeAll(async () => {
    server = await openTestServer('pglite');
    const world = await capturedPeople(server, 4);
    pg = world.pg;
    actor = await authenticateApiKey(server.store.db, world.consumerKey.key);
    hook = await webhookReceiver();
    const created = await createSubscription(
      server.query,
      actor,
      { resourceCode: world.code, channel: { kind: 'webhook', url: hook.url } },
      subscriptionOptions,
    );
    subscriptionId = created.id;
    hook.state.secret = created.secret as string;
    loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
    // The webhook driver itself, with a short timeout (the server's drivers use 10 s).
    dispatcher = startDispatcher(server.query, {
      driverFor: (row) =>
        webhookDriver({
          policy: testOutbound,
          url: hook.url,
          secret: openSubscriptionSecret(server.query, row.id, row.channel_secret as string),
          timeoutMs: TIMEOUT_MS,
        }),
      tickMs: 100,
      batchSize: 50,
      // Retries come at once here (the least delay of the jitter).
      random: () => 0,
      onError: () => undefined,
    });
    await until('the snapshot pushed', () => hook.got.some((r) => r.snapshot && r.answered), {
      timeoutMs: 30_000,
    });
    // A busy two-core machine: opening the store and the world takes a while.
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await loop?.stop();
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await hook?.close();
    await server?.close();
    await pg?.drop();
  });

  it('retries timed-out batches, then delivers every change in order when the endpoint speeds up', async () => {
    const first = await makeChanges(pg.client, pg.schema, { count: 10, tag: '快' });
    await until('the first changes acknowledged', () => allArrived(first, acknowledged()), {
      timeoutMs: 30_000,
    });

    // Slow: each attempt outlasts the timeout and is retried.
    hook.state.delayMs = SLOW_MS;
    const slow = await makeChanges(pg.client, pg.schema, { count: 60, tag: '慢', from: 10, pauseMs: 5 });
    const failing = await until(
      'timed out and retried',
      async () => {
        const s = await getSubscription(server.store.db, actor, subscriptionId as string);
        return s.delivery.attempts >= 3 && s;
      },
      { timeoutMs: 30_000 },
    );
    expect(failing.delivery.lastError).toBe('webhook_timeout');
    expect(failing.status).toBe('active');
    // The receiver saw the attempts (it was slow, not down) but acknowledged none of them.
    const seenSlow = hook.got.filter((r) => !r.snapshot && !r.answered);
    expect(seenSlow.length).toBeGreaterThanOrEqual(3);
    // Every attempt started at the stuck event (a retry takes the events stored since as well,
    // so its webhook-id may differ; its events keep their ids).
    expect(new Set(seenSlow.map((r) => r.events[0]?.eventId)).size).toBe(1);

    // Fast again: the stuck batch and everything after it arrive.
    hook.state.delayMs = 0;
    const after = await makeChanges(pg.client, pg.schema, { count: 10, tag: '复', from: 70 });
    const all: MadeChanges = new Map([...first, ...slow, ...after]);
    await until('all delivered', () => allArrived(all, acknowledged()), { timeoutMs: 60_000 });
    const { repeats } = expectDeliveredInOrder(all, changeEvents());
    expect(repeats).toBeGreaterThan(0);
    expectDeliveredInOrder(all, acknowledged());
    const done = await until('caught up', async () => {
      const s = await getSubscription(server.store.db, actor, subscriptionId as string);
      return s.delivery.lag === 0 && s;
    });
    expect(done.delivery).toMatchObject({ attempts: 0, lastError: null });
    expect(
      await server.store.db
        .selectFrom('subscription_dead_letters')
        .selectAll()
        .where('subscription_id', '=', subscriptionId as string)
        .execute(),
    ).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);
});
