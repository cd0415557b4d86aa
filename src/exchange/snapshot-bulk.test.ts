import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable, testOutbound } from '../../test/support/services.js';
import { makeIdNumber } from '../../test/support/source-data.js';
import { postgresTarget, type StagingTarget } from '../../test/support/staging-targets.js';
import { authenticateApiKey } from '../identity/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { type ChannelDrivers, channelDrivers } from './channels/drivers.js';
import { StagingConfigSchema, stagingDriver } from './channels/staging/index.js';
import type { ChannelDriver, SnapshotChunk } from './channels/types.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { readEvents } from './events.js';
import { runBulkSnapshot } from './snapshot-bulk.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const pgUp = await serviceAvailable('postgres');
// A loaded machine (two cores, several suites) may take over a minute to open the store.
const SETUP_MS = 180_000;
const REGION = [{ item: '区划', op: 'eq' as const, value: '350102' }];

/** A resident ID number as the grant's mask shows it: region and the last four kept. */
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
/** A staging table's rows without the key column, in a stable order. */
const content = (rows: Record<string, unknown>[]) =>
  rows
    .map(({ huitong_key_id: _, ...row }) => JSON.stringify(Object.entries(row).sort()))
    .sort()
    .join('\n');

describe.skipIf(!pgUp)('a first snapshot into a PostgreSQL staging database, loaded in bulk', () => {
  let server: TestServer;
  let loop: DeliveryLoop;
  let drivers: ChannelDrivers;
  let dispatcher: Dispatcher;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = await openTestServer('pglite');
    loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
    drivers = channelDrivers({
      outbound: testOutbound,
      openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
    });
    dispatcher = startDispatcher(server.query, {
      driverFor: drivers.driverFor,
      tickMs: 100,
      random: () => 0,
      onError: (_, e) => errors.push(e),
    });
  }, SETUP_MS);

  afterAll(async () => {
    await dispatcher?.stop();
    await drivers?.close();
    await loop?.stop();
    await server?.close();
  }, SETUP_MS);

  const world = async (rows: number) => {
    const w = await capturedPeople(server, rows, REGION);
    const target = await postgresTarget();
    const actor = await authenticateApiKey(server.store.db, w.consumerKey.key);
    const ids: string[] = [];
    onTestFinished(async () => {
      for (const id of ids) await deleteSubscription(server.query, actor, id).catch(() => undefined);
      await w.pg.drop();
      await target.drop();
    });
    const subscribe = async (channel?: ReturnType<StagingTarget['channel']>) => {
      const made = await createSubscription(
        server.query,
        actor,
        { resourceCode: w.code, ...(channel ? { channel } : {}) },
        subscriptionOptions,
      );
      ids.push(made.id);
      return made.id;
    };
    const view = (id: string) => getSubscription(server.store.db, actor, id);
    const held = async (id: string) =>
      (
        await server.store.db
          .selectFrom('subscription_keys')
          .select('key_hash')
          .where('subscription_id', '=', id)
          .execute()
      ).length;
    return { ...w, target, actor, subscribe, view, held };
  };

  it(
    'loads what the event path delivers (masks, row filter), stores no event, and later changes follow in order',
    async () => {
      errors.length = 0;
      const { pg, target, subscribe, view, held } = await world(12);
      const s = pg.schema;
      // The event path: a pull subscription stores its snapshot as events.
      const pull = await subscribe();
      const id = await subscribe(target.channel('people_bulk'));
      const created = await view(id);
      expect(created.status).toBe('active');
      expect(await readEvents(server.store.db, id, 0, 1000)).toEqual([]);
      const rows = await target.rows('people_bulk');
      const events = (await readEvents(server.store.db, pull, 0, 1000)).map((e) => ({
        huitong_key_id: e.keyId,
        ...e.row,
      }));
      expect(rows).toHaveLength(6);
      expect(content(rows)).toBe(content(events));
      for (const r of rows) expect(String(r.sfzh)).toMatch(/^350102\*{8}\d{3}[\dX]$/);
      expect(await held(id)).toBe(6);
      expect(await target.position(id)).toBe(created.delivery.deliveredSeq);

      // Changes after it: held keys make a row leaving the filter a delete, one entering it an insert.
      const zhao = makeIdNumber('350102', '19900101', 99);
      await pg.client.query(
        `INSERT INTO ${s}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
        [zhao],
      );
      await pg.client.query(`UPDATE ${s}.people SET xm = '孔明' WHERE sfzh = $1`, [zhao]);
      await pg.client.query(`UPDATE ${s}.people SET qh = '110105' WHERE xm = '张明'`);
      await pg.client.query(`UPDATE ${s}.people SET qh = '350102' WHERE xm = '李华'`);
      await pg.client.query(`DELETE FROM ${s}.people WHERE xm = '王明'`);
      const source = await pg.client.query<{ sfzh: string }>(
        `SELECT sfzh FROM ${s}.people WHERE qh = '350102'`,
      );
      const expected = source.rows.map((r) => masked(r.sfzh)).sort();
      const after = await until('the changes in the table', async () => {
        const v = await view(id);
        const now = await target.rows('people_bulk');
        const got = now.map((r) => String(r.sfzh)).sort();
        return v.delivery.lag === 0 && JSON.stringify(got) === JSON.stringify(expected) && now;
      });
      // The insert and its update arrived in order: the later name stays.
      expect(after.find((r) => r.sfzh === masked(zhao))?.xm).toBe('孔*');
      expect(new Set(after.map((r) => r.huitong_key_id)).size).toBe(after.length);
      expect(await held(id)).toBe(after.length);
      expect(await target.position(id)).toBe((await view(id)).delivery.deliveredSeq);
      expect(errors).toEqual([]);
    },
    SETUP_MS,
  );

  it(
    'a load killed mid-way leaves the table as it was; taken over, the snapshot is loaded exactly once',
    async () => {
      errors.length = 0;
      const { pg, target, subscribe, view, held } = await world(20);
      const s = pg.schema;
      const channel = target.channel('people_crash');
      const id = await subscribe(channel);
      const before = await target.rows('people_crash');
      expect(before).toHaveLength(10);

      // The snapshot is taken again (a first snapshot not finished, as after a crash) by a process
      // whose staging connection dies after two batches were sent; the source changes meanwhile.
      // The status goes first: while the subscription is active the dispatcher would push the
      // changes into the table before the snapshot, and the table would no longer be as it was.
      const lease = new Date(Date.now() + 60_000);
      await server.store.db
        .updateTable('subscriptions')
        .set({ status: 'snapshot', lease_until: lease })
        .where('id', '=', id)
        .execute();
      await pg.client.query(`DELETE FROM ${s}.people WHERE xm = '王明'`);
      await pg.client.query(`UPDATE ${s}.people SET qh = '350102' WHERE xm = '李华'`);
      const row = await server.store.db
        .selectFrom('subscriptions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const { kind: _, ...config } = channel;
      const real = stagingDriver({ policy: testOutbound, config: StagingConfigSchema.parse(config) });
      onTestFinished(() => real.close());
      let sent = 0;
      const dying: ChannelDriver = {
        deliver: (b) => real.deliver(b),
        close: () => real.close(),
        loadSnapshot: (load) =>
          (real.loadSnapshot as NonNullable<ChannelDriver['loadSnapshot']>)({
            ...load,
            chunks: (async function* (): AsyncGenerator<SnapshotChunk> {
              for await (const chunk of load.chunks) {
                if (sent++ === 2)
                  await target.exec(
                    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'huitong-staging'`,
                  );
                yield chunk;
              }
            })(),
          }),
      };
      await expect(
        runBulkSnapshot(
          server.query,
          row,
          { ...dying, loadSnapshot: dying.loadSnapshot! },
          row.lease_until,
          3,
        ),
      ).rejects.toMatchObject({ code: 'staging_unreachable' });
      expect(sent).toBeGreaterThan(2);
      // Killed: the keys of the batches enforced so far are recorded, the table is untouched.
      expect((await view(id)).status).toBe('snapshot');
      expect(await held(id)).toBeGreaterThan(0);
      // A key held by the attempt that died for a row the new snapshot has not (gone meanwhile,
      // unseen by the capture): taken again, the snapshot alone says what is held.
      await server.store.db
        .insertInto('subscription_keys')
        .values({ subscription_id: id, key_hash: 'stale-key-of-the-attempt-that-died' })
        .execute();
      expect(content(await target.rows('people_crash'))).toBe(content(before));

      // The lease runs out: the dispatcher takes the snapshot over from scratch.
      await server.store.db
        .updateTable('subscriptions')
        .set({ lease_until: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute();
      await dispatcher.tick();
      const active = await until('taken over', async () => {
        const v = await view(id);
        return v.status === 'active' && v;
      });
      const source = await pg.client.query<{ sfzh: string }>(
        `SELECT sfzh FROM ${s}.people WHERE qh = '350102'`,
      );
      const rows = await target.rows('people_crash');
      expect(rows.map((r) => String(r.sfzh)).sort()).toEqual(source.rows.map((r) => masked(r.sfzh)).sort());
      expect(new Set(rows.map((r) => r.huitong_key_id)).size).toBe(rows.length);
      expect(await held(id)).toBe(rows.length);
      expect(await target.position(id)).toBe(active.delivery.deliveredSeq);

      // And changes go on from there.
      await pg.client.query(`UPDATE ${s}.people SET qh = '110105' WHERE xm = '张明'`);
      const left = await pg.client.query(`SELECT 1 FROM ${s}.people WHERE qh = '350102'`);
      expect(left.rows.length).toBeLessThan(rows.length);
      await until(
        'the change in the table',
        async () => (await target.rows('people_crash')).length === left.rows.length,
      );
      expect(errors.filter((e) => (e as { code?: string }).code !== 'staging_unreachable')).toEqual([]);
    },
    SETUP_MS,
  );
});
