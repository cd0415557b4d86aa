import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { OutboundPolicy } from '../net/index.js';
import { findBinding, openSubscriptionSecret, prepareCapture, type QueryContext } from '../query/index.js';
import type { SubscriptionTable } from '../store/index.js';
import { logSubscription } from './audit-events.js';
import { setUpChannel } from './channel-setup.js';
import { channelDrivers } from './channels/drivers.js';
import { type ChannelDriver, ChannelError } from './channels/types.js';
import { getCatalogResourceId } from './resource-id.js';
import { type CreateSubscriptionInput, CreateSubscriptionSchema, type SubscriptionView } from './schemas.js';
import { SNAPSHOT_LEASE_MS } from './snapshot-lease.js';
import { snapshotFailed } from './snapshot-recovery.js';
import { runSnapshot } from './snapshot-run.js';
import { getSubscription, ownRow, subscribedResources } from './subscriptions-read.js';

/** What creating or changing a subscription needs beyond the query context. */
export interface SubscriptionOptions {
  /** The outbound policy a webhook's address is checked against. */
  outbound: OutboundPolicy;
  /** Whether the platform has a NATS server for subscriptions (HUITONG_SUBSCRIPTION_NATS_URL). */
  natsOffered?: boolean;
  requestId?: string | null;
}

/**
 * Subscribes a consumer application to a resource: checks the grant (through the query pipeline,
 * as a read would) and the channel, prepares the source's capture so that no change is lost from
 * here on, then delivers the initial snapshot (enforced, one release entry per batch) and turns
 * active. A webhook's signing secret is in the answer, once.
 */
export async function createSubscription(
  ctx: QueryContext,
  actor: Actor,
  input: CreateSubscriptionInput,
  options: SubscriptionOptions,
): Promise<SubscriptionView> {
  // Only a consumer application (its API key) subscribes: the grant is the application's.
  authorize(actor, 'subscription.manage');
  if (actor.kind !== 'application') throw new ForbiddenError('Only an application subscribes');
  const parsed = CreateSubscriptionSchema.parse(input);
  const db = ctx.store.db;
  const resourceId = await getCatalogResourceId(db, actor, parsed.resourceCode);
  const binding = await findBinding(db, resourceId);
  if (!binding) throw new ConflictError('resource_not_bound', 'The resource has no data bound to it');
  const id = randomUUID();
  const channel = setUpChannel(
    ctx,
    options.outbound,
    { id, orgId: actor.orgId, resourceCode: parsed.resourceCode },
    parsed.channel,
    options.natsOffered ?? false,
  );
  const now = new Date();
  const row = {
    id,
    org_id: actor.orgId,
    application_id: actor.applicationId,
    actor: JSON.stringify(actor),
    resource_id: resourceId,
    resource_code: parsed.resourceCode,
    source_id: binding.sourceId,
    fields: parsed.fields ? JSON.stringify(parsed.fields) : null,
    filter: JSON.stringify(parsed.filter),
    channel: JSON.stringify(channel.view),
    channel_secret: channel.sealedSecret,
    status: 'snapshot',
    reason: null,
    created_by: actor.applicationId,
    created_at: now,
    updated_at: now,
    last_delivery_at: null,
    // Held while this call takes the snapshot: one left by a crash is taken over after it.
    lease_until: new Date(now.getTime() + SNAPSHOT_LEASE_MS),
  };
  // A staging database takes a first snapshot in bulk, through its driver.
  const drivers = channelDrivers({
    outbound: options.outbound,
    openSecret: (subscriptionId, sealed) => openSubscriptionSecret(ctx, subscriptionId, sealed),
  });
  const opened: ChannelDriver[] = [];
  const driverFor = (stored: Selectable<SubscriptionTable>) => {
    const driver = drivers.driverFor(stored);
    opened.push(driver);
    return driver;
  };
  try {
    // The capture is prepared before the row exists: a delivery loop (of this process or another)
    // starts or restarts the source's capture when it sees the row, and two preparations at once
    // would race to create the same slot (one fails with duplicate_object).
    const resources = await subscribedResources(db, binding.sourceId);
    await prepareCapture(ctx, binding.sourceId, [...new Set([...resources, resourceId])]);
    await db.insertInto('subscriptions').values(row).execute();
    // The capture exists from here on: the snapshot is read after it, so nothing falls between.
    // A grant that does not allow this read fails on the first batch, and nothing stays.
    await runSnapshot(ctx, id, driverFor).catch(async (error: unknown) => {
      // The staging database failing a bulk snapshot: the subscription stays, and the
      // dispatcher takes the snapshot again (or it pauses, a conflicting table).
      if (!(error instanceof ChannelError)) throw error;
      const stored = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
      if (stored) await snapshotFailed(ctx, stored, error);
    });
  } catch (error) {
    await db.deleteFrom('subscriptions').where('id', '=', id).execute();
    await prepareCapture(ctx, binding.sourceId, await subscribedResources(db, binding.sourceId)).catch(
      () => undefined,
    );
    throw error;
  } finally {
    for (const driver of opened) await driver.close().catch(() => undefined);
    await drivers.close();
  }
  await logSubscription(ctx, 'subscription.created', actor, row, {}, options.requestId ?? null);
  const view = await getSubscription(db, actor, id);
  return channel.shownSecret ? { ...view, secret: channel.shownSecret } : view;
}

