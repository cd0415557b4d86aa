// Test support of the staging-database channel (src/exchange/channels/staging): a factory of
// push batches and a database of its own per test file on the machine's PostgreSQL or MariaDB.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type StagingConfig, StagingConfigSchema } from '../../src/exchange/channels/staging/index.js';
import type { PushBatch } from '../../src/exchange/channels/types.js';
import type { DeliveredEvent } from '../../src/exchange/events.js';
import { SERVICES, serviceAvailable } from './services.js';

export type StagingDialect = 'postgres' | 'mysql';

/** The delivered columns of the test batches: every catalog type, and a masked item. */
export const STAGING_COLUMNS = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'born', type: 'date' },
  { name: 'income', type: 'decimal' },
  { name: 'score', type: 'number' },
  { name: 'active', type: 'boolean' },
  { name: 'seen_at', type: 'timestamp' },
  { name: 'extra', type: 'json' },
  { name: 'id_card', type: 'masked' },
];

/** One change: an op, the row's id, and values that differ from the default row. */
export type Change = ['insert' | 'update', number, Partial<Record<string, unknown>>?] | ['delete', number];

/** The event of a change at a sequence number; its keyId is derived from the id. */
export function stagingEvent(seq: number, change: Change): DeliveredEvent {
  const [op, id, extra] = change;
  const row =
    op === 'delete'
      ? null
      : {
          id,
          name: `person ${id}`,
          born: '1990-02-03',
          income: '1234.56',
          score: 0.5,
          active: true,
          seen_at: '2026-01-02T03:04:05.678Z',
          extra: { tags: ['a', 'b'] },
          id_card: '1101**********1234',
          ...extra,
        };
  return {
    seq,
    eventId: `ev-${seq}`,
    op,
    key: { id },
    keyId: `k${id.toString(16).padStart(8, '0')}`,
    row,
    createdAt: new Date().toISOString(),
  };
}

let nextSeq = 1;
/** A batch of changes for a subscription, with sequence numbers following the previous batch's. */
export function stagingBatch(subscriptionId: string, changes: Change[], snapshot = false): PushBatch {
  const events = changes.map((c) => stagingEvent(nextSeq++, c));
  return {
    target: { subscriptionId, orgId: 'org', applicationId: 'app', resourceCode: 'R1' },
    events,
    columns: STAGING_COLUMNS,
    keyColumns: ['id'],
    snapshot,
    body: JSON.stringify(events),
  };
}

/** Reserves the next sequence number (for an event made by hand). */
export function takeSeq(): number {
  return nextSeq++;
}

/** A plain administrative session on a test database. */
export interface Admin {
  exec(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

/** An administrative session (postgres / root) on `database` (the service's `test` by default). */
export async function admin(dialect: StagingDialect, database?: string): Promise<Admin> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ ...SERVICES.postgres, user: 'postgres', database: database ?? 'test' });
    await client.connect();
    return { exec: async (sql) => (await client.query(sql)).rows, end: () => client.end() };
  }
  const conn = await mysql.createConnection({
    host: SERVICES.mariadb.host,
    port: SERVICES.mariadb.port,
    user: 'root',
    database,
    dateStrings: true,
  });
  return { exec: async (sql) => (await conn.query(sql))[0] as unknown[], end: () => conn.end() };
}

/** A staging database of the test file's own (huitong_stg_<random>), created before and dropped after. */
export interface StagingDatabase {
  readonly available: boolean;
  readonly name: string;
  /** The admin session on it. */
  readonly db: Admin;
  /** A channel config towards it (table `people` unless given). */
  config(extra?: Partial<StagingConfig>): StagingConfig;
  /** A table's rows, by id. */
  rows(table?: string): Promise<Record<string, unknown>[]>;
}

/** Registers the database's creation and removal (skipped when the service is absent). */
export function useStagingDatabase(dialect: StagingDialect): StagingDatabase {
  const name = `huitong_stg_${randomBytes(5).toString('hex')}`;
  let available = false;
  let db: Admin | undefined;
  beforeAll(async () => {
    available = await serviceAvailable(dialect === 'postgres' ? 'postgres' : 'mariadb');
    if (!available) return;
    const root = await admin(dialect);
    await root.exec(`CREATE DATABASE ${name}`);
    await root.end();
    db = await admin(dialect, name);
  });
  afterAll(async () => {
    if (!available) return;
    await db?.end();
    const root = await admin(dialect);
    await root.exec(dialect === 'postgres' ? `DROP DATABASE ${name} WITH (FORCE)` : `DROP DATABASE ${name}`);
    await root.end();
  });
  return {
    get available() {
      return available;
    },
    name,
    get db() {
      if (!db) throw new Error('the staging test database is not open');
      return db;
    },
    config: (extra = {}) =>
      StagingConfigSchema.parse({
        dialect,
        host: '127.0.0.1',
        port: dialect === 'postgres' ? SERVICES.postgres.port : SERVICES.mariadb.port,
        database: name,
        user: dialect === 'postgres' ? 'postgres' : 'root',
        table: 'people',
        ...extra,
      }),
    rows: (table = 'people') =>
      (db as Admin).exec(`SELECT * FROM ${table} ORDER BY id`) as Promise<Record<string, unknown>[]>,
  };
}
