import { type Kysely, sql } from 'kysely';

/**
 * 可用不可见 (issue 15): a held sandbox answer is computed over detail the analyst may not see, so
 * its rows are stored sealed (`sealed_rows`, AES-256-GCM under the credentials key, bound to the
 * review's id) instead of in clear (`rows`). The key is not loaded here — a migration runs from the
 * store alone, and must not create a key file as a side effect — so rows held before stay in
 * `rows` and the platform seals them when it starts (query/sandbox-release/held-rows.ts). The
 * count the API shows moves to `row_count`, so that listing reviews opens no answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('release_reviews')
    .addColumn('sealed_rows', 'text')
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .alterColumn('rows', (c) => c.dropNotNull())
    .execute();
  await sql`UPDATE release_reviews SET row_count = jsonb_array_length(rows)
    WHERE jsonb_typeof(rows) = 'array'`.execute(db);
}

/**
 * Back to clear rows only where they are still clear: a sealed answer cannot be opened without
 * the key, so the way down refuses while one exists rather than drop it unseen.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM release_reviews
    WHERE sealed_rows IS NOT NULL`.execute(db);
  if (rows[0]!.n > 0)
    throw new Error(
      'Sealed held answers cannot be returned to clear by a migration: decide or delete them first',
    );
  await db.schema
    .alterTable('release_reviews')
    .dropColumn('sealed_rows')
    .dropColumn('row_count')
    .alterColumn('rows', (c) => c.setNotNull())
    .execute();
}
