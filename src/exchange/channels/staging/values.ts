// Values as the staging database takes them. They travel as bound parameters (pg), driver-escaped
// values (mysql2) or COPY text rows (escaped below): never as SQL text.
import type { Dialect, StagingColumn } from './table.js';
import { KEY_COLUMN } from './table.js';

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function asBoolean(v: unknown): boolean | string {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  // Text such as 'true'/'f' is left to the database, which refuses what is not a boolean.
  return asText(v);
}

// MySQL's DATETIME has no zone: an instant with an offset is written as UTC (sessions use +00:00).
function mysqlDatetime(v: unknown): string {
  const text = asText(v);
  if (/(Z|[+-]\d\d:?\d\d)$/.test(text) && /^\d{4}-\d\d-\d\dT/.test(text)) {
    const d = new Date(text);
    if (!Number.isNaN(d.getTime())) return d.toISOString().replace('T', ' ').replace('Z', '');
  }
  return text.replace('T', ' ');
}

/** One column's value for the dialect (null stays null). */
export function columnValue(dialect: Dialect, column: StagingColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (column.kind) {
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : asText(v);
    case 'boolean':
      return asBoolean(v);
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : asText(v);
    case 'timestamp':
      return dialect === 'mysql' ? mysqlDatetime(v) : asText(v);
    case 'json':
      // Always serialised: a JSON string value must arrive as a JSON string, not as raw text.
      return JSON.stringify(v);
    default:
      return asText(v);
  }
}

/** An event's values in the table's column order: its keyId, then the row's items. */
export function rowValues(
  dialect: Dialect,
  columns: StagingColumn[],
  keyId: string,
  row: Record<string, unknown>,
): unknown[] {
  return columns.map((c) => (c.name === KEY_COLUMN ? keyId : columnValue(dialect, c, row[c.name])));
}

// COPY's text format: backslash, tab, newline and carriage return escaped; \N is null.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;

/** A row of PostgreSQL COPY text format (tab-separated, newline-terminated). */
export function copyLine(values: unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) line += '\t';
    if (v === null) line += '\\N';
    else if (typeof v === 'boolean') line += v ? 't' : 'f';
    else {
      const text = typeof v === 'string' ? v : String(v);
      // Most values need no escape: testing first halves the cost of a large snapshot.
      line += NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => COPY_ESCAPES[c] as string) : text;
    }
  }
  return `${line}\n`;
}
