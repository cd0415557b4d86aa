import type { Kysely, Selectable } from 'kysely';
import { AppError, ConflictError, NotFoundError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { QueryContext } from '../query/index.js';
import type { Database, SubscriptionTable } from '../store/index.js';
import { logSubscription } from './audit-events.js';
import { type ChannelDriver, ChannelError } from './channels/types.js';
import { presentDeadLetter } from './presenters.js';
import { nextEvents, sendBatch } from './push-batch.js';
import type { DeadLetterView } from './schemas.js';
import { ownRow } from './subscriptions-read.js';

/** The dead letters of one of the organisation's subscriptions, newest first. */
export async function listDeadLetters(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
): Promise<DeadLetterView[]> {
  const row = await ownRow(db, actor, id);
  const rows = await db
    .selectFrom('subscription_dead_letters')
    .selectAll()
    .where('subscription_id', '=', row.id)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(presentDeadLetter);
}

/**
 * Sends a dead letter's events again, now, through the subscription's channel: released afresh
 * (the grant decided now, a new release entry), with their original event ids, so a receiver that
 * had them de-duplicates. A failure answers 502 with the channel's code and keeps the dead letter.
 */
export async function replayDeadLetter(
  ctx: QueryContext,
  actor: Actor,
  id: string,
  deadLetterId: string,
  driverFor: (row: Selectable<SubscriptionTable>) => ChannelDriver,
  requestId: string | null = null,
): Promise<DeadLetterView> {
  const db = ctx.store.db;
  const row = await ownRow(db, actor, id, 'subscription.operate');
  const letter = await db
    .selectFrom('subscription_dead_letters')
    .selectAll()
    .where('id', '=', deadLetterId)
    .where('subscription_id', '=', row.id)
    .executeTakeFirst();
  if (!letter) throw new NotFoundError('Dead letter', 'dead_letter_not_found');
  if (letter.replayed_at)
    throw new ConflictError('dead_letter_replayed', 'This dead letter was replayed already');
  const driver = driverFor(row);
  try {
    let after = Number(letter.first_seq) - 1;
    const last = Number(letter.last_seq);
    while (after < last) {
      const { events, snapshot } = await nextEvents(db, row, after, 500, last);
      if (events.length === 0) break;
      await sendBatch(ctx, row, driver, events, snapshot, requestId ?? `replay:${deadLetterId}:${after}`);
      after = (events.at(-1) as { seq: number }).seq;
    }
  } catch (error) {
    if (error instanceof ChannelError)
      throw new AppError(502, 'replay_failed', `The channel did not take the replay (${error.code})`);
    throw error;
  } finally {
    await driver.close().catch(() => undefined);
  }
  await db
    .updateTable('subscription_dead_letters')
    .set({ replayed_at: new Date() })
    .where('id', '=', deadLetterId)
    .execute();
  await logSubscription(
    ctx,
    'subscription.replayed',
    actor,
    row,
    { deadLetterId, events: letter.events },
    requestId,
  );
  return presentDeadLetter({ ...letter, replayed_at: new Date() });
}
