import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { describe } from 'vitest';
import { dropSchema, migrate, openStore, type Store, type StoreKind } from '../../src/store/index.js';
import { SERVICES, serviceAvailable } from './services.js';

/**
 * Both metadata stores: every store-level and HTTP suite runs against each. `HUITONG_TEST_STORES`
 * (comma-separated) narrows that, for mutation runs (stryker.config.mjs), where each mutant reruns
 * its files and PGlite's start and migrations would cost most of each run.
 */
export const STORE_KINDS: StoreKind[] = (['pglite', 'postgres'] as const).filter(
  (kind) => !process.env.HUITONG_TEST_STORES || process.env.HUITONG_TEST_STORES.split(',').includes(kind),
);

const worker = globalThis as { __huitongPglite?: Promise<PGlite> };

/** This worker's PGlite, opened once and shared by the files it runs. */
export function sharedPglite(): Promise<PGlite> {
  worker.__huitongPglite ??= PGlite.create();
  return worker.__huitongPglite;
}

/**
 * A migrated store in a schema of its own; `close` drops the schema. Given `schema`, a second
 * handle on another store's schema (as a second API process would have), which leaves it be.
 */
export async function openTestStore(kind: StoreKind, shared?: { schema: string }): Promise<Store> {
  const schema = shared?.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const store =
    kind === 'postgres'
      ? await openStore({ databaseUrl: SERVICES.postgres.url, schema, maxConnections: 4 })
      : await openStore({ pglite: await sharedPglite(), schema });
  await migrate(store);
  if (shared) return store;
  return {
    ...store,
    close: async () => {
      await dropSchema(store, schema).catch(() => undefined);
      await store.close();
    },
  };
}

// Checked once per worker, before the suites are collected, so that a missing server skips
// (or, under HUITONG_REQUIRE_SERVICES=1, fails) instead of timing out test by test.
const postgresUp = await serviceAvailable('postgres');

/** Runs a suite once per store kind; the PostgreSQL run skips (or fails in CI) when the server is absent. */
export function describeEachStore(name: string, suite: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    describe.skipIf(kind === 'postgres' && !postgresUp)(`${name} [${kind}]`, () => suite(kind));
  }
}
