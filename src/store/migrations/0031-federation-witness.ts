import type { Kysely } from 'kysely';

/**
 * Witnessed logs (联邦见证, issue 17): the audit key each member publishes in the configuration,
 * what this node's witness saw of each peer's log (every consistent checkpoint, for naming where a
 * later fork diverges), the key pinned for a peer that publishes none, the fork and rollback
 * alerts (its own and the ones the root relays) and, on the root, the cosignatures it collects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The member's audit log vkey (C2SP), signed into the configuration by the root; null for nodes
  // that joined before it was asked for (their witnesses pin the key on first sight).
  await db.schema.alterTable('federation_members').addColumn('audit_vkey', 'text').execute();

  await db.schema
    .createTable('federation_witness_peers')
    .addColumn('peer_node_id', 'text', (c) => c.primaryKey())
    .addColumn('vkey', 'text', (c) => c.notNull())
    // config: taken from the signed configuration; first_sight: fetched from the peer and pinned.
    .addColumn('vkey_source', 'text', (c) => c.notNull())
    // The peer's latest consistent checkpoint note and this node's cosignature line over it,
    // sent to the root with every report until a newer one replaces them.
    .addColumn('cosigned_note', 'text')
    .addColumn('cosignature', 'text')
    .addColumn('checked_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('federation_witness_seen')
    .addColumn('peer_node_id', 'text', (c) => c.notNull())
    .addColumn('tree_size', 'int8', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_witness_seen_pk', ['peer_node_id', 'tree_size'])
    .execute();

  await db.schema
    .createTable('federation_witness_alerts')
    // SHA-256 of what was detected, by whom: the same detection relayed twice is one alert.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_node_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detected_by', 'text', (c) => c.notNull())
    .addColumn('agreed_size', 'int8', (c) => c.notNull())
    .addColumn('diverged_by', 'int8', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('federation_cosignatures')
    .addColumn('log_node_id', 'text', (c) => c.notNull())
    .addColumn('tree_size', 'int8', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('witness_node_id', 'text', (c) => c.notNull())
    // The log's signed checkpoint note as the witness saw it, and its cosignature line.
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('cosignature', 'text', (c) => c.notNull())
    .addColumn('cosigned_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_cosignatures_pk', ['log_node_id', 'tree_size', 'witness_node_id'])
    .execute();
}

/** Drops the tables and the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'federation_cosignatures',
    'federation_witness_alerts',
    'federation_witness_seen',
    'federation_witness_peers',
  ])
    await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable('federation_members').dropColumn('audit_vkey').execute();
}
