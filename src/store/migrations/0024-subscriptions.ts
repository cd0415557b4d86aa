import type { Kysely } from 'kysely';

/**
 * Subscriptions and push delivery (订阅推送, issue 16): each subscription, the keys of the rows a
 * subscriber currently holds (keyed hashes, so that a row leaving the row filter is sent as a
 * delete and one entering it as an insert; no provider value is kept), the outbox of enforced
 * events waiting for their channel, and each source's captured position.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    // The application actor deliveries run as (its key id and roles when it subscribed).
    .addColumn('actor', 'jsonb', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb')
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('channel', 'jsonb', (c) => c.notNull())
    // snapshot → active; paused (by the consumer, or with a coded reason); deleted rows are gone.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_delivery_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('subscriptions_source').on('subscriptions').column('source_id').execute();
  await db.schema.createIndex('subscriptions_org').on('subscriptions').column('org_id').execute();

  await db.schema
    .createTable('subscription_keys')
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_keys_pk', ['subscription_id', 'key_hash'])
    .execute();

  await db.schema
    .createTable('subscription_events')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    // Derived from the source position and the change's place in it: a repeat keeps its id.
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    // The enforced (masked, filtered) key and row, as the subscriber receives them.
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('release_index', 'int8')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subscription_events_order')
    .on('subscription_events')
    .columns(['subscription_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('subscription_events_id')
    .on('subscription_events')
    .columns(['subscription_id', 'event_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('capture_positions')
    .addColumn('source_id', 'text', (c) => c.primaryKey())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
