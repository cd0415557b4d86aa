import type { Kysely } from 'kysely';

/**
 * Noise on the answers of a sandbox grant (issue 15, 可用不可见 with differential privacy): the ε of
 * each released aggregate, null for a grant whose answers are exact. Such a grant spends from the
 * ε budget of migration 0010 (`epsilon_per_day`, `epsilon_total`, `privacy_budget_spends`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('grants').addColumn('sandbox_epsilon', 'double precision').execute();
}

/** Drops the column: every sandbox grant answers exactly again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('grants').dropColumn('sandbox_epsilon').execute();
}