/** Pauses a subscription: nothing is delivered to it until it is resumed. */
export async function pauseSubscription(
  ctx: QueryContext,
  actor: Actor,
  id: string,
  requestId: string | null = null,
): Promise<SubscriptionView> {
  const db = ctx.store.db;
  const row = await ownRow(db, actor, id, 'subscription.operate');
  if (row.status === 'paused') throw new ConflictError('subscription_state_conflict', 'Already paused');
  await db
    .updateTable('subscriptions')
    .set({ status: 'paused', reason: 'consumer', updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await logSubscription(ctx, 'subscription.paused', actor, row, { reason: 'consumer' }, requestId);
  return getSubscription(db, actor, id);
}

/**
 * Resumes a paused subscription: changes made while it was paused were not kept for it, so a new
 * snapshot is taken (the grant decided afresh): rows it holds come as updates, new ones as
 * inserts, and the ones gone meanwhile as deletes; then changes flow again. A push channel's
 * retry state is cleared.
 */
export async function resumeSubscription(
  ctx: QueryContext,
  actor: Actor,
  id: string,
  requestId: string | null = null,
): Promise<SubscriptionView> {
  const db = ctx.store.db;
  const row = await ownRow(db, actor, id, 'subscription.operate');
  if (row.status !== 'paused') throw new ConflictError('subscription_state_conflict', 'Not paused');
  await db
    .updateTable('subscriptions')
    .set({
      status: 'snapshot',
      snapshot_epoch: row.snapshot_epoch + 1,
      lease_until: new Date(Date.now() + SNAPSHOT_LEASE_MS),
      attempts: 0,
      retry_until_seq: null,
      next_attempt_at: null,
      failing_since: null,
      last_error: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  try {
    await runSnapshot(ctx, id);
  } catch (error) {
    await db
      .updateTable('subscriptions')
      .set({ status: 'paused', lease_until: null, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    throw error;
  }
  await logSubscription(ctx, 'subscription.resumed', actor, row, { reason: row.reason }, requestId);
  return getSubscription(db, actor, id);
}

/** Deletes a subscription and its pending events; the source's capture shrinks (and its slot goes with the last one). */
export async function deleteSubscription(
  ctx: QueryContext,
  actor: Actor,
  id: string,
  requestId: string | null = null,
): Promise<void> {
  const db = ctx.store.db;
  const row = await ownRow(db, actor, id, 'subscription.manage');
  await db.deleteFrom('subscriptions').where('id', '=', id).execute();
  await logSubscription(ctx, 'subscription.deleted', actor, row, {}, requestId);
  await prepareCapture(ctx, row.source_id, await subscribedResources(db, row.source_id));
}
