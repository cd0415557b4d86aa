import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { captureStatus } from '../query/index.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';

const up = await serviceAvailable('postgres');

// The server's loop (src/server/subscriptions.ts): started before any subscription exists, it
// picks one up without a restart, delivers its changes, and stops without dropping the slot.
describe.skipIf(!up)('the delivery loop: per source, picking up subscriptions, stopping cleanly', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let sourceId: string;
  let subscriptionId: string | undefined;

  beforeAll(async () => {
    server = await openTestServer('pglite');
    let consumerKey: Awaited<ReturnType<typeof capturedPeople>>['consumerKey'];
    ({ pg, consumerKey, code, sourceId } = await capturedPeople(server, 4));
    actor = await authenticateApiKey(server.store.db, consumerKey.key);
  });

  afterAll(async () => {
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await server?.close();
    await pg?.drop();
  });

  it('starts delivery for a subscription made after it started, and keeps the slot when stopped', async () => {
    const errors: unknown[] = [];
    const loop = startDeliveryLoop(server.query, {
      tickMs: 200,
      onError: (_, error) => errors.push(error),
    });
    try {
      await loop.tick();
      const created = await createSubscription(
        server.query,
        actor,
        { resourceCode: code },
        subscriptionOptions,
      );
      subscriptionId = created.id;
      const snapshot = (await readEvents(server.store.db, created.id, 0, 1000)).length;
      await pg.client.query(
        `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
        [makeIdNumber('350102', '19900101', 97)],
      );
      const events = await until('the change delivered by the loop', async () => {
        if (errors.length) throw errors[0];
        const got = await readEvents(server.store.db, created.id, 0, 1000);
        return got.length > snapshot && got;
      });
      expect(events.at(-1)?.op).toBe('insert');
    } finally {
      await loop.stop();
    }
    expect(errors).toEqual([]);
    // Stopping is not unsubscribing: the slot stays, so changes made while stopped are kept.
    expect((await captureStatus(server.query, sourceId)).prepared).toBe(true);
  });
});
