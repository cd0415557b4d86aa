import type { Kysely } from 'kysely';

/**
 * The k-anonymity gate of open data (issue 15): an open release names its quasi-identifiers
 * (准标识符) and the k its released rows must reach; null for a release without the gate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('open_releases')
    .addColumn('quasi_identifiers', 'jsonb')
    .addColumn('k', 'integer')
    .execute();
}

/** Drops the gate's columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('open_releases').dropColumn('quasi_identifiers').dropColumn('k').execute();
}
