import { Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Store } from './open.js';

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider,
    migrationTableName: 'huitong_migrations',
    migrationLockTableName: 'huitong_migrations_lock',
    // Named explicitly: otherwise Kysely finds another schema's table of the same name.
    migrationTableSchema: store.schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
