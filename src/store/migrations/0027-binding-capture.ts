import type { Kysely } from 'kysely';

/**
 * How a resource's changes are captured when the source has no change log to read (issue 16):
 * the steward names, on the binding, the key columns and the incremental column (JSON, null when
 * the source's own change log and primary key suffice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resource_bindings').addColumn('capture', 'jsonb').execute();
}

/** Drops the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resource_bindings').dropColumn('capture').execute();
}
