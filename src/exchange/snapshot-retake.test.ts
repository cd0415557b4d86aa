import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable } from '../../test/support/services.js';
import { authenticateApiKey } from '../identity/index.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { type DeliveredEvent, readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const pgUp = await serviceAvailable('postgres');
const SETUP_MS = 180_000;

/** A resident ID number as the grant's mask shows it: region and the last four kept. */
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

/** What a consumer holds after applying the events in order (by key id). */
function fold(events: DeliveredEvent[]): Map<string, Record<string, unknown>> {
  const held = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    if (e.op === 'delete') held.delete(e.keyId);
    else held.set(e.keyId, e.row as Record<string, unknown>);
  }
  return held;
}

// A snapshot stored as events (pull, webhook, NATS, a MariaDB staging table) cut part-way by a
// crash: the subscription stays `snapshot` under a lease nobody renews. When it runs out, a
// dispatcher takes the snapshot again; what the consumer ends up holding is the source as it is,
// and no event id is given to two different rows.
describe.skipIf(!pgUp)('a snapshot stored as events, cut by a crash and taken again', () => {
  let server: TestServer;
  let loop: DeliveryLoop;
  let dispatcher: Dispatcher;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = await openTestServer('pglite');
    loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
    dispatcher = startDispatcher(server.query, {
      driverFor: () => {
        throw new Error('no push channel here');
      },
      tickMs: 100,
      random: () => 0,
      onError: (_, e) => errors.push(e),
    });
  }, SETUP_MS);

  afterAll(async () => {
    await dispatcher?.stop();
    await loop?.stop();
    await server?.close();
  }, SETUP_MS);

  it(
    'is taken over once its lease runs out, and the events add up to the source',
    async () => {
      const w = await capturedPeople(server, 12);
      const actor = await authenticateApiKey(server.store.db, w.consumerKey.key);
      const db = server.store.db;
      const s = w.pg.schema;
      const made = await createSubscription(
        server.query,
        actor,
        { resourceCode: w.code },
        subscriptionOptions,
      );
      const id = made.id;
      try {
        expect(made.status).toBe('active');
        const first = await readEvents(db, id, 0, 1000);
        expect(first).toHaveLength(12);

        // The state a crash leaves: half the snapshot stored (its events and held keys, written
        // together), the subscription still `snapshot`, under a lease that has run out.
        const cut = first[5] as DeliveredEvent;
        const lost = first.filter((e) => e.seq > cut.seq);
        await db
          .deleteFrom('subscription_events')
          .where('subscription_id', '=', id)
          .where('seq', '>', cut.seq as never)
          .execute();
        await db
          .deleteFrom('subscription_keys')
          .where('subscription_id', '=', id)
          .where(
            'key_hash',
            'in',
            lost.map((e) => e.keyId),
          )
          .execute();
        await db
          .updateTable('subscriptions')
          .set({ status: 'snapshot', lease_until: new Date(Date.now() + 60_000), delivered_seq: 0 })
          .where('id', '=', id)
          .execute();
        // Meanwhile the source changes: a row the dead run had stored goes, another moves.
        const gone = await w.pg.client.query<{ sfzh: string }>(
          `SELECT sfzh FROM ${s}.people ORDER BY sfzh LIMIT 1`,
        );
        await w.pg.client.query(`DELETE FROM ${s}.people WHERE sfzh = $1`, [gone.rows[0]?.sfzh]);
        await w.pg.client.query(
          `UPDATE ${s}.people SET qh = '350103' WHERE sfzh = (SELECT max(sfzh) FROM ${s}.people)`,
        );

        // While the lease holds, nobody takes the snapshot.
        await dispatcher.tick();
        await new Promise((r) => setTimeout(r, 1100));
        await dispatcher.tick();
        expect((await getSubscription(db, actor, id)).status).toBe('snapshot');

        await db
          .updateTable('subscriptions')
          .set({ lease_until: new Date(Date.now() - 1000) })
          .where('id', '=', id)
          .execute();
        await until('taken over', async () => {
          await dispatcher.tick();
          const v = await getSubscription(db, actor, id);
          return v.status === 'active' && v;
        });
        const events = await until('every change stored', async () => {
          const all = await readEvents(db, id, 0, 10_000);
          const source = await w.pg.client.query<{ sfzh: string; qh: string }>(
            `SELECT sfzh, qh FROM ${s}.people`,
          );
          const held = fold(all);
          const got = [...held.values()].map((r) => `${r.sfzh}|${r.qh}`).sort();
          const want = source.rows.map((r) => `${masked(r.sfzh)}|${r.qh}`).sort();
          return JSON.stringify(got) === JSON.stringify(want) && all;
        });
        // No event id is reused: the run taken again is labelled apart from the dead one.
        expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
        const keys = await db
          .selectFrom('subscription_keys')
          .select('key_hash')
          .where('subscription_id', '=', id)
          .execute();
        expect(new Set(keys.map((k) => k.key_hash))).toEqual(new Set(fold(events).keys()));
        expect(errors).toEqual([]);
      } finally {
        await deleteSubscription(server.query, actor, id).catch(() => undefined);
        await w.pg.drop();
      }
    },
    SETUP_MS,
  );
});
