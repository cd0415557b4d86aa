import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import { type Action, type Actor, authorize } from '../identity/index.js';
import type { Subscriber } from '../query/index.js';
import type { Database } from '../store/index.js';
import { deliveryFacts, presentSubscription } from './presenters.js';
import type { SubscriptionView } from './schemas.js';

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

/** A subscription of the actor's organisation that the action is allowed on (another organisation's is as unknown as a missing one). */
export async function ownRow(db: Db, actor: Actor, id: string, action: Action = 'subscription.read') {
  authorize(actor, action);
  const row = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || actor.kind === 'anonymous' || row.org_id !== actor.orgId)
    throw new NotFoundError('Subscription', 'subscription_not_found');
  authorize(actor, action, { orgId: row.org_id });
  return row;
}

/** One subscription of the actor's organisation. */
export async function getSubscription(db: Db, actor: Actor, id: string): Promise<SubscriptionView> {
  const row = await ownRow(db, actor, id);
  return presentSubscription(row, (await deliveryFacts(db, [id])).get(id));
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
  const facts = await deliveryFacts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentSubscription(r, facts.get(r.id)));
}
