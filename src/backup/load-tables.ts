import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Database, MIGRATION_NAMES, migrate, migrateTo, type Store } from '../store/index.js';
import { BackupError } from './errors.js';
import { type Manifest, tableMember } from './manifest.js';
import { listTables, quoteIdent, tableColumns } from './snapshot.js';

type Db = Kysely<Database>;

/** Tables ordered so that each comes after those its foreign keys point to; also which point to themselves. */
async function loadOrder(
  db: Db,
  tables: string[],
): Promise<{ order: string[]; selfReferencing: Set<string> }> {
  const { rows } = await sql<{ child: string; parent: string }>`
    SELECT child.relname AS child, parent.relname AS parent
    FROM pg_constraint c
    JOIN pg_class child ON child.oid = c.conrelid
    JOIN pg_class parent ON parent.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()`.execute(db);
  const selfReferencing = new Set(rows.filter((r) => r.child === r.parent).map((r) => r.child));
  const order: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const r of rows) if (r.child === table && r.parent !== table) visit(r.parent, path);
    placed.add(table);
    order.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return { order, selfReferencing };
}

/** Loads one table's member; a table whose rows point to each other is loaded in one statement. */
async function loadTable(
  trx: Transaction<Database>,
  dir: string,
  table: string,
  whole: boolean,
): Promise<number> {
  const lines = createInterface({
    input: createReadStream(join(dir, tableMember(table))),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let batch: string[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const t = quoteIdent(table);
    await sql`INSERT INTO ${sql.raw(t)} OVERRIDING SYSTEM VALUE
      SELECT * FROM json_populate_recordset(NULL::${sql.raw(t)}, ${`[${batch.join(',')}]`}::json)`.execute(
      trx,
    );
    rows += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    if (line === '') continue;
    batch.push(line);
    if (!whole && batch.length >= 500) await flush();
  }
  await flush();
  return rows;
}

/** Moves identity and serial sequences past the rows just loaded. */
async function resetSequences(trx: Transaction<Database>, tables: string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await sql<{ col: string; seq: string }>`
      SELECT column_name AS col, pg_get_serial_sequence(${quoteIdent(table)}, column_name) AS seq
      FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx);
    for (const { col, seq } of rows) {
      if (!seq) continue;
      await sql`SELECT setval(${seq}, coalesce((SELECT max(${sql.ref(col)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(
        trx,
      );
    }
  }
}

/**
 * Loads the archive's tables into an empty store: migrates it to the archive's schema version,
 * empties what the migrations seeded, loads every table in foreign-key order in one transaction
 * (checking each count and column list against the manifest), then migrates it to this build's
 * newest schema, as an upgrade would. Returns the migrations applied after the load.
 */
export async function loadTables(store: Store, dir: string, manifest: Manifest): Promise<string[]> {
  if (!MIGRATION_NAMES.includes(manifest.schemaVersion))
    throw new BackupError(
      'schema_too_new',
      `the archive's schema ${manifest.schemaVersion} is unknown to this build (newest ${MIGRATION_NAMES.at(-1)}): restore with the version that wrote it`,
    );
  await migrateTo(store, manifest.schemaVersion);
  const tables = await listTables(store.db);
  const archived = new Map(manifest.tables.map((t) => [t.name, t]));
  for (const name of new Set([...tables, ...archived.keys()])) {
    const wanted = archived.get(name);
    const columns = tables.includes(name) ? await tableColumns(store.db, name) : undefined;
    if (!wanted || !columns || wanted.columns.join(',') !== columns.join(','))
      throw new BackupError(
        'schema_mismatch',
        `table ${name} of the archive does not match the schema ${manifest.schemaVersion} of this build`,
        tableMember(name),
      );
  }
  const { order, selfReferencing } = await loadOrder(store.db, tables);
  await store.db.transaction().execute(async (trx) => {
    await sql.raw(`TRUNCATE ${tables.map(quoteIdent).join(', ')} RESTART IDENTITY CASCADE`).execute(trx);
    for (const table of order) {
      const rows = await loadTable(trx, dir, table, selfReferencing.has(table));
      if (rows !== archived.get(table)!.rows)
        throw new BackupError(
          'member_corrupted',
          `member ${tableMember(table)} holds ${rows} rows, the manifest says ${archived.get(table)!.rows}`,
          tableMember(table),
        );
    }
    await resetSequences(trx, tables);
  });
  return migrate(store);
}
