import type { Kysely } from 'kysely';

/**
 * Push delivery of subscriptions (issue 16): where each subscription's channel stands (the last
 * sequence number it has, its failed attempts and when to try again, a lease so that one process
 * sends a subscription's batches at a time), its sealed channel secret (a webhook's signing
 * secret, a staging database's password), the batches parked as dead letters after 24 h of
 * failures, and scheduled full exports.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('subscriptions')
    .addColumn('delivered_seq', 'int8', (c) => c.notNull().defaultTo(0))
    // The last sequence number of the latest snapshot: a staging database loads up to it in bulk.
    .addColumn('snapshot_last_seq', 'int8', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // While a batch is in retry, its last sequence number: the retry sends that same batch.
    .addColumn('retry_until_seq', 'int8')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('failing_since', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('channel_secret', 'text')
    .addColumn('snapshot_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('subscription_dead_letters')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('first_seq', 'int8', (c) => c.notNull())
    .addColumn('last_seq', 'int8', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('replayed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('subscription_dead_letters_sub')
    .on('subscription_dead_letters')
    .columns(['subscription_id', 'created_at'])
    .execute();
}
