import type { Selectable } from 'kysely';
import type { SubscriptionTable } from '../store/index.js';
import type { Channel, SubscriptionStatus, SubscriptionView } from './schemas.js';

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A stored subscription as the API shows it (never its actor's key or the source behind it). */
export function presentSubscription(row: Selectable<SubscriptionTable>): SubscriptionView {
  return {
    id: row.id,
    orgId: row.org_id,
    applicationId: row.application_id,
    resourceCode: row.resource_code,
    fields: parse<string[] | null>(row.fields),
    filter: parse<unknown[]>(row.filter),
    channel: parse<Channel>(row.channel),
    status: row.status as SubscriptionStatus,
    reason: row.reason,
    createdAt: iso(row.created_at) as string,
    lastDeliveryAt: iso(row.last_delivery_at),
  };
}
