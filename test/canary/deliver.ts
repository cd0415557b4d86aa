// Runs the platform's own delivery for the canary world: the source's capture until each
// subscription has its events stored, then the push dispatcher until the webhook has them all.
import { channelDrivers, readEvents, runSourceDelivery, startDispatcher } from '../../src/exchange/index.js';
import { openSubscriptionSecret } from '../../src/query/index.js';
import type { TestServer } from '../support/http.js';
import { until } from '../support/poll.js';
import { testOutbound } from '../support/services.js';
import type { PushReceiver } from './push-receiver.js';

/** Delivers the source's changes until every subscription holds `events` events and the receiver has them. */
export async function deliverChanges(
  server: TestServer,
  sourceId: string,
  subscriptions: string[],
  receiver: PushReceiver,
  events: number,
): Promise<void> {
  const stop = new AbortController();
  let failure: unknown;
  const capturing = runSourceDelivery(server.query, sourceId, stop.signal).catch((e: unknown) => {
    failure = e;
  });
  try {
    await until('changes stored for every subscription', async () => {
      if (failure) throw failure;
      for (const id of subscriptions)
        if ((await readEvents(server.store.db, id, 0, 1000)).length < events) return false;
      return true;
    });
  } finally {
    stop.abort();
    await capturing;
  }
  const drivers = channelDrivers({
    outbound: testOutbound,
    openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
  });
  const dispatcher = startDispatcher(server.query, {
    driverFor: drivers.driverFor,
    tickMs: 100,
    onError: () => undefined,
  });
  try {
    await until('changes pushed', () => receiver.events().length >= events);
  } finally {
    await dispatcher.stop();
    await drivers.close();
  }
}
