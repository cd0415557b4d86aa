import type { ColumnType } from '../query/index.js';
import { wireText } from '../query/index.js';
import { dataRow, type WireField } from './protocol.js';

/** The PostgreSQL type of each delivered column type: OID, size, and the name catalogs show. */
export const PG_TYPES: Record<ColumnType, { oid: number; size: number; name: string; duck: string }> = {
  string: { oid: 25, size: -1, name: 'text', duck: 'VARCHAR' },
  integer: { oid: 20, size: 8, name: 'bigint', duck: 'BIGINT' },
  number: { oid: 701, size: 8, name: 'double precision', duck: 'DOUBLE' },
  decimal: { oid: 1700, size: -1, name: 'numeric', duck: 'DECIMAL(38,10)' },
  boolean: { oid: 16, size: 1, name: 'boolean', duck: 'BOOLEAN' },
  date: { oid: 1082, size: 4, name: 'date', duck: 'DATE' },
  timestamp: { oid: 1114, size: 8, name: 'timestamp without time zone', duck: 'TIMESTAMP' },
  json: { oid: 114, size: -1, name: 'json', duck: 'JSON' },
};

/** The wire fields of delivered columns. */
export function fieldsOf(columns: { name: string; type: ColumnType }[]): WireField[] {
  return columns.map((c) => ({ name: c.name, oid: PG_TYPES[c.type].oid, size: PG_TYPES[c.type].size }));
}

/** A value in PostgreSQL's text format for its column type (ISO dates without the `T` and zone). */
export function pgText(value: unknown, type: ColumnType): string | null {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return type === 'date' ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  const text = wireText(value);
  if (text === null) return null;
  if (type === 'timestamp') return text.replace('T', ' ').replace(/Z$/, '');
  return text;
}

/** DataRows of a batch, one buffer. */
export function dataRows(rows: unknown[][], types: ColumnType[]): Buffer {
  return Buffer.concat(rows.map((row) => dataRow(row.map((v, i) => pgText(v, types[i]!)))));
}

// COPY's text format: tab-separated, \N for null, backslash escapes.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A row in COPY's text format (or CSV when `csv`). */
export function copyLine(row: unknown[], types: ColumnType[], csv: boolean): string {
  const cells = row.map((v, i) => {
    const text = pgText(v, types[i]!);
    if (csv) {
      if (text === null) return '';
      return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
    }
    return text === null ? '\\N' : text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);
  });
  return `${cells.join(csv ? ',' : '\t')}\n`;
}
