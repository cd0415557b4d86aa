import { type Kysely, sql } from 'kysely';

/**
 * Differentially private statistics as a use of a grant (issue 15): the use once called
 * `aggregate` is `statistics`; a grant of that use carries its ε budget (per day and in total),
 * and what has been spent is one row per grant, updated atomically by every process.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE access_requests SET use = 'statistics' WHERE use = 'aggregate'`.execute(db);
  await sql`UPDATE grants SET use = 'statistics' WHERE use = 'aggregate'`.execute(db);
  await db.schema
    .alterTable('grants')
    .addColumn('epsilon_per_day', 'double precision')
    .addColumn('epsilon_total', 'double precision')
    .execute();
  await db.schema
    .createTable('privacy_budget_spends')
    .addColumn('grant_id', 'uuid', (c) => c.primaryKey().references('grants.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    // In millionths of ε, so that sums of decimal ε never drift.
    .addColumn('day_micro', 'bigint', (c) => c.notNull())
    .addColumn('total_micro', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the budgets (the use's name stays `statistics`). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('privacy_budget_spends').execute();
  await db.schema.alterTable('grants').dropColumn('epsilon_per_day').dropColumn('epsilon_total').execute();
}
