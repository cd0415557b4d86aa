import type { Kysely } from 'kysely';

/**
 * Failed-login counters, per account and per client address, in the store so that every API
 * process behind a load balancer counts the same attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    // `account:<sha256 of the username>` or `address:<address or IPv6 /64>`: a username typed
    // into the password field (or the reverse) is not kept in clear.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('blocked_until', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('login_throttle_last_failed_idx')
    .on('login_throttle')
    .column('last_failed_at')
    .execute();
}

/** Drops the counters. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
