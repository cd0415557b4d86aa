import { z } from 'zod';

/** Value types of the columns a query delivers, normalised across sources. */
export const ColumnTypeSchema = z.enum([
  'string',
  'integer',
  'number',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'json',
]);
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

/** A delivered column: its machine name (the item's field name) and, for a resource's item, its name (信息项名称). */
export interface Column {
  name: string;
  type: ColumnType;
  /** The catalogue item's name (often Chinese), absent for a column a SQL query made. */
  label?: string;
}

/** What a file's header row says: the items' names, their field names, or both (names, then fields). */
export const HeaderSchema = z.enum(['name', 'field', 'both']);
export type Header = z.infer<typeof HeaderSchema>;

/** The header rows of a file: one, or two when `both` and some column has a name of its own. */
export function headerRows(columns: Column[], header: Header): string[][] {
  const names = columns.map((c) => c.label ?? c.name);
  const fields = columns.map((c) => c.name);
  if (header === 'field') return [fields];
  if (header === 'name') return [names];
  return columns.some((c) => c.label !== undefined && c.label !== c.name) ? [names, fields] : [fields];
}

/** Rows as they flow from execution to delivery: column metadata, then batches of value arrays. */
export interface RowStream {
  columns: Column[];
  batches: AsyncIterable<unknown[][]>;
}

/** A value as JSON carries it: dates as ISO strings, big integers as numbers when safe. */
export function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && 'toString' in value && value.constructor?.name?.startsWith('DuckDB'))
    return String(value);
  return value;
}

/** A value as text (CSV, XLSX cells): empty for null. */
export function textValue(value: unknown): string {
  const v = jsonValue(value);
  if (v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Counts rows and bytes as they pass, for the audit entry that completes a release. */
export interface DeliveryTally {
  rows: number;
  bytes: number;
}
