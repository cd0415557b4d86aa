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

/** A delivered column. */
export interface Column {
  name: string;
  type: ColumnType;
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
