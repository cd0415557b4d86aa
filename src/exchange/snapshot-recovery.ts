import type { Selectable } from 'kysely';
import { AppError } from '../errors/index.js';
import type { QueryContext } from '../query/index.js';
import type { SubscriptionTable } from '../store/index.js';
import { logSubscription } from './audit-events.js';
import { nextRetryDelay } from './channels/backoff.js';
import { type ChannelDriver, ChannelError } from './channels/types.js';
import { isGrantStop } from './push-batch.js';
import { bulkSnapshotOf, runBulkSnapshot } from './snapshot-bulk.js';
import { SNAPSHOT_LEASE_MS } from './snapshot-lease.js';
import { runEventSnapshot } from './snapshot-run.js';

type Row = Selectable<SubscriptionTable>;

/**
 * After a snapshot failed (in bulk, or a retake as events): a grant that no longer allows it, or a channel that refuses for
 * good (a conflicting table), pauses the subscription with the code; anything else leaves it in
 * `snapshot`, to be taken again from scratch after a backoff (the dispatcher does). A lost lease
 * is another process's snapshot now: left alone.
 */
export async function snapshotFailed(
  ctx: QueryContext,
  row: Row,
  error: unknown,
  random?: () => number,
): Promise<void> {
  const db = ctx.store.db;
  if (error instanceof ChannelError && error.code === 'snapshot_lease_lost') return;
  const stop = isGrantStop(error) || (error instanceof ChannelError && !error.retryable);
  const reason = error instanceof ChannelError || error instanceof AppError ? error.code : 'snapshot_failed';
  if (stop) {
    await db
      .updateTable('subscriptions')
      .set({ status: 'paused', reason, last_error: reason, lease_until: null, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await logSubscription(ctx, 'subscription.paused', null, row, { reason });
    return;
  }
  const attempts = row.attempts + 1;
  await db
    .updateTable('subscriptions')
    .set({
      attempts,
      last_error: reason,
      lease_until: null,
      failing_since: row.failing_since ?? new Date(),
      next_attempt_at: new Date(Date.now() + nextRetryDelay(attempts, random)),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'snapshot')
    .execute();
}

/**
 * The snapshots no process is taking (one crashed, or failed and is due again): each is claimed
 * with a lease and taken again in the background, a first staging PostgreSQL load from scratch,
 * any other as events after what the run before stored. Returns the runs started.
 */
export async function takeOverSnapshots(
  ctx: QueryContext,
  running: ReadonlySet<string>,
  driverOf: (row: Row) => ChannelDriver,
  onError: (subscriptionId: string, error: unknown) => void,
  random?: () => number,
): Promise<Array<{ id: string; done: Promise<void> }>> {
  const db = ctx.store.db;
  const now = new Date();
  const due = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('status', '=', 'snapshot')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .execute();
  const started: Array<{ id: string; done: Promise<void> }> = [];
  for (const row of due) {
    if (running.has(row.id)) continue;
    const driver = bulkSnapshotOf(row) ? driverOf(row) : undefined;
    const lease = new Date(now.getTime() + SNAPSHOT_LEASE_MS);
    const claimed = await db
      .updateTable('subscriptions')
      .set({ lease_until: lease })
      .where('id', '=', row.id)
      .where('status', '=', 'snapshot')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const run = driver?.loadSnapshot
      ? runBulkSnapshot(ctx, row, { ...driver, loadSnapshot: driver.loadSnapshot }, lease)
      : runEventSnapshot(ctx, row, lease, true);
    const done = run.catch(async (error: unknown) => {
      onError(row.id, error);
      await snapshotFailed(ctx, row, error, random).catch((e: unknown) => onError(row.id, e));
    });
    started.push({ id: row.id, done });
  }
  return started;
}
