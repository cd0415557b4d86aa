import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { EMPTY_ROOT, rootAt } from '../audit/index.js';
import type { Database, Store } from '../store/index.js';
import { tableMember } from './manifest.js';

type Db = Kysely<Database>;

// Kysely's own bookkeeping: a restore recreates it by migrating to the archive's schema version.
const BOOKKEEPING = new Set(['huitong_migrations', 'huitong_migrations_lock']);

/** A SQL identifier, quoted. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The platform's tables in the store's schema (the migrations' tables), by name. */
export async function listTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(
    db,
  );
  return rows.map((r) => r.name).filter((name) => !BOOKKEEPING.has(name));
}

/** A table's columns in their order. */
export async function tableColumns(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Writes a table's rows as NDJSON, one `row_to_json` per line: PostgreSQL's own text forms
 * (bytea as \x hex, timestamps with their offset, arrays, jsonb), which `json_populate_recordset`
 * reads back exactly on either store. A cursor keeps memory flat on a long audit log.
 */
async function dumpTable(db: Db, table: string, path: string): Promise<number> {
  const out = createWriteStream(path);
  const cursor = quoteIdent(`backup_${table}`);
  let rows = 0;
  try {
    await sql
      .raw(
        `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${quoteIdent(table)} t`,
      )
      .execute(db);
    for (;;) {
      const batch = await sql.raw<{ j: string }>(`FETCH 1000 FROM ${cursor}`).execute(db);
      if (batch.rows.length === 0) break;
      const text = `${batch.rows.map((r) => r.j).join('\n')}\n`;
      rows += batch.rows.length;
      if (!out.write(text)) await once(out, 'drain');
    }
    await sql.raw(`CLOSE ${cursor}`).execute(db);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rows;
}

/** What one snapshot holds besides its rows. */
export interface Snapshot {
  schemaVersion: string;
  tables: { name: string; columns: string[]; rows: number }[];
  /** The data-directory paths of the uploaded files the snapshot's file sources name. */
  files: string[];
  audit: { treeSize: number; rootHash: Buffer };
}

/**
 * Dumps every table from one REPEATABLE READ, read-only transaction (one snapshot: the audit
 * head, its nodes and entries, and the rows they speak of agree, however many processes write
 * meanwhile) into `<dir>/metadata/`, and calls `pin` with the files the snapshot names while the
 * snapshot is still open (on PGlite no other request runs meanwhile, so none can be removed).
 */
export async function dumpSnapshot(
  store: Store,
  dir: string,
  pin: (files: string[]) => Promise<void>,
): Promise<Snapshot> {
  await mkdir(join(dir, 'metadata'), { recursive: true });
  return store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const version = await sql<{ name: string }>`
        SELECT name FROM huitong_migrations ORDER BY name DESC LIMIT 1`.execute(trx);
      const schemaVersion = version.rows[0]?.name;
      if (!schemaVersion) throw new Error('the store has never been migrated');
      const tables: Snapshot['tables'] = [];
      for (const name of await listTables(trx)) {
        const columns = await tableColumns(trx, name);
        const rows = await dumpTable(trx, name, join(dir, tableMember(name)));
        tables.push({ name, columns, rows });
      }
      const fileRows = await trx.selectFrom('sources').select('config').where('kind', '=', 'file').execute();
      const files = fileRows
        .map((r) => {
          const config = (typeof r.config === 'string' ? JSON.parse(r.config) : r.config) as {
            path?: unknown;
          };
          return config.path;
        })
        .filter((p): p is string => typeof p === 'string');
      const head = await trx
        .selectFrom('audit_head')
        .select('tree_size')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      const treeSize = Number(head.tree_size);
      const rootHash = treeSize === 0 ? Buffer.from(EMPTY_ROOT) : await rootAt(trx, treeSize);
      await pin(files);
      return { schemaVersion, tables, files, audit: { treeSize, rootHash } };
    });
}
