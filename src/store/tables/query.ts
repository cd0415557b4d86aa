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
  /** The steward's capture settings (key, incremental column), or null. */
  capture: ColumnType<BindingCapture | string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/** How a bound table's changes are captured without (or instead of) the source's change log. */
export interface BindingCapture {
  keyColumns: string[];
  incrementalColumn?: string;
  keyCheckEvery?: number;
  method?: 'log' | 'poll';
}

/** release_reviews: sandbox answers (可用不可见) held for the provider steward's release review. */
export interface ReleaseReviewTable {
  id: string;
  provider_id: string;
  consumer_org_id: string;
  /** `user:<id>` or `application:<id>`. */
  requester: string;
  resources: Json<string[]>;
  grant_ids: Json<string[]>;
  sql: string;
  aliases: Json<Record<string, string>>;
  columns: Json<unknown[]>;
  /** The held rows in clear: only rows held before migration 0015, until the platform seals them. */
  rows: ColumnType<unknown[][] | null, string | null | undefined, string | null>;
  /** The held rows, sealed with the credentials key and bound to the review's id (`v1.<iv>.<tag>.<ct>`). */
  sealed_rows: string | null;
  /** How many rows are held: what the API shows without opening them. */
  row_count: ColumnType<number, number | undefined, number>;
  report: Json<unknown>;
  /** pending, approved or refused. */
  status: string;
  reason: ColumnType<string, string | undefined, string>;
  decided_by: string | null;
  decided_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** The query module's tables. */
export interface QueryTables {
  resource_bindings: ResourceBindingTable;
  release_reviews: ReleaseReviewTable;
}
