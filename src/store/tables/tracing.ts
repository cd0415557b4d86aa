import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** tracing_items: a resource item's role in the marks (key, or tolerant number or time). */
export interface TracingItemTable {
  resource_id: string;
  item: string;
  role: string;
  tolerance: number | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** The tracing module's tables. */
export interface TracingTables {
  tracing_items: TracingItemTable;
}
