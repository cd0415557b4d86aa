import { type Kysely, sql } from 'kysely';

/**
 * Objections (异议处理, issue 19 item 3): a consumer says that rows of a resource are wrong; the
 * provider corrects them at the source or explains; the consumer confirms or reopens. One row per
 * objection, and one per disputed row key, so that a read can mark the rows under objection.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('objections')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull())
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull())
    .addColumn('consumer_id', 'uuid', (c) => c.notNull())
    // A user's or an API key's id: who raised it, for the consumer's "mine".
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('key_column', 'text', (c) => c.notNull())
    .addColumn('row_keys', 'jsonb', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('expected', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'corrected', 'explained', 'reopened', 'confirmed')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // The deadline's start: the filing, then each reopening.
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('history', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('objections_resource_idx')
    .on('objections')
    .columns(['resource_id', 'status'])
    .execute();
  await db.schema
    .createIndex('objections_provider_idx')
    .on('objections')
    .columns(['provider_id', 'status'])
    .execute();
  await db.schema
    .createIndex('objections_consumer_idx')
    .on('objections')
    .columns(['consumer_id', 'status'])
    .execute();
  await db.schema
    .createTable('objection_rows')
    .addColumn('objection_id', 'uuid', (c) => c.notNull().references('objections.id').onDelete('cascade'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull())
    .addColumn('key_column', 'text', (c) => c.notNull())
    .addColumn('key_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('objection_rows_pk', ['objection_id', 'key_value'])
    .execute();
  await db.schema
    .createIndex('objection_rows_lookup_idx')
    .on('objection_rows')
    .columns(['resource_id', 'key_column', 'key_value'])
    .execute();
}

/** Drops both tables: no row is marked disputed any more. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['objection_rows', 'objections']) await db.schema.dropTable(table).execute();
}
