import { type Kysely, type Selectable, sql } from 'kysely';
import { type QueryContext, snapshotBatches } from '../query/index.js';
import type { Database, SubscriptionTable } from '../store/index.js';
import type { ChannelDriver, SnapshotChunk } from './channels/types.js';
import { snapshotLease } from './snapshot-lease.js';
import { withSourceLock } from './source-lock.js';
import { subscriberOf } from './subscriptions-read.js';
import { eventsStored } from './wake.js';

type Row = Selectable<SubscriptionTable>;

// Rows per batch: each batch is one readView, one release entry, one held-keys statement and one COPY.
const BATCH = 10_000;

/** A channel that takes a snapshot in bulk: a PostgreSQL staging database, for a first snapshot. */
export function bulkSnapshotOf(row: { channel: unknown; snapshot_epoch: number }): boolean {
  const channel = (typeof row.channel === 'string' ? JSON.parse(row.channel) : row.channel) as {
    kind?: string;
    dialect?: string;
  };
  return channel.kind === 'staging' && channel.dialect === 'postgres' && row.snapshot_epoch === 0;
}

// Records a batch's keys as held, in one statement (an array parameter; both stores take it).
async function holdKeys(db: Kysely<Database>, subscriptionId: string, keyIds: string[]): Promise<void> {
  if (keyIds.length === 0) return;
  await sql`INSERT INTO subscription_keys (subscription_id, key_hash)
    SELECT ${subscriptionId}::uuid, k FROM unnest(${keyIds}::text[]) AS k
    ON CONFLICT DO NOTHING`.execute(db);
}

/**
 * A first snapshot straight into the channel (a staging database): the rows are enforced as any
 * snapshot (snapshotBatches: items, masks, the grant's row filter decided afresh per batch, the
 * subscriber's filters; one release entry per batch, durable before the batch is yielded), their
 * keys recorded as held, and the batch written into the channel's one transaction, which also sets
 * the subscription's position there; they are not stored as events. The source's lock is held
 * throughout: events stored before it was taken are changes the snapshot's read includes, and are
 * not delivered (a snapshot taken again after a crash starts from scratch the same way); events
 * stored after follow the snapshot. The subscription stays `snapshot` until the channel has
 * committed; `lease` is the lease it was claimed with (renewed per batch; lost, the load stops).
 * `batchSize`: source rows per batch.
 */
export async function runBulkSnapshot(
  ctx: QueryContext,
  row: Row,
  driver: ChannelDriver & Required<Pick<ChannelDriver, 'loadSnapshot'>>,
  lease: Date | null,
  batchSize = BATCH,
): Promise<void> {
  const db = ctx.store.db;
  const subscriber = subscriberOf(row);
  const wanted = subscriber.fields ? new Set(subscriber.fields) : null;
  const { renew, held } = snapshotLease(db, row.id, lease);
  await withSourceLock(row.source_id, async () => {
    await renew();
    const last = await db
      .selectFrom('subscription_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('subscription_id', '=', row.id)
      .executeTakeFirst();
    const base = Math.max(Number(last?.seq ?? 0), Number(row.delivered_seq));
    // A snapshot taken before and not finished (a crash) left keys and events: they go, the new
    // snapshot says what the subscriber holds.
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('subscription_keys').where('subscription_id', '=', row.id).execute();
      await tx
        .deleteFrom('subscription_events')
        .where('subscription_id', '=', row.id)
        .where('seq', '<=', base as never)
        .execute();
    });
    const none = async () => new Set<string>();
    async function* chunks(): AsyncGenerator<SnapshotChunk> {
      // The keys are recorded beside the load (they matter only once the subscription is
      // active), and all of them before the chunks end, so before the staging commit.
      const holding: Promise<unknown>[] = [];
      try {
        for await (const batch of snapshotBatches(ctx, subscriber, none, batchSize, 'snapshot')) {
          const rows = batch.events.flatMap((e) => (e.row ? [{ keyId: e.keyId, row: e.row }] : []));
          const hold = holdKeys(db, row.id, batch.added);
          hold.catch(() => undefined);
          holding.push(hold);
          await renew();
          const columns = (batch.columns ?? []).filter((c) => !wanted || wanted.has(c.name));
          yield { columns, rows };
        }
      } finally {
        await Promise.allSettled(holding);
      }
      await Promise.all(holding);
    }
    await driver.loadSnapshot({
      target: {
        subscriptionId: row.id,
        orgId: row.org_id,
        applicationId: row.application_id,
        resourceCode: row.resource_code,
      },
      position: base,
      chunks: chunks(),
    });
    const now = new Date();
    await db
      .updateTable('subscriptions')
      .set({
        status: 'active',
        reason: null,
        snapshot_last_seq: base,
        delivered_seq: base,
        lease_until: null,
        attempts: 0,
        retry_until_seq: null,
        failing_since: null,
        next_attempt_at: null,
        last_error: null,
        last_delivery_at: now,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('status', '=', 'snapshot')
      .where('lease_until', '=', held() as Date)
      .execute();
  });
  // Changes stored while the snapshot was loading can go now.
  eventsStored([row.id]);
}
