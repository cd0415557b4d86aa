import { Migrator } from 'kysely';
import { MIGRATION_NAMES, migrationProvider } from './migrations/index.js';
import type { Store } from './open.js';

function migratorOf(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider: migrationProvider,
    migrationTableName: 'huitong_migrations',
    migrationLockTableName: 'huitong_migrations_lock',
    // Named explicitly: otherwise Kysely finds another schema's table of the same name.
    migrationTableSchema: store.schema,
  });
}

type Outcome = Awaited<ReturnType<Migrator['migrateToLatest']>>;

function applied({ error, results }: Outcome): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrate(store: Store): Promise<string[]> {
  return applied(await migratorOf(store).migrateToLatest());
}

/**
 * Applies the migrations up to and including `name` (never down): a restore loads an archive into
 * the schema it was taken from before upgrading it, and the upgrade test starts from an older one.
 */
export async function migrateTo(store: Store, name: string): Promise<string[]> {
  if (!MIGRATION_NAMES.includes(name)) throw new Error(`unknown migration ${name}`);
  const done = await schemaVersion(store);
  if (done && MIGRATION_NAMES.indexOf(done) > MIGRATION_NAMES.indexOf(name))
    throw new Error(`the store is already at ${done}, past ${name}`);
  if (done === name) return [];
  return applied(await migratorOf(store).migrateTo(name));
}

/** The newest migration applied to the store, or undefined for a store never migrated. */
export async function schemaVersion(store: Store): Promise<string | undefined> {
  const migrations = await migratorOf(store).getMigrations();
  return migrations.filter((m) => m.executedAt !== undefined).at(-1)?.name;
}

/** The newest migration this build knows: the schema version a migrated store has. */
export const LATEST_MIGRATION: string = MIGRATION_NAMES.at(-1)!;
