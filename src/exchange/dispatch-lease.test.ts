import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { makeChanges } from '../../test/support/change-stream.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable } from '../../test/support/services.js';
import type { postgresPeople } from '../../test/support/source-data.js';
import { type WebhookReceiver, webhookReceiver } from '../../test/support/webhook-receiver.js';
import { authenticateApiKey } from '../identity/index.js';
import type { ChannelDriver } from './channels/types.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const up = await serviceAvailable('postgres');

// A subscription set back to `snapshot` while the dispatcher is delivering one of its batches
// (resumed, or a snapshot taken again) holds the lease of the snapshot run. The dispatcher's
// batch ending must not clear or overwrite that lease: the snapshot run would find it lost.
describe.skipIf(!up)('the dispatcher and a snapshot lease taken meanwhile', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let hook: WebhookReceiver;
  let loop: DeliveryLoop;
  let dispatcher: Dispatcher;
  let subscriptionId = '';
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  let entered = 0;
  let delivered = 0;

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
    // A driver that holds a batch until the test lets it go.
    const driver: ChannelDriver = {
      deliver: async () => {
        entered++;
        if (gate) await gate;
        delivered++;
      },
      close: async () => undefined,
    };
    loop = startDeliveryLoop(server.query, { tickMs: 100, onError: () => undefined });
    dispatcher = startDispatcher(server.query, {
      driverFor: () => driver,
      tickMs: 50,
      random: () => 0,
      onError: () => undefined,
    });
    await until('the snapshot delivered', async () => {
      const s = await getSubscription(server.store.db, actor, subscriptionId);
      return s.status === 'active' && s.delivery.lag === 0 && s;
    });
  }, 120_000);

  afterAll(async () => {
    open();
    await dispatcher?.stop();
    await loop?.stop();
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await hook?.close();
    await server?.close();
    await pg?.drop();
  });

  it('leaves the snapshot lease as it was when the batch it was delivering ends', async () => {
    gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const before = entered;
    await makeChanges(pg.client, pg.schema, { count: 2, tag: '租' });
    await until('a batch being delivered', () => entered > before);

    const lease = new Date(Date.now() + 60_000);
    await server.store.db
      .updateTable('subscriptions')
      .set({ status: 'snapshot', lease_until: lease })
      .where('id', '=', subscriptionId)
      .execute();
    // The tick in flight: it ends once the batch's progress is written and its lease dropped.
    const ticking = dispatcher.tick();
    open();
    await ticking;
    expect(delivered).toBeGreaterThan(before);

    const row = await server.store.db
      .selectFrom('subscriptions')
      .select(['status', 'lease_until'])
      .where('id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('snapshot');
    expect(new Date(row.lease_until as Date).getTime()).toBe(lease.getTime());
  }, 60_000);
});
