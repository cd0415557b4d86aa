import type pg from 'pg';
import { sourceError } from '../errors.js';
import type { ReadFrom } from '../plan.js';
import { postgresType } from '../sql/column-types.js';
import type { DescribedColumn, DescribedTable } from '../types.js';
import { stewardSelect } from './sql-read.js';

interface CatalogRow {
  schema: string;
  name: string;
  relkind: string;
  reltuples: number | null;
  column: string;
  native: string;
  nullable: boolean;
}

// pg_catalog rather than information_schema: it has reltuples, and format_type() gives the
// native type with its modifiers. Only relations the user may SELECT from are listed.
const CATALOG = `
  SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
         c.reltuples::float8 AS reltuples, a.attname AS column,
         format_type(a.atttypid, a.atttypmod) AS native, NOT a.attnotnull AS nullable
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
     AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
     AND has_table_privilege(c.oid, 'SELECT')`;

const column = (r: CatalogRow): DescribedColumn => ({
  name: r.column,
  type: postgresType(r.native),
  nativeType: r.native,
  nullable: r.nullable,
});

/** Every readable table and view, optionally of one schema, with columns and row estimates. */
export async function describePostgres(client: pg.ClientBase, schema?: string): Promise<DescribedTable[]> {
  const { rows } = await client.query<CatalogRow>(
    `${CATALOG} ${schema ? 'AND n.nspname = $1' : ''} ORDER BY n.nspname, c.relname, a.attnum`,
    schema ? [schema] : [],
  );
  const tables = new Map<string, DescribedTable>();
  for (const r of rows) {
    const key = `${r.schema}\u0000${r.name}`;
    let table = tables.get(key);
    if (!table) {
      const isView = r.relkind === 'v' || r.relkind === 'm';
      // reltuples is -1 (PG 14+) or 0 before the first ANALYZE: unknown rather than empty.
      const estimate = r.reltuples !== null && r.reltuples >= 0 && !isView ? Math.round(r.reltuples) : null;
      table = {
        schema: r.schema,
        name: r.name,
        kind: isView ? 'view' : 'table',
        rowEstimate: estimate,
        columns: [],
      };
      tables.set(key, table);
    }
    table.columns.push(column(r));
  }
  return [...tables.values()];
}

/** The columns a read from a table, or from the steward's SELECT, would see. */
export async function describePostgresFrom(
  client: pg.ClientBase,
  from: ReadFrom,
): Promise<DescribedColumn[]> {
  if (from.kind === 'table') {
    const { rows } = await client.query<CatalogRow>(
      `${CATALOG} AND c.relname = $1 AND ${from.schema ? 'n.nspname = $2' : 'pg_table_is_visible(c.oid)'}
       ORDER BY a.attnum`,
      from.schema ? [from.table, from.schema] : [from.table],
    );
    if (rows.length === 0)
      throw sourceError('unknown_table', `The source has no readable table ${JSON.stringify(from.table)}`, {
        schema: from.schema ?? null,
        table: from.table,
      });
    return rows.map(column);
  }
  // The result columns of the steward's SELECT, without running it: LIMIT 0 in a read-only transaction.
  await client.query('BEGIN READ ONLY');
  try {
    const result = await client.query(`SELECT * FROM (${stewardSelect(from.sql)}) AS q LIMIT 0`);
    const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
    const types = await client.query<{ oid: number; native: string }>(
      'SELECT oid::int AS oid, format_type(oid, NULL) AS native FROM pg_type WHERE oid = ANY($1::oid[])',
      [oids],
    );
    const native = new Map(types.rows.map((t) => [t.oid, t.native]));
    return result.fields.map((f) => {
      const name = native.get(f.dataTypeID) ?? 'text';
      return { name: f.name, type: postgresType(name), nativeType: name, nullable: true };
    });
  } finally {
    await client.query('ROLLBACK');
  }
}
