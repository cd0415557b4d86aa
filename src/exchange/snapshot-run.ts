import type { Kysely, Selectable } from 'kysely';
import { type QueryContext, snapshotBatches } from '../query/index.js';
import type { Database, SubscriptionTable } from '../store/index.js';
import { type ChannelDriver, ChannelError } from './channels/types.js';
import { storeBatch } from './events.js';
import { heldKeys } from './held-keys.js';
import { bulkSnapshotOf, runBulkSnapshot } from './snapshot-bulk.js';
import { snapshotLease } from './snapshot-lease.js';
import { withSourceLock } from './source-lock.js';
import { subscriberOf } from './subscriptions-read.js';
import { eventsStored } from './wake.js';

type Row = Selectable<SubscriptionTable>;

/**
 * Takes a subscription's snapshot (status `snapshot`) and turns it active: the resource's rows
 * enforced as inserts (as updates where the subscriber holds the row already), one release entry
 * per batch; on a snapshot taken again (resume), the rows the subscriber holds that are no longer
 * there or no longer pass the filters go as deletes. The source's lock is held throughout, so no
 * captured change of this process interleaves with it; `snapshot_last_seq` marks where it ends (a
 * staging database loads up to there in bulk). A first snapshot into a channel that loads in bulk
 * (a PostgreSQL staging database: `driverFor` gives its driver) goes straight there instead
 * (snapshot-bulk.ts), without being stored as events.
 */
export async function runSnapshot(
  ctx: QueryContext,
  subscriptionId: string,
  driverFor?: (row: Row) => ChannelDriver,
): Promise<void> {
  const db = ctx.store.db;
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
  const driver = driverFor && bulkSnapshotOf(row) ? driverFor(row) : undefined;
  if (driver?.loadSnapshot)
    return runBulkSnapshot(ctx, row, { ...driver, loadSnapshot: driver.loadSnapshot }, row.lease_until);
  return runEventSnapshot(ctx, row, row.lease_until, false);
}

/**
 * The snapshot as events (every channel but a first bulk load): stored in batches under the
 * source's lock, the lease renewed per batch. `retake`: a run after one that died part-way (its
 * lease ran out). What that run stored stays (every event in it is true, and in order per key);
 * this one is labelled apart (its base position), so that no event id of the first is reused for
 * another row, and the rows held that it no longer sees go as deletes.
 */
export async function runEventSnapshot(
  ctx: QueryContext,
  row: Row,
  lease: Date | null,
  retake: boolean,
): Promise<void> {
  const db = ctx.store.db;
  const subscriptionId = row.id;
  const subscriber = subscriberOf(row);
  const { renew, held } = snapshotLease(db, subscriptionId, lease);
  await withSourceLock(row.source_id, async () => {
    await renew();
    const base = retake ? await lastSeq(db, subscriptionId) : 0;
    const epoch = row.snapshot_epoch === 0 ? 'snapshot' : `snapshot.${row.snapshot_epoch}`;
    const label = retake ? `${epoch}.r${base}` : epoch;
    const seen = new Set<string>();
    for await (const batch of snapshotBatches(ctx, subscriber, heldKeys(db, subscriptionId), 1000, label)) {
      for (const event of batch.events) seen.add(event.keyId);
      // In the transaction that stores the batch: a run that lost its lease stores nothing more,
      // so an older read of a row never lands after the new run's.
      await db.transaction().execute(async (tx) => {
        await renew(tx);
        await storeBatch(tx, subscriptionId, batch);
      });
      eventsStored([subscriptionId]);
    }
    if (row.snapshot_epoch > 0 || retake) await deleteUnseen(ctx, subscriptionId, seen, label);
    const turned = await db
      .updateTable('subscriptions')
      .set({
        status: 'active',
        reason: null,
        snapshot_last_seq: await lastSeq(db, subscriptionId),
        lease_until: null,
        attempts: 0,
        failing_since: null,
        next_attempt_at: null,
        last_error: null,
        updated_at: new Date(),
      })
      .where('id', '=', subscriptionId)
      .where('status', '=', 'snapshot')
      .where((eb) => {
        const h = held();
        return h ? eb('lease_until', '=', h) : eb('lease_until', 'is', null);
      })
      .executeTakeFirst();
    if (Number(turned.numUpdatedRows) !== 1)
      throw new ChannelError('snapshot_lease_lost', 'Another process took the snapshot over', true);
  });
}

async function lastSeq(db: Kysely<Database>, subscriptionId: string): Promise<number> {
  const last = await db
    .selectFrom('subscription_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('subscription_id', '=', subscriptionId)
    .executeTakeFirst();
  return Number(last?.seq ?? 0);
}

// Rows held before a pause and absent from the new snapshot were deleted meanwhile (or left the
// filters): the subscriber is told by their key id alone, the row being gone.
async function deleteUnseen(ctx: QueryContext, subscriptionId: string, seen: Set<string>, label: string) {
  const db = ctx.store.db;
  const held = await db
    .selectFrom('subscription_keys')
    .select('key_hash')
    .where('subscription_id', '=', subscriptionId)
    .execute();
  const gone = held.map((h) => h.key_hash).filter((k) => !seen.has(k));
  if (gone.length === 0) return;
  const events = gone.map((keyId) => ({
    eventId: `${label}.gone.${keyId}`.slice(0, 120),
    op: 'delete' as const,
    keyId,
    key: {},
    row: null,
  }));
  await db
    .transaction()
    .execute((tx) => storeBatch(tx, subscriptionId, { events, added: [], removed: gone }));
  eventsStored([subscriptionId]);
}
