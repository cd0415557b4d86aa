// The staging table as the platform creates it: one column per delivered item, typed from the
// catalog's item types, plus `huitong_key_id` (the event's keyId) as primary key. Upserts and
// deletes go by huitong_key_id because the key items may be masked or not granted at all; the
// key items stay ordinary columns.
import type { DeliveredColumn } from '../types.js';
import { ChannelError } from '../types.js';

export type Dialect = 'postgres' | 'mysql';

/** The key column the platform adds to every staging table. */
export const KEY_COLUMN = 'huitong_key_id';
/** The position table the platform keeps in the staging database. */
export const POSITIONS_TABLE = 'huitong_delivery_positions';

// The catalog's value types (query/row-stream ColumnType, plus the names items are also given);
// anything else — a masked item, a type the platform learns later — is text.
type Kind = 'text' | 'integer' | 'decimal' | 'number' | 'boolean' | 'date' | 'timestamp' | 'json';
const KINDS: Record<string, Kind> = {
  string: 'text',
  integer: 'integer',
  decimal: 'decimal',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  datetime: 'timestamp',
  json: 'json',
};

/** How a delivered type is stored: text for an unknown or masked type. */
export function kindOf(type: string): Kind {
  return KINDS[type] ?? 'text';
}

// The DDL type of each kind, and the information_schema data_type(s) an existing column of that
// kind may show (MariaDB reports JSON as longtext; a reused table must match what we create).
const SQL_TYPES: Record<Dialect, Record<Kind, { ddl: string; seen: string[] }>> = {
  postgres: {
    text: { ddl: 'text', seen: ['text'] },
    integer: { ddl: 'bigint', seen: ['bigint'] },
    decimal: { ddl: 'numeric', seen: ['numeric'] },
    number: { ddl: 'double precision', seen: ['double precision'] },
    boolean: { ddl: 'boolean', seen: ['boolean'] },
    date: { ddl: 'date', seen: ['date'] },
    timestamp: { ddl: 'timestamptz', seen: ['timestamp with time zone'] },
    json: { ddl: 'jsonb', seen: ['jsonb'] },
  },
  mysql: {
    text: { ddl: 'LONGTEXT', seen: ['longtext'] },
    integer: { ddl: 'BIGINT', seen: ['bigint'] },
    // Exact: up to 35 integer digits and 30 decimals (the catalog gives no precision).
    decimal: { ddl: 'DECIMAL(65,30)', seen: ['decimal'] },
    number: { ddl: 'DOUBLE', seen: ['double'] },
    boolean: { ddl: 'BOOLEAN', seen: ['tinyint'] },
    date: { ddl: 'DATE', seen: ['date'] },
    timestamp: { ddl: 'DATETIME(6)', seen: ['datetime'] },
    json: { ddl: 'JSON', seen: ['json', 'longtext'] },
  },
};

/** A column of the staging table: its name, kind and DDL type. */
export interface StagingColumn {
  name: string;
  kind: Kind;
  ddl: string;
}

/** Quotes a validated identifier in the dialect's way (embedded quotes doubled). */
export function quoteIdent(dialect: Dialect, name: string): string {
  return dialect === 'postgres' ? `"${name.replaceAll('"', '""')}"` : `\`${name.replaceAll('`', '``')}\``;
}

/**
 * The staging table's columns for a batch: huitong_key_id first, then the delivered items in
 * order. A name that cannot be a column (empty, over 63 bytes, control characters, trailing
 * space, repeated, or huitong_key_id itself) refuses the batch: no retry would fix it.
 */
export function stagingColumns(dialect: Dialect, columns: DeliveredColumn[]): StagingColumn[] {
  const seen = new Set<string>([KEY_COLUMN]);
  const out: StagingColumn[] = [{ name: KEY_COLUMN, kind: 'text', ddl: '' }];
  for (const c of columns) {
    const bytes = Buffer.byteLength(c.name, 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    const bad = bytes === 0 || bytes > 63 || /[\u0000-\u001f\u007f]/.test(c.name) || c.name.endsWith(' ');
    // MySQL column names ignore case: two items differing only by case would collide there.
    const folded = c.name.toLowerCase();
    if (bad || seen.has(folded))
      throw new ChannelError(
        'staging_column_invalid',
        `The item name ${JSON.stringify(c.name.slice(0, 80))} cannot be a column of the staging table`,
        false,
      );
    seen.add(folded);
    const kind = kindOf(c.type);
    out.push({ name: c.name, kind, ddl: SQL_TYPES[dialect][kind].ddl });
  }
  return out;
}

/**
 * CREATE TABLE IF NOT EXISTS for the staging table (`qualified` is already quoted). On PostgreSQL
 * the primary key is added after the snapshot (see postgres-write.ts: one index build instead of
 * an index insert per row); on MySQL (InnoDB clusters rows by it) it is there from the start.
 */
export function createTableSql(dialect: Dialect, qualified: string, columns: StagingColumn[]): string {
  const q = (n: string) => quoteIdent(dialect, n);
  // keyIds are base64url: case matters, so a binary collation (MySQL's ascii default ignores case).
  const keyType =
    dialect === 'postgres'
      ? 'text COLLATE "C" NOT NULL'
      : 'VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY';
  const defs = columns.map((c) =>
    c.name === KEY_COLUMN ? `${q(c.name)} ${keyType}` : `${q(c.name)} ${c.ddl}`,
  );
  const tail = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
  return `CREATE TABLE IF NOT EXISTS ${qualified} (${defs.join(', ')})${tail}`;
}

/** CREATE TABLE IF NOT EXISTS for the position table (`qualified` is already quoted). */
export function createPositionsSql(dialect: Dialect, qualified: string): string {
  return dialect === 'postgres'
    ? `CREATE TABLE IF NOT EXISTS ${qualified} (subscription_id text PRIMARY KEY, last_seq bigint NOT NULL, last_event_id text, updated_at timestamptz NOT NULL DEFAULT now())`
    : `CREATE TABLE IF NOT EXISTS ${qualified} (subscription_id VARCHAR(255) PRIMARY KEY, last_seq BIGINT NOT NULL, last_event_id VARCHAR(255), updated_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

/**
 * Checks an existing table against the columns we would create: the same names (in any order)
 * with compatible types, and huitong_key_id. Anything else is the consumer's own table (or one
 * made for other items): not retryable, nothing is written into it.
 */
export function checkExisting(
  dialect: Dialect,
  table: string,
  wanted: StagingColumn[],
  existing: { name: string; dataType: string }[],
): void {
  const have = new Map(existing.map((c) => [c.name.toLowerCase(), c.dataType.toLowerCase()]));
  const problems: string[] = [];
  if (have.size !== wanted.length) problems.push(`${have.size} columns where ${wanted.length} are delivered`);
  for (const c of wanted) {
    const type = have.get(c.name.toLowerCase());
    if (type === undefined) problems.push(`no column ${c.name}`);
    else if (c.name !== KEY_COLUMN && !SQL_TYPES[dialect][c.kind].seen.includes(type))
      problems.push(`column ${c.name} is ${type}, not ${c.ddl}`);
  }
  if (problems.length)
    throw new ChannelError(
      'staging_table_conflict',
      `The table ${table} exists in the staging database with other columns (${problems.slice(0, 5).join('; ')})`,
      false,
    );
}
