import type { FieldPacket, PoolConnection } from 'mysql2/promise';
import { sourceError } from '../errors.js';
import type { ReadFrom } from '../plan.js';
import { mysqlType } from '../sql/column-types.js';
import type { DescribedColumn, DescribedTable } from '../types.js';
import { stewardSelect } from './sql-read.js';

interface ColumnRow {
  schema: string;
  name: string;
  tableType: string;
  tableRows: number | string | null;
  column: string;
  native: string;
  nullable: string;
}

// TABLE_ROWS is InnoDB's estimate (exact for MyISAM); views have none.
const CATALOG = `
  SELECT c.TABLE_SCHEMA AS \`schema\`, c.TABLE_NAME AS name, t.TABLE_TYPE AS tableType,
         t.TABLE_ROWS AS tableRows, c.COLUMN_NAME AS \`column\`, c.COLUMN_TYPE AS native,
         c.IS_NULLABLE AS nullable
    FROM information_schema.COLUMNS c
    JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
   WHERE c.TABLE_SCHEMA = ?`;

const column = (r: ColumnRow): DescribedColumn => ({
  name: r.column,
  type: mysqlType(r.native),
  nativeType: r.native,
  nullable: r.nullable === 'YES',
});

/** Every table and view of one database (MySQL's schema), with columns and row estimates. */
export async function describeMysql(conn: PoolConnection, database: string): Promise<DescribedTable[]> {
  const [rows] = await conn.query(`${CATALOG} ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`, [database]);
  const tables = new Map<string, DescribedTable>();
  for (const r of rows as ColumnRow[]) {
    let table = tables.get(r.name);
    if (!table) {
      const isView = r.tableType === 'VIEW';
      table = {
        schema: r.schema,
        name: r.name,
        kind: isView ? 'view' : 'table',
        rowEstimate: isView || r.tableRows === null ? null : Number(r.tableRows),
        columns: [],
      };
      tables.set(r.name, table);
    }
    table.columns.push(column(r));
  }
  return [...tables.values()];
}

// mysql2's protocol type codes, as names that mysqlType() understands.
const NATIVE: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  14: 'date',
  16: 'bit',
  245: 'json',
  246: 'decimal',
};

function fieldType(field: FieldPacket): string {
  const code = field.columnType ?? -1;
  const name = NATIVE[code] ?? 'varchar';
  if ((name === 'tinyint' || name === 'bit') && field.columnLength === 1) return `${name}(1)`;
  return name;
}

/** The columns a read from a table, or from the steward's SELECT, would see. */
export async function describeMysqlFrom(
  conn: PoolConnection,
  from: ReadFrom,
  database: string,
): Promise<DescribedColumn[]> {
  if (from.kind === 'table') {
    const [rows] = await conn.query(`${CATALOG} AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION`, [
      from.schema ?? database,
      from.table,
    ]);
    const list = rows as ColumnRow[];
    if (list.length === 0)
      throw sourceError('unknown_table', `The source has no readable table ${JSON.stringify(from.table)}`, {
        schema: from.schema ?? database,
        table: from.table,
      });
    return list.map(column);
  }
  await conn.query('START TRANSACTION READ ONLY');
  try {
    const [, fields] = await conn.query(`SELECT * FROM (${stewardSelect(from.sql)}) AS q LIMIT 0`);
    return (fields ?? []).map((f) => {
      const native = fieldType(f);
      return { name: f.name, type: mysqlType(native), nativeType: native, nullable: true };
    });
  } finally {
    await conn.query('ROLLBACK');
  }
}
