import { type Caller, type QueryContext, releaseEvents } from '../query/index.js';
import { type DeliveredEvent, readEvents } from './events.js';
import { waitForEvents } from './long-poll.js';
import type { EventsQuery } from './schemas.js';
import { ownRow } from './subscriptions-read.js';

/** A page of events as the pull channel answers it. */
export interface EventsPage {
  subscriptionId: string;
  events: DeliveredEvent[];
  /** The sequence number to ask after next (the last one here, or `after` when none came). */
  next: number;
}

/**
 * The pull channel (GET /subscriptions/{id}/changes): the events of one of the caller's own
 * subscriptions after `after`, waiting up to `wait` seconds for one when none is there (long
 * polling, for consumers behind firewalls), then released through query/ (the grant decided
 * afresh, a release entry under the request). Returns the JSON body as logged.
 */
export async function pullEvents(
  ctx: QueryContext,
  caller: Caller,
  id: string,
  query: EventsQuery,
  signal?: AbortSignal,
): Promise<string> {
  const row = await ownRow(ctx.store.db, caller.actor, id, 'subscription.manage');
  if (query.wait > 0) await waitForEvents(ctx.store.db, row.id, query.after, query.wait * 1000, signal);
  return releaseEvents<EventsPage>(
    ctx,
    caller,
    { id: row.id, resourceCode: row.resource_code },
    query.after,
    async () => {
      const events = await readEvents(ctx.store.db, row.id, query.after, query.limit);
      return { subscriptionId: row.id, events, next: events.at(-1)?.seq ?? query.after };
    },
    (page) => page.events.length,
  );
}
