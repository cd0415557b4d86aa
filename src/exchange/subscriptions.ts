import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { type Action, type Actor, authorize } from '../identity/index.js';
import {
  findBinding,
  prepareCapture,
  type QueryContext,
  type Subscriber,
  snapshotBatches,
} from '../query/index.js';
import type { Database } from '../store/index.js';
import { storeBatch } from './events.js';
import { heldKeys } from './held-keys.js';
import { presentSubscription } from './presenters.js';
import { getCatalogResourceId } from './resource-id.js';
import { type CreateSubscriptionInput, CreateSubscriptionSchema, type SubscriptionView } from './schemas.js';

type Db = Kysely<Database>;

/** The subscriber a stored subscription delivers as. */
export function subscriberOf(row: {
  id: string;
  actor: unknown;
  resource_code: string;
  fields: unknown;
  filter: unknown;
}): Subscriber {
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    subscriptionId: row.id,
    actor: parse<Actor>(row.actor),
    resourceCode: row.resource_code,
    fields: parse<string[] | null>(row.fields),
    filters: parse<Subscriber['filters']>(row.filter),
  };
}

/** The resources with subscriptions on a source (what its capture must cover). */
export async function subscribedResources(db: Db, sourceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select('resource_id')
    .distinct()
    .where('source_id', '=', sourceId)
    .execute();
  return rows.map((r) => r.resource_id);
}

/**
 * Subscribes a consumer application to a resource: checks the grant (through the query pipeline,
 * as a read would), prepares the source's capture so that no change is lost from here on, then
 * delivers the initial snapshot (enforced, one release entry per batch) and turns active.
 */
export async function createSubscription(
  ctx: QueryContext,
  actor: Actor,
  input: CreateSubscriptionInput,
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
    channel: JSON.stringify(parsed.channel),
    status: 'snapshot',
    reason: null,
    created_by: actor.applicationId,
    created_at: now,
    updated_at: now,
    last_delivery_at: null,
  };
  const subscriber = subscriberOf(row);
  await db.insertInto('subscriptions').values(row).execute();
  try {
    await prepareCapture(ctx, binding.sourceId, await subscribedResources(db, binding.sourceId));
    // The capture exists from here on: the snapshot is read after it, so nothing falls between.
    // A grant that does not allow this read fails on the first batch, and nothing stays.
    for await (const batch of snapshotBatches(ctx, subscriber, heldKeys(db, id)))
      await db.transaction().execute((tx) => storeBatch(tx, id, batch));
    await db
      .updateTable('subscriptions')
      .set({ status: 'active', updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  } catch (error) {
    await db.deleteFrom('subscriptions').where('id', '=', id).execute();
    await prepareCapture(ctx, binding.sourceId, await subscribedResources(db, binding.sourceId)).catch(
      () => undefined,
    );
    throw error;
  }
  return getSubscription(db, actor, id);
}

/** A subscription of the actor's organisation that the action is allowed on (another organisation's is as unknown as a missing one). */
export async function ownRow(db: Db, actor: Actor, id: string, action: Action = 'subscription.read') {
  authorize(actor, action);
  const row = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || actor.kind === 'anonymous' || row.org_id !== actor.orgId)
    throw new NotFoundError('Subscription', 'subscription_not_found');
  return row;
}

/** One subscription of the actor's organisation. */
export async function getSubscription(db: Db, actor: Actor, id: string): Promise<SubscriptionView> {
  return presentSubscription(await ownRow(db, actor, id));
}

/** The subscriptions of the actor's organisation, newest first. */
export async function listSubscriptions(db: Db, actor: Actor): Promise<SubscriptionView[]> {
  const reader = authorize(actor, 'subscription.read');
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('org_id', '=', reader.orgId)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(presentSubscription);
}

/** Pauses a subscription: nothing is delivered to it until it is deleted (resuming means subscribing again). */
export async function pauseSubscription(
  db: Db,
  actor: Actor,
  id: string,
  reason = 'consumer',
): Promise<SubscriptionView> {
  const row = await ownRow(db, actor, id, 'subscription.manage');
  if (row.status === 'paused') throw new ConflictError('subscription_state_conflict', 'Already paused');
  await db
    .updateTable('subscriptions')
    .set({ status: 'paused', reason, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  return getSubscription(db, actor, id);
}

/** Deletes a subscription and its pending events; the source's capture shrinks (and its slot goes with the last one). */
export async function deleteSubscription(ctx: QueryContext, actor: Actor, id: string): Promise<void> {
  const db = ctx.store.db;
  const row = await ownRow(db, actor, id, 'subscription.manage');
  await db.deleteFrom('subscriptions').where('id', '=', id).execute();
  await prepareCapture(ctx, row.source_id, await subscribedResources(db, row.source_id));
}
