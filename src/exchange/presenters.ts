import type { Kysely, Selectable } from 'kysely';
import type { Database, SubscriptionDeadLetterTable, SubscriptionTable } from '../store/index.js';
import type { ChannelView, DeadLetterView, SubscriptionStatus, SubscriptionView } from './schemas.js';

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** What the presenter needs beyond the row: the newest stored event and the dead letters waiting. */
export interface DeliveryFacts {
  latestSeq: number;
  deadLetters: number;
}

/** The delivery facts of some subscriptions, two grouped queries whatever their number. */
export async function deliveryFacts(
  db: Kysely<Database>,
  ids: string[],
): Promise<Map<string, DeliveryFacts>> {
  const facts = new Map<string, DeliveryFacts>(ids.map((id) => [id, { latestSeq: 0, deadLetters: 0 }]));
  if (ids.length === 0) return facts;
  const latest = await db
    .selectFrom('subscription_events')
    .select((eb) => ['subscription_id', eb.fn.max('seq').as('latest')])
    .where('subscription_id', 'in', ids)
    .groupBy('subscription_id')
    .execute();
  for (const r of latest) {
    const f = facts.get(r.subscription_id);
    if (f) f.latestSeq = Number(r.latest ?? 0);
  }
  const dead = await db
    .selectFrom('subscription_dead_letters')
    .select((eb) => ['subscription_id', eb.fn.countAll().as('n')])
    .where('subscription_id', 'in', ids)
    .where('replayed_at', 'is', null)
    .groupBy('subscription_id')
    .execute();
  for (const r of dead) {
    const f = facts.get(r.subscription_id);
    if (f) f.deadLetters = Number(r.n);
  }
  return facts;
}

/** A stored subscription as the API shows it (never its actor's key, its secret or the source behind it). */
export function presentSubscription(
  row: Selectable<SubscriptionTable>,
  facts: DeliveryFacts = { latestSeq: 0, deadLetters: 0 },
): SubscriptionView {
  const channel = parse<ChannelView>(row.channel);
  const push = channel.kind !== 'pull';
  const delivered = push ? Number(row.delivered_seq) : facts.latestSeq;
  return {
    id: row.id,
    orgId: row.org_id,
    applicationId: row.application_id,
    resourceCode: row.resource_code,
    fields: parse<string[] | null>(row.fields),
    filter: parse<unknown[]>(row.filter),
    channel,
    status: row.status as SubscriptionStatus,
    reason: row.reason,
    createdAt: iso(row.created_at) as string,
    lastDeliveryAt: iso(row.last_delivery_at),
    delivery: {
      deliveredSeq: delivered,
      latestSeq: facts.latestSeq,
      lag: Math.max(0, facts.latestSeq - delivered),
      attempts: row.attempts,
      nextAttemptAt: iso(row.next_attempt_at),
      failingSince: iso(row.failing_since),
      lastError: row.last_error,
      deadLetters: facts.deadLetters,
    },
  };
}

/** A dead letter as the API shows it. */
export function presentDeadLetter(row: Selectable<SubscriptionDeadLetterTable>): DeadLetterView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    events: row.events,
    error: row.error,
    attempts: row.attempts,
    createdAt: iso(row.created_at) as string,
    replayedAt: iso(row.replayed_at),
  };
}
