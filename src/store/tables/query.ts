import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** One bound item: which source column holds it. */
export interface BoundColumn {
  item: string;
  column: string;
}

/** A described column remembered at binding time, to detect drift. */
export interface SnapshotColumn {
  name: string;
  type: string;
}

/** resource_bindings: where a catalog resource's data lives. */
export interface ResourceBindingTable {
  resource_id: string;
  source_id: string;
  read_from: Json<{ kind: 'table'; schema?: string | null; table: string } | { kind: 'query'; sql: string }>;
  columns: Json<BoundColumn[]>;
  snapshot: Json<SnapshotColumn[]>;
  bound_by: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/** The query module's tables. */
export interface QueryTables {
  resource_bindings: ResourceBindingTable;
}
