import { type Kysely, sql } from 'kysely';

/**
 * Catalog search at 100,000 resources (issue 22): the facet filters of a search are served by a
 * GIN index too, so that PostgreSQL intersects them with the text's GIN index (BitmapAnd) and
 * reads from the heap only the resources that match everything, not every resource that holds
 * the word. The index is on an expression (no stored column), so backups keep their columns.
 *
 * `resource_facet_terms` gives one term per facet value ('g:important', 'u:monthly', …) and, for
 * the two codes filtered by prefix, one term per prefix length ('c:1', 'c:10', 'c:101', …;
 * 'r:35', 'r:350', …, 'r:350200'), so that `code LIKE '101%'` is the term 'c:101'. Search keeps
 * every original condition as well: the terms only choose the candidates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const prefixes = (column: string, tag: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `'${tag}:' || substr(${column}, 1, ${from + i})`).join(
      ', ',
    );
  await sql
    .raw(`CREATE FUNCTION resource_facet_terms(
      status text, provider_id uuid, classification_code text, sharing_type text, open_type text,
      grade text, format text, update_cycle text, provider_region text, provider_level text
    ) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ARRAY[
        'st:' || status, 'p:' || provider_id::text, ${prefixes('classification_code', 'c', 1, 12)},
        's:' || sharing_type, 'o:' || open_type, 'g:' || grade, 'f:' || format, 'u:' || update_cycle,
        ${prefixes('provider_region', 'r', 2, 6)}, 'l:' || provider_level]
    $$`)
    .execute(db);
  await sql`CREATE INDEX resources_facets_idx ON resources USING gin (resource_facet_terms(
      status, provider_id, classification_code, sharing_type, open_type, grade, format, update_cycle,
      provider_region::text, provider_level))`.execute(db);
  // The planner needs the expression's statistics to intersect the indexes; without them it
  // would guess until autovacuum next analyses the table.
  await sql`ANALYZE resources`.execute(db);
}

/** Drops the index and its function. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX resources_facets_idx`.execute(db);
  await sql`DROP FUNCTION resource_facet_terms`.execute(db);
}
