import { type Kysely, sql } from 'kysely';

const sqlOne = sql`id = 1`;

/**
 * Federation (联邦, issue 17): this node's identity and role, the signed federation configuration
 * it holds, and on the root the member registry (with pending join requests), the one-time join
 * tokens and, on every node, the nonces of peers' signed requests (shared by the node's processes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_node')
    // One row: this installation.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sqlOne))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('parent_node_id', 'text')
    // root: it signs the configuration; member: it fetches and checks it.
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('federation', 'text', (c) => c.notNull())
    .addColumn('root_url', 'text')
    // The root key pinned when the node joined: every configuration must verify under it.
    .addColumn('root_public_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('federation_config')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sqlOne))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('signed', 'jsonb', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('federation_members')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_node_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    // pending → active (approved) or rejected; active ↔ suspended; → revoked.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .execute();

  await db.schema
    .createTable('federation_join_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // SHA-256 of the token: the token itself is shown once, to the administrator who issued it.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('used_by_node', 'text')
    .execute();

  await db.schema
    .createTable('federation_nonces')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_nonces_pk', ['node_id', 'nonce'])
    .execute();
  await db.schema.createIndex('federation_nonces_seen').on('federation_nonces').column('seen_at').execute();
}

/** Drops the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'federation_nonces',
    'federation_join_tokens',
    'federation_members',
    'federation_config',
    'federation_node',
  ])
    await db.schema.dropTable(table).ifExists().execute();
}
