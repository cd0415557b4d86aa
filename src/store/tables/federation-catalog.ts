import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
// bigint: a string from node-postgres, a number or bigint from PGlite; always read with Number().
type Int8 = ColumnType<string | number | bigint, string | number, string | number>;

/** federation_catalog_changes: each resource's last change sequence (written by a trigger). */
export interface FederationCatalogChangeTable {
  resource_id: string;
  seq: Int8;
}

/** federation_catalog_report: one row, this node's reporting to its parent. */
export interface FederationCatalogReportTable {
  id: number;
  cursor: Int8;
  last_attempt_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
}

/** federation_catalog_entries: on a parent, the catalog entries its children reported. */
export interface FederationCatalogEntryTable {
  origin_node_id: string;
  resource_id: string;
  via_node_id: string;
  status: string;
  code: string;
  name: string;
  provider_id: string;
  provider_name: string;
  classification_code: string;
  sharing_type: string;
  open_type: string;
  grade: string;
  format: string;
  update_cycle: string;
  provider_region: string;
  provider_level: string;
  licence: string;
  tags: string[];
  view: Json<unknown>;
  search_doc: ColumnType<string, string, string>;
  published_at: Timestamp | null;
  updated_at: Timestamp;
  created_at: Timestamp;
  received_at: Timestamp;
  source_seq: Int8;
  seq: Int8;
}

/** federation_catalog_orgs: which node an organisation reported to this parent belongs to. */
export interface FederationCatalogOrgTable {
  org_id: string;
  node_id: string;
}

/** federation_catalog_sync: on a parent, each child's acknowledged cursor and last report. */
export interface FederationCatalogSyncTable {
  node_id: string;
  cursor: Int8;
  last_synced_at: Timestamp;
  last_batch_entries: number;
}

/** The catalog reporting tables. */
export interface FederationCatalogTables {
  federation_catalog_changes: FederationCatalogChangeTable;
  federation_catalog_report: FederationCatalogReportTable;
  federation_catalog_entries: FederationCatalogEntryTable;
  federation_catalog_orgs: FederationCatalogOrgTable;
  federation_catalog_sync: FederationCatalogSyncTable;
}
