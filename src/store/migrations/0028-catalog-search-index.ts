import { type Kysely, sql } from 'kysely';

/**
 * Catalog search at 100,000 resources (issue 22). The search index now holds, beside the words
 * of each resource, one term per facet value ('g:important', 'u:monthly', …; for the two codes
 * filtered by prefix one term per prefix length: 'c:1', 'c:10', 'c:101', …, 'r:35', …,
 * 'r:350200'; the format as its md5, since it is free text). A search with words and facet
 * filters is then one GIN lookup that intersects them all inside the index, and the heap is read
 * only for the resources that match everything, not for every resource that holds the word.
 * The index is on an expression (no stored column), so backups keep their columns; words never
 * hold ':' (tokenize.ts keeps letters and digits only), so a term never meets a word.
 *
 * Without the pending list (fastupdate off) every search stops scanning the recent inserts
 * linearly; the catalog is written rarely and read often.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const prefixes = (column: string, tag: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `'${tag}:' || substr(${column}, 1, ${from + i})`).join(
      ', ',
    );
  await sql
    .raw(`CREATE FUNCTION resource_search_terms(
      status text, provider_id uuid, classification_code text, sharing_type text, open_type text,
      grade text, format text, update_cycle text, provider_region text, provider_level text
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT array_to_tsvector(ARRAY[
        'st:' || status, 'p:' || provider_id::text, ${prefixes('classification_code', 'c', 1, 12)},
        's:' || sharing_type, 'o:' || open_type, 'g:' || grade, 'f:' || md5(format), 'u:' || update_cycle,
        ${prefixes('provider_region', 'r', 2, 6)}, 'l:' || provider_level])
    $$`)
    .execute(db);
  await sql`DROP INDEX resources_search_idx`.execute(db);
  await sql`CREATE INDEX resources_search_idx ON resources USING gin ((search_doc || resource_search_terms(
      status, provider_id, classification_code, sharing_type, open_type, grade, format, update_cycle,
      provider_region::text, provider_level))) WITH (fastupdate = off)`.execute(db);
  await sql`ALTER INDEX resources_tags_idx SET (fastupdate = off)`.execute(db);
  await sql`SELECT gin_clean_pending_list('resources_tags_idx'::regclass)`.execute(db);
  // The planner needs the expression's statistics to choose the index; without them it would
  // guess until autovacuum next analyses the table.
  await sql`ANALYZE resources`.execute(db);
}

/** Restores the words-only index. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX resources_search_idx`.execute(db);
  await sql`CREATE INDEX resources_search_idx ON resources USING gin (search_doc)`.execute(db);
  await sql`ALTER INDEX resources_tags_idx RESET (fastupdate)`.execute(db);
  await sql`DROP FUNCTION resource_search_terms`.execute(db);
}
