import type { Kysely } from 'kysely';

/**
 * Verification limits shared by every process: one row per consumer (organisation, or address for
 * anonymous callers) and resource, with the current minute's window and the current day's count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('verification_limits')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('window_count', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('day_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_limits_pkey', ['consumer', 'resource_id'])
    .execute();
}

/** Drops the verification limits. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('verification_limits').execute();
}
