import { type Kysely, sql } from 'kysely';

/**
 * The tamper-evident audit log: canonical entries with searchable columns, the hashes of every
 * complete subtree of the Merkle tree, a one-row head that orders writers, and signed checkpoints.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'int2', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('tree_size', 'int8', (c) => c.notNull())
    .addColumn('frontier', 'bytea', (c) => c.notNull())
    .addColumn('checkpoint_size', 'int8', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO audit_head (id, tree_size, frontier, checkpoint_size) VALUES (1, 0, ''::bytea, 0)`.execute(
    db,
  );

  // Search goes through one GIN index over tags (type:…, actor:…, org:…, resource:…) and a BRIN
  // index over time: both nearly free to maintain, where a B-tree per column halved append rates.
  await db.schema
    .createTable('audit_entries')
    .addColumn('idx', 'int8', (c) => c.primaryKey())
    .addColumn('entry', 'bytea', (c) => c.notNull())
    .addColumn('leaf_hash', 'bytea', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull())
    .addColumn('ref_index', 'int8')
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX audit_entries_tags_idx ON audit_entries USING gin (tags)`.execute(db);
  await sql`CREATE INDEX audit_entries_time_idx ON audit_entries USING brin (time)`.execute(db);
  await db.schema
    .createIndex('audit_entries_ref_idx')
    .on('audit_entries')
    .column('ref_index')
    .where('ref_index', 'is not', null)
    .execute();

  // Levels 1 and up; level 0 (the leaf hashes) lives in audit_entries.leaf_hash.
  await db.schema
    .createTable('audit_nodes')
    .addColumn('level', 'int2', (c) => c.notNull())
    .addColumn('idx', 'int8', (c) => c.notNull())
    .addColumn('hash', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_nodes_pkey', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', 'int8', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('tree_size', 'int8', (c) => c.notNull())
    .addColumn('root_hash', 'bytea', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_checkpoints_size_idx')
    .on('audit_checkpoints')
    .columns(['tree_size', 'id'])
    .execute();
}

/** Drops the audit tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_checkpoints', 'audit_nodes', 'audit_entries', 'audit_head']) {
    await db.schema.dropTable(table).execute();
  }
}
