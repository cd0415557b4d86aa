import type { Kysely } from 'kysely';

/**
 * 等保 (GB/T 22239-2019, identification): a password someone else set (an administrator creating
 * the account or resetting its password) must be changed by its holder at the first sign-in.
 * Existing accounts keep working as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

/** Drops the flag. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
