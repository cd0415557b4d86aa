import { type Kysely, sql } from 'kysely';

/**
 * Catalog reporting (目录上报与汇聚, issue 17). On every node: a change sequence over the catalog
 * (a trigger records, for each resource written, the next value of catalog_change_seq, so that no
 * write path can forget it) and the state of its reports to its parent. On a parent: the entries
 * its children reported (with their origin node), which organisation belongs to which node, and
 * each child's cursor and last synchronisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE catalog_change_seq`.execute(db);
  await db.schema
    .createTable('federation_catalog_changes')
    .addColumn('resource_id', 'uuid', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('federation_catalog_changes_seq')
    .on('federation_catalog_changes')
    .column('seq')
    .execute();
  await sql`CREATE FUNCTION federation_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO federation_catalog_changes (resource_id, seq) VALUES (NEW.id, nextval('catalog_change_seq'))
        ON CONFLICT (resource_id) DO UPDATE SET seq = excluded.seq;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER resources_federation_changed AFTER INSERT OR UPDATE ON resources
    FOR EACH ROW EXECUTE FUNCTION federation_catalog_changed()`.execute(db);
  // Resources written before this migration are changes too: the first report carries them all.
  await sql`INSERT INTO federation_catalog_changes (resource_id, seq)
    SELECT id, nextval('catalog_change_seq') FROM resources ORDER BY updated_at, id`.execute(db);

  await db.schema
    .createTable('federation_catalog_report')
    // One row: this node's reporting to its parent.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    // The last change sequence the parent acknowledged.
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('federation_catalog_entries')
    .addColumn('origin_node_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'uuid', (c) => c.notNull())
    // The child that reported it (the origin itself, or the province that relayed a city's).
    .addColumn('via_node_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('classification_code', 'text', (c) => c.notNull())
    .addColumn('sharing_type', 'text', (c) => c.notNull())
    .addColumn('open_type', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('provider_region', 'text', (c) => c.notNull())
    .addColumn('provider_level', 'text', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull())
    .addColumn('view', 'jsonb', (c) => c.notNull())
    // Words and facet terms (the same terms as resource_search_terms, and 'n:' + origin node).
    .addColumn('search_doc', sql`tsvector`, (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    // The sender's change sequence of the last change applied: an older one changes nothing.
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    // From catalog_change_seq: a provincial node reports its cities' entries up with its own.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_catalog_entries_pk', ['origin_node_id', 'resource_id'])
    .execute();
  await sql`CREATE INDEX federation_catalog_entries_search ON federation_catalog_entries
    USING gin (search_doc) WITH (fastupdate = off)`.execute(db);
  await db.schema
    .createIndex('federation_catalog_entries_seq')
    .on('federation_catalog_entries')
    .column('seq')
    .execute();

  await db.schema
    .createTable('federation_catalog_orgs')
    // An organisation belongs to the node that first reported it; no other node may claim it.
    .addColumn('org_id', 'uuid', (c) => c.primaryKey())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('federation_catalog_sync')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('last_synced_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_batch_entries', 'integer', (c) => c.notNull())
    .execute();
}

/** Drops the tables, the trigger and the sequence. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS resources_federation_changed ON resources`.execute(db);
  await sql`DROP FUNCTION IF EXISTS federation_catalog_changed()`.execute(db);
  for (const table of [
    'federation_catalog_sync',
    'federation_catalog_orgs',
    'federation_catalog_entries',
    'federation_catalog_report',
    'federation_catalog_changes',
  ])
    await db.schema.dropTable(table).ifExists().execute();
  await sql`DROP SEQUENCE IF EXISTS catalog_change_seq`.execute(db);
}
