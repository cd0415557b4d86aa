import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { QueryContext } from '../query/index.js';
import type { SubscriptionTable } from '../store/index.js';
import { logSubscription } from './audit-events.js';
import { DEAD_LETTER_AFTER_MS, nextRetryDelay } from './channels/backoff.js';
import { type ChannelDriver, ChannelError } from './channels/types.js';
import { isGrantStop, nextEvents, sendBatch } from './push-batch.js';
import { takeOverSnapshots } from './snapshot-recovery.js';
import { onEventsStored } from './wake.js';

type Row = Selectable<SubscriptionTable>;

const NATS_BATCH = 5_000;

/** How the dispatcher finds a driver for a subscription, and how it is tuned. */
export interface DispatcherOptions {
  /** The channel's driver for this subscription (its stored channel and opened secret). */
  driverFor(row: Row): ChannelDriver;
  onError(subscriptionId: string, error: unknown): void;
  tickMs?: number;
  batchSize?: number;
  /** How long one process holds a subscription while it sends (renewed per batch). */
  leaseMs?: number;
  deadLetterAfterMs?: number;
  random?: () => number;
}

/** The running dispatcher. */
export interface Dispatcher {
  /** Looks once at every push subscription with events waiting and sends what it can. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Sends push subscriptions' stored events through their channels (webhook, NATS, staging
 * database), in sequence order, each batch released (grant decided afresh, entry durable) before
 * it is sent. A subscription is leased to one process at a time, so its batches stay in order; a
 * failed batch is retried with backoff and jitter, and after `deadLetterAfterMs` (24 h) parked as
 * a dead letter so the next ones can go; a channel that refuses for good (a conflicting staging
 * table, a 4xx endpoint) or a grant that no longer allows pauses the subscription with the code.
 */
export function startDispatcher(ctx: QueryContext, options: DispatcherOptions): Dispatcher {
  const db = ctx.store.db;
  const tickMs = options.tickMs ?? 1000;
  const batchSize = options.batchSize ?? 500;
  // Longer than one send (a webhook's 10 s timeout) and renewed per batch; after a crash the
  // subscription waits this long for another process.
  const leaseMs = options.leaseMs ?? 30_000;
  const deadAfter = options.deadLetterAfterMs ?? DEAD_LETTER_AFTER_MS;
  const drivers = new Map<string, { channel: string; driver: ChannelDriver }>();
  let stopped = false;
  let ticking: Promise<void> | undefined;
  // Bulk snapshots taken over (a crashed process's, or one due again), running beside the ticks.
  const snapshots = new Map<string, Promise<void>>();
  let again = false;

  // A staging database loads the snapshot in bulk: its commits, not the rows, bound the rate, so
  // the snapshot goes in batches of 10,000 (a crash repeats at most one; the position skips it).
  // NATS publishes a batch's messages pipelined (acks awaited together, ids de-duplicated by the
  // server), so a batch's fixed cost — reading the events, the release entry, the position — is
  // what bounds it: batches of 5,000.
  const limitOf = (row: Row, after: number) => {
    const kind = (row.channel as unknown as { kind?: string }).kind;
    if (kind === 'staging' && after < Number(row.snapshot_last_seq)) return Math.max(batchSize, 10_000);
    return kind === 'nats' ? Math.max(batchSize, NATS_BATCH) : batchSize;
  };

  const driverOf = (row: Row) => {
    const channel = JSON.stringify(row.channel);
    const known = drivers.get(row.id);
    if (known?.channel === channel) return known.driver;
    void known?.driver.close().catch(() => undefined);
    const driver = options.driverFor(row);
    drivers.set(row.id, { channel, driver });
    return driver;
  };

  const claim = async (id: string): Promise<Row | undefined> => {
    const now = new Date();
    const claimed = await db
      .updateTable('subscriptions')
      .set({ lease_until: new Date(now.getTime() + leaseMs) })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return undefined;
    return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  };

  // Only the delivery lease of an active subscription is ours to drop: one set back to `snapshot`
  // meanwhile (resumed, or taken again) holds a snapshot lease of another run.
  const release = (id: string) =>
    db
      .updateTable('subscriptions')
      .set({ lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .execute();

  const pause = async (row: Row, code: string) => {
    await db
      .updateTable('subscriptions')
      .set({ status: 'paused', reason: code, last_error: code, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await logSubscription(ctx, 'subscription.paused', null, row, { reason: code });
  };

  const failed = async (row: Row, first: number, last: number, count: number, code: string) => {
    const now = new Date();
    const attempts = row.attempts + 1;
    const since = row.failing_since ? new Date(row.failing_since) : now;
    if (now.getTime() - since.getTime() >= deadAfter) {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('subscription_dead_letters')
          .values({
            id: randomUUID(),
            subscription_id: row.id,
            first_seq: first,
            last_seq: last,
            events: count,
            error: code,
            attempts,
            created_at: now,
            replayed_at: null,
          })
          .execute();
        await tx
          .updateTable('subscriptions')
          .set({
            delivered_seq: last,
            attempts: 0,
            retry_until_seq: null,
            failing_since: null,
            next_attempt_at: null,
            last_error: code,
          })
          .where('id', '=', row.id)
          .execute();
      });
      await logSubscription(ctx, 'subscription.dead_lettered', null, row, {
        firstSeq: first,
        lastSeq: last,
        events: count,
        error: code,
        attempts,
      });
      return;
    }
    await db
      .updateTable('subscriptions')
      .set({
        attempts,
        retry_until_seq: last,
        failing_since: since,
        last_error: code,
        next_attempt_at: new Date(now.getTime() + nextRetryDelay(attempts, options.random)),
      })
      .where('id', '=', row.id)
      .execute();
  };

  // Sends a claimed subscription's waiting batches, up to a few per tick so that others get a turn.
  const drain = async (start: Row) => {
    let row = start;
    for (let sent = 0; sent < 20 && !stopped; sent++) {
      const after = Number(row.delivered_seq);
      // A retry sends the very batch that failed (same events, same webhook-id), not what came since.
      const until = row.retry_until_seq === null ? undefined : Number(row.retry_until_seq);
      const { events, snapshot } = await nextEvents(db, row, after, limitOf(row, after), until);
      if (events.length === 0) return;
      const first = (events[0] as { seq: number }).seq;
      const last = (events.at(-1) as { seq: number }).seq;
      try {
        await sendBatch(ctx, row, driverOf(row), events, snapshot, `subscription:${row.id}:${first}`);
      } catch (error) {
        if (isGrantStop(error)) return pause(row, error.code);
        if (error instanceof ChannelError && !error.retryable) return pause(row, error.code);
        options.onError(row.id, error);
        const code = error instanceof ChannelError ? error.code : 'delivery_failed';
        return failed(row, first, last, events.length, code);
      }
      const now = new Date();
      await db
        .updateTable('subscriptions')
        .set({
          delivered_seq: last,
          attempts: 0,
          retry_until_seq: null,
          failing_since: null,
          next_attempt_at: null,
          last_error: null,
          last_delivery_at: now,
          lease_until: new Date(now.getTime() + leaseMs),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'active')
        .execute();
      row = { ...row, delivered_seq: last, attempts: 0, failing_since: null, retry_until_seq: null };
    }
    again = true;
  };

  // Looked for at most once a second, beside the ticks (not holding them up).
  let lookedAt = 0;
  let looking: Promise<void> | undefined;
  const takeOver = () => {
    if (stopped || looking || Date.now() - lookedAt < 1000) return;
    lookedAt = Date.now();
    looking = takeOverSnapshots(ctx, new Set(snapshots.keys()), driverOf, options.onError, options.random)
      .then((started) => {
        for (const { id, done } of started)
          snapshots.set(
            id,
            done.finally(() => snapshots.delete(id)),
          );
      })
      .catch((error: unknown) => options.onError('*', error))
      .finally(() => {
        looking = undefined;
      });
  };

  const once = async () => {
    takeOver();
    const now = new Date();
    const waiting = await db
      .selectFrom('subscriptions as s')
      .select(['s.id', 's.channel'])
      .where('s.status', '=', 'active')
      .where((eb) => eb.or([eb('s.next_attempt_at', 'is', null), eb('s.next_attempt_at', '<=', now)]))
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('subscription_events as e')
            .select(sql`1`.as('one'))
            .whereRef('e.subscription_id', '=', 's.id')
            .whereRef('e.seq', '>', 's.delivered_seq'),
        ),
      )
      .execute();
    const push = waiting.filter((w) => (w.channel as unknown as { kind?: string }).kind !== 'pull');
    await Promise.all(
      push.map(async ({ id }) => {
        const row = await claim(id);
        if (!row) return;
        try {
          await drain(row);
        } catch (error) {
          options.onError(id, error);
        } finally {
          await release(id).catch(() => undefined);
        }
      }),
    );
  };

  const tick = (): Promise<void> => {
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = once()
      .catch((error: unknown) => options.onError('*', error))
      .finally(() => {
        ticking = undefined;
        if (again && !stopped) {
          again = false;
          void tick();
        }
      });
    return ticking;
  };

  const unlisten = onEventsStored(() => void tick());
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unlisten();
      await ticking;
      await looking;
      await Promise.all(snapshots.values());
      await Promise.all([...drivers.values()].map((d) => d.driver.close().catch(() => undefined)));
      drivers.clear();
    },
  };
}
