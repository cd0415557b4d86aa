import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { isPoolSaturated, StoreAvailability, StoreUnavailableError } from './availability.js';
import { ConfinedPostgresDialect } from './confined-dialect.js';
import { PGlitePool } from './pglite-pool.js';
import { attachReadCache, MAX_READ_CACHE_MS, ReadCache } from './read-cache.js';
import type { Database } from './types.js';

// How long a request waits for a connection of a busy pool before a 503.
const POOL_WAIT_MS = 30_000;

/** Which engine holds the metadata. */
export type StoreKind = 'pglite' | 'postgres';

/** The metadata store: a Kysely handle over PGlite or a PostgreSQL server. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreKind;
  /** The schema that holds the tables ('public' unless confined). */
  readonly schema: string;
  /** Whether the store answers; PostgreSQL may go away and come back, PGlite cannot. */
  readonly availability: StoreAvailability;
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
  /** Shown in pg_stat_activity as application_name (at most 63 bytes): names this process. */
  applicationName?: string;
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
  if (options.databaseUrl) return openPostgres(options.databaseUrl, schema, options);

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
  const db = handle(
    new ConfinedPostgresDialect({ pool: pool as unknown as pg.Pool }, options.schema ?? 'public'),
    options,
  );
  return {
    db,
    kind: 'pglite',
    schema: options.schema ?? 'public',
    availability: new StoreAvailability(),
    close: async () => {
      if (shared) return;
      await db.destroy();
    },
  };
}

/**
 * A PostgreSQL store that rides out an outage: a connection the server drops (restart, failover,
 * idle timeout, pg_terminate_backend) is an event to log, not a crash; a failed connect marks the
 * store unavailable (503 store_unavailable) until a probe succeeds. Connects lazily, so a server
 * can start while PostgreSQL is down (unless a schema must be created first).
 */
async function openPostgres(url: string, schema: string | undefined, options: StoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: pgTypes,
    // A refused or silent server fails the checkout within this, rather than hanging requests.
    connectionTimeoutMillis: 5000,
    // Idle connections stay, so that the process is visible in pg_stat_activity (see
    // closeInterruptedReleases) and the next request does not pay a connect.
    idleTimeoutMillis: 0,
    keepAlive: true,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const availability = new StoreAvailability(async () => {
    await pool.query('select 1');
  });
  // Without these listeners, a dropped connection is an unhandled 'error' event: the process dies.
  pool.on('error', (error) => availability.report(error));
  pool.on('connect', (client) => client.on('error', (error) => availability.report(error)));
  if (schema) {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  }
  // Every checkout goes through here: a refused connect marks the store down and is a 503.
  const guarded = {
    connect: async () => {
      // A full pool is waited out (concurrent audited writes queue on the chain's lock) for up to
      // POOL_WAIT_MS; only then a 503, and the store is not marked down for it.
      const deadline = Date.now() + POOL_WAIT_MS;
      for (;;) {
        try {
          return await pool.connect();
        } catch (error) {
          if (isPoolSaturated(error)) {
            if (Date.now() < deadline) continue;
            throw new StoreUnavailableError(error);
          }
          if (availability.report(error)) throw new StoreUnavailableError(error);
          throw error;
        }
      }
    },
    end: () => pool.end(),
  };
  const db = handle(
    new ConfinedPostgresDialect({ pool: guarded as unknown as pg.Pool }, options.schema ?? 'public'),
    options,
  );
  return {
    db,
    kind: 'postgres',
    schema: options.schema ?? 'public',
    availability,
    close: async () => {
      availability.stop();
      await db.destroy();
    },
  };
}

/** Drops a schema with everything in it (test clean-up). */
export async function dropSchema(store: Store, schemaName: string): Promise<void> {
  await sql.raw(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaName)} CASCADE`).execute(store.db);
}
