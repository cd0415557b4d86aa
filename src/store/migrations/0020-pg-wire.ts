import { type Kysely, sql } from 'kysely';

/**
 * SCRAM-SHA-256 verifiers (RFC 5802/7677) for the PostgreSQL wire protocol: a user's password or
 * an API key is stored hashed (argon2, SHA-256), from which SCRAM cannot be answered, so each
 * password set and each key created from now on also gets its verifier: salt, iterations,
 * StoredKey and ServerKey, never the secret itself. Older passwords and keys have none: they
 * sign in over TLS with a cleartext password until they are set again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scram_verifiers')
    // `user` (subject_id: users.id) or `api_key` (subject_id: api_keys.id).
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    // What the client sends as its user name: the username, or the application's name.
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('iterations', 'integer', (c) => c.notNull())
    .addColumn('stored_key', 'text', (c) => c.notNull())
    .addColumn('server_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('scram_verifiers_pkey', ['subject', 'subject_id'])
    .execute();
  await db.schema.createIndex('scram_verifiers_login_idx').on('scram_verifiers').column('login').execute();
}

/** Drops the verifiers. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scram_verifiers').execute();
}
