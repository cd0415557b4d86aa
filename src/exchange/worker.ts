import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import { getApiKey } from '../identity/index.js';
import { type ChangeBatchHandle, type EnforcedBatch, type QueryContext, runCapture } from '../query/index.js';
import type { Database } from '../store/index.js';
import { logSubscription } from './audit-events.js';
import { storeBatch } from './events.js';
import { heldKeys } from './held-keys.js';
import { withSourceLock } from './source-lock.js';
import { subscribedResources, subscriberOf } from './subscriptions-read.js';
import { eventsStored } from './wake.js';

// Refusals that mean the grant no longer allows delivery: the subscription pauses with the code.
const STOPS = new Set([
  'grant_revoked',
  'grant_expired',
  'grant_suspended',
  'grant_not_yet_valid',
  'forbidden',
  'not_found',
  'resource_not_found',
  'no_grant',
  'detail_not_allowed',
  'method_not_offered',
  // A bound column gone at the source: nothing is delivered against the wrong items.
  'schema_drift',
]);

async function loadPosition(db: Kysely<Database>, sourceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('capture_positions')
    .select('position')
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row?.position ?? null;
}

/**
 * Delivers one captured batch to every active subscription of the source: each is enforced
 * afresh (a subscription whose grant no longer allows it pauses with the refusal's code, before
 * anything of this batch is stored for it), then the events of all and the source's position are
 * stored in one transaction, so a crash repeats the batch (same event ids) and loses none.
 */
export async function deliverBatch(
  ctx: QueryContext,
  sourceId: string,
  batch: ChangeBatchHandle,
): Promise<void> {
  await withSourceLock(sourceId, () => deliverLocked(ctx, sourceId, batch));
}

async function deliverLocked(ctx: QueryContext, sourceId: string, batch: ChangeBatchHandle): Promise<void> {
  const db = ctx.store.db;
  // A subscription still taking its snapshot in another process gets the batch too: its snapshot
  // was read after the capture began, so the change is newer than (or the same as) what it read.
  const subscriptions = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('status', 'in', ['active', 'snapshot'])
    .execute();
  const enforced: Array<{ id: string; batch: EnforcedBatch }> = [];
  const paused: Array<{ id: string; reason: string; row: (typeof subscriptions)[number] }> = [];
  for (const row of subscriptions) {
    // The key it subscribed with must still be good: a revoked or expired key receives nothing more.
    const keyId = (subscriberOf(row).actor as { keyId?: string }).keyId;
    const key = keyId ? await getApiKey(db, keyId).catch(() => null) : null;
    if (key?.status !== 'active') {
      paused.push({
        id: row.id,
        row,
        reason: key?.status === 'expired' ? 'api_key_expired' : 'api_key_revoked',
      });
      continue;
    }
    try {
      enforced.push({ id: row.id, batch: await batch.enforce(subscriberOf(row), heldKeys(db, row.id)) });
    } catch (error) {
      if (error instanceof AppError && (STOPS.has(error.code) || error.status === 403))
        paused.push({ id: row.id, row, reason: error.code });
      else throw error;
    }
  }
  await db.transaction().execute(async (tx) => {
    for (const p of paused)
      await tx
        .updateTable('subscriptions')
        .set({ status: 'paused', reason: p.reason, updated_at: new Date() })
        .where('id', '=', p.id)
        .execute();
    for (const e of enforced) await storeBatch(tx, e.id, e.batch);
    await tx
      .insertInto('capture_positions')
      .values({ source_id: sourceId, method: 'capture', position: batch.position, updated_at: new Date() })
      .onConflict((c) =>
        c.column('source_id').doUpdateSet({ position: batch.position, updated_at: new Date() }),
      )
      .execute();
  });
  for (const p of paused)
    await logSubscription(ctx, 'subscription.paused', null, p.row, { reason: p.reason });
  eventsStored(enforced.filter((e) => e.batch.events.length > 0).map((e) => e.id));
}

/**
 * Runs a source's capture until `signal` aborts, resuming from its stored position, and delivers
 * each batch to the source's subscriptions. Resolves when stopped; rejects when the source or the
 * store fails (the caller runs it again later: the position and the slot make it resume).
 */
export async function runSourceDelivery(
  ctx: QueryContext,
  sourceId: string,
  signal: AbortSignal,
): Promise<void> {
  const db = ctx.store.db;
  const resources = await subscribedResources(db, sourceId);
  if (resources.length === 0) return;
  await runCapture(
    ctx,
    sourceId,
    resources,
    await loadPosition(db, sourceId),
    (b) => deliverBatch(ctx, sourceId, b),
    signal,
  );
}
