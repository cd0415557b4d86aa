import type { Kysely } from 'kysely';

/**
 * Leak tracing (数据溯源, issue 18): per resource item, the steward's marking settings — the
 * item whose value keys each row's marks, and the tolerant items with their tolerance (a number's
 * precision, a time's seconds). Nothing is kept per delivery: the marks are re-derived from the
 * platform secret and read back from the leaked values alone (docs/tracing.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tracing_items')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('item', 'text', (c) => c.notNull())
    // key | number | time
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('tolerance', 'float8')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('tracing_items_pk', ['resource_id', 'item'])
    .execute();
}
