import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../errors/index.js';
import { type QueryContext, releaseEvents } from '../query/index.js';
import type { Database, SubscriptionTable } from '../store/index.js';
import type { ChannelDriver, PushBatch } from './channels/types.js';
import { type DeliveredEvent, readEvents } from './events.js';
import { subscriberOf } from './subscriptions-read.js';

type Row = Selectable<SubscriptionTable>;

/** Refusals of the grant that pause a subscription with their code rather than retry. */
export const GRANT_STOPS = new Set([
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
]);

/** Whether an error is the grant (or the key) no longer allowing delivery. */
export function isGrantStop(error: unknown): error is AppError {
  return error instanceof AppError && (GRANT_STOPS.has(error.code) || error.status === 403);
}

/**
 * The next events of a subscription after `after`, never mixing its snapshot (which a staging
 * database loads in bulk) with later changes.
 */
export async function nextEvents(
  db: Kysely<Database>,
  row: Row,
  after: number,
  limit: number,
  until = Number.POSITIVE_INFINITY,
): Promise<{ events: DeliveredEvent[]; snapshot: boolean }> {
  const read = await readEvents(db, row.id, after, limit);
  const events = read.filter((e) => e.seq <= until);
  const snapshotEnd = Number(row.snapshot_last_seq);
  const snapshot = events.length > 0 && (events[0] as DeliveredEvent).seq <= snapshotEnd;
  return { events: events.filter((e) => e.seq <= snapshotEnd === snapshot), snapshot };
}

/**
 * Releases a batch and hands it to the channel: the grant is decided afresh and the release entry
 * (resource, grant, rows, bytes, SHA-256 of the body) is durable before a byte is sent, as the
 * subscription's application. Throws what the grant or the channel throws.
 */
export async function sendBatch(
  ctx: QueryContext,
  row: Row,
  driver: ChannelDriver,
  events: DeliveredEvent[],
  snapshot: boolean,
  requestId: string,
): Promise<void> {
  const subscriber = subscriberOf(row);
  const after = (events[0] as DeliveredEvent).seq - 1;
  let batch: PushBatch | undefined;
  await releaseEvents(
    ctx,
    { actor: subscriber.actor, ip: '', requestId },
    { id: row.id, resourceCode: row.resource_code },
    after,
    async (granted) => {
      const wanted = subscriber.fields ? new Set(subscriber.fields) : null;
      const columns = granted.filter((c) => !wanted || wanted.has(c.name));
      const body = JSON.stringify({
        type: 'huitong.subscription.events',
        subscriptionId: row.id,
        resourceCode: row.resource_code,
        snapshot,
        events,
      });
      batch = {
        target: {
          subscriptionId: row.id,
          orgId: row.org_id,
          applicationId: row.application_id,
          resourceCode: row.resource_code,
        },
        events,
        columns,
        keyColumns: Object.keys(events.find((e) => Object.keys(e.key).length > 0)?.key ?? {}),
        snapshot,
        body,
      };
      return batch;
    },
    (b) => b.events.length,
    (b) => b.body,
  );
  // The body released is the body sent: its SHA-256 is in the entry.
  await driver.deliver(batch as PushBatch);
}
