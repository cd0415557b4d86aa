import { type Kysely, sql } from 'kysely';

/**
 * 可用不可见 (issue 15): a sandbox answer that fails the output checks waits here for the
 * provider's steward — the query, the result held server-side (never sent before approval) and
 * the check report — and is approved or refused with a reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('release_reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('provider_id', 'uuid', (c) => c.notNull())
    .addColumn('consumer_org_id', 'uuid', (c) => c.notNull())
    // `user:<id>` or `application:<id>`: who asked, and who may read the result once approved.
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('resources', 'jsonb', (c) => c.notNull())
    .addColumn('grant_ids', 'jsonb', (c) => c.notNull())
    .addColumn('sql', 'text', (c) => c.notNull())
    .addColumn('aliases', 'jsonb', (c) => c.notNull())
    .addColumn('columns', 'jsonb', (c) => c.notNull())
    .addColumn('rows', 'jsonb', (c) => c.notNull())
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_by', 'uuid')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('release_reviews_provider_idx')
    .on('release_reviews')
    .columns(['provider_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('release_reviews_requester_idx')
    .on('release_reviews')
    .columns(['requester', 'created_at'])
    .execute();
}

/** Drops the release reviews. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('release_reviews').execute();
}
