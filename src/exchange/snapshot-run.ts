import type { Selectable } from 'kysely';
import { type QueryContext, snapshotBatches } from '../query/index.js';
import type { SubscriptionTable } from '../store/index.js';
import type { ChannelDriver } from './channels/types.js';
import { storeBatch } from './events.js';
import { heldKeys } from './held-keys.js';
import { bulkSnapshotOf, runBulkSnapshot } from './snapshot-bulk.js';
import { withSourceLock } from './source-lock.js';
import { subscriberOf } from './subscriptions-read.js';
import { eventsStored } from './wake.js';

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
  driverFor?: (row: Selectable<SubscriptionTable>) => ChannelDriver,
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
  const subscriber = subscriberOf(row);
  const label = row.snapshot_epoch === 0 ? 'snapshot' : `snapshot.${row.snapshot_epoch}`;
  await withSourceLock(row.source_id, async () => {
    const seen = new Set<string>();
    for await (const batch of snapshotBatches(ctx, subscriber, heldKeys(db, subscriptionId), 1000, label)) {
      for (const event of batch.events) seen.add(event.keyId);
      await db.transaction().execute((tx) => storeBatch(tx, subscriptionId, batch));
      eventsStored([subscriptionId]);
    }
    if (row.snapshot_epoch > 0) await deleteUnseen(ctx, subscriptionId, seen, label);
    const last = await db
      .selectFrom('subscription_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    await db
      .updateTable('subscriptions')
      .set({
        status: 'active',
        reason: null,
        snapshot_last_seq: Number(last?.seq ?? 0),
        updated_at: new Date(),
      })
      .where('id', '=', subscriptionId)
      .execute();
  });
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
