import { type Kysely, sql, type Transaction } from 'kysely';
import type { EnforcedBatch } from '../query/index.js';
import type { Database } from '../store/index.js';
import { applyHeld } from './held-keys.js';

/** One stored event as the consumer receives it. */
export interface DeliveredEvent {
  seq: number;
  eventId: string;
  op: string;
  key: Record<string, unknown>;
  keyId: string;
  row: Record<string, unknown> | null;
  createdAt: string;
}

/**
 * Stores an enforced batch for one subscription: its events in order (an event id already stored
 * — a batch captured again after a crash — is not stored twice) and the held keys.
 */
export async function storeBatch(
  tx: Transaction<Database>,
  subscriptionId: string,
  batch: EnforcedBatch,
): Promise<void> {
  const now = new Date();
  if (batch.events.length)
    await tx
      .insertInto('subscription_events')
      .values(
        batch.events.map((e) => ({
          subscription_id: subscriptionId,
          event_id: e.eventId,
          op: e.op,
          payload: JSON.stringify({ key: e.key, keyId: e.keyId, row: e.row }),
          release_index: null,
          created_at: now,
        })),
      )
      .onConflict((c) => c.columns(['subscription_id', 'event_id']).doNothing())
      .execute();
  await applyHeld(tx, subscriptionId, batch.added, batch.removed);
  // Stored is delivered for the pull channel (the consumer may take it now); a push channel's
  // last delivery is when its channel took a batch (the dispatcher sets it).
  if (batch.events.length)
    await tx
      .updateTable('subscriptions')
      .set({ last_delivery_at: now })
      .where('id', '=', subscriptionId)
      .where(sql<string>`channel->>'kind'`, '=', 'pull')
      .execute();
}

/** Events after `after` (a sequence number), oldest first: the pull channel. */
export async function readEvents(
  db: Kysely<Database>,
  subscriptionId: string,
  after: number,
  limit: number,
): Promise<DeliveredEvent[]> {
  const rows = await db
    .selectFrom('subscription_events')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '>', after as never)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
      key: Record<string, unknown>;
      keyId: string;
      row: Record<string, unknown> | null;
    };
    return {
      seq: Number(r.seq),
      eventId: r.event_id,
      op: r.op,
      ...payload,
      createdAt: new Date(r.created_at).toISOString(),
    };
  });
}
