import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.js';
import { attachReadCache, MAX_READ_CACHE_MS, ReadCache } from './read-cache.js';
import type { Database } from './types.js';

/** Which engine holds the metadata. */
export type StoreKind = 'pglite' | 'postgres';

/** The metadata store: a Kysely handle over PGlite or a PostgreSQL server. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreKind;
  /** The schema that holds the tables ('public' unless confined). */
  readonly schema: string;
  close(): Promise<void>;
}

/** Where the store lives. */
export interface StoreOptions {
  /** A postgres:// URL; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite's directory; absent means in memory. */
  dataDir?: string;
  /** A schema to confine every table to (tests give each file its own). */
  schema?: string;
  /** An already-open PGlite to borrow (tests share one per worker); it is not closed with the store. */
  pglite?: PGlite;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** How long the hot path's reads (key, resource, binding, source) may be reused; 0 turns it off. */
  readCacheMs?: number;
}

/** A Kysely handle over `dialect` whose hot-path reads go through a read cache it keeps current. */
function handle(dialect: PostgresDialect, options: StoreOptions): Kysely<Database> {
  const ttl = Math.min(options.readCacheMs ?? DEFAULT_READ_CACHE_MS, MAX_READ_CACHE_MS);
  const cache = new ReadCache(ttl);
  const db = new Kysely<Database>({ dialect, plugins: [cache.plugin] });
  attachReadCache(db, cache);
  return db;
}

const DEFAULT_READ_CACHE_MS = 500;

// int8 as a JS number, as PGlite returns it, so that both stores behave the same.
// Counts and sequence numbers stay far below 2^53.
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const quoteIdent = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name ${name}`);
  return `"${name}"`;
};

/** Opens (and for PGlite, creates) the metadata store; call `migrate` next. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const schema = options.schema ? quoteIdent(options.schema) : undefined;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      types: pgTypes,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    if (schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        client.release();
      }
    }
    const db = handle(new PostgresDialect({ pool }), options);
    return { db, kind: 'postgres', schema: options.schema ?? 'public', close: () => db.destroy() };
  }

  const shared = options.pglite;
  let pglite = shared;
  if (!pglite) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    pglite = new PGlite(options.dataDir ? join(options.dataDir) : undefined);
    await pglite.waitReady;
  }
  if (schema) await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  // A shared PGlite serves several stores in turn, so each borrow sets its own search_path.
  const pool = new PGlitePool(
    pglite,
    schema ? async (conn) => void (await conn.exec(`SET search_path TO ${schema}`)) : undefined,
  );
  const db = handle(new PostgresDialect({ pool: pool as unknown as pg.Pool }), options);
  return {
    db,
    kind: 'pglite',
    schema: options.schema ?? 'public',
    close: async () => {
      if (shared) return;
      await db.destroy();
    },
  };
}

/** Drops a schema with everything in it (test clean-up). */
export async function dropSchema(store: Store, schemaName: string): Promise<void> {
  await sql.raw(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaName)} CASCADE`).execute(store.db);
}
