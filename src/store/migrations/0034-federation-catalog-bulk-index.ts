import { type Kysely, sql } from 'kysely';

/**
 * The parent's search index of reported entries takes a report's words in bulk (issue 17, report-up
 * of 10,000 entries): with fastupdate off, GIN inserts each entry's terms one by one, about 2 ms of
 * CPU an entry (bench/federation/apply-cost.ts), most of a report's cost. With the pending list on,
 * a report's terms are appended and then merged once, by the report itself
 * (gin_clean_pending_list in applyReport): searches still find no pending list to scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER INDEX federation_catalog_entries_search SET (fastupdate = on)`.execute(db);
}

/** Turns the pending list off again: entries go into the index one by one. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER INDEX federation_catalog_entries_search SET (fastupdate = off)`.execute(db);
}
