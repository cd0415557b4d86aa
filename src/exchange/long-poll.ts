import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { onEventsStored } from './wake.js';

// Another process may store the events: look in the store this often besides the in-process wake-up.
const POLL_MS = 500;

async function hasEventsAfter(db: Kysely<Database>, subscriptionId: string, after: number) {
  const row = await db
    .selectFrom('subscription_events')
    .select('seq')
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '>', after as never)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Long polling: resolves as soon as the subscription has an event after `after`, or after
 * `waitMs` (or when `signal` aborts: the client went away). Nothing is read or released here.
 */
export async function waitForEvents(
  db: Kysely<Database>,
  subscriptionId: string,
  after: number,
  waitMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  let wake: (() => void) | undefined;
  const stop = onEventsStored((ids) => {
    if (ids.includes(subscriptionId)) wake?.();
  });
  try {
    while (Date.now() < deadline && !signal?.aborted) {
      if (await hasEventsAfter(db, subscriptionId, after)) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  } finally {
    stop();
  }
}
