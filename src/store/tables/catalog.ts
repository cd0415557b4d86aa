import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** classifications: the 类/项/目/细目 tree of 信息资源分类; `code` is the digits of its path. */
export interface ClassificationTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
}

/** catalog_providers: the provider code (提供方代码) of each organisation that publishes. */
export interface CatalogProviderTable {
  org_id: string;
  provider_code: string;
}

/** catalog_sequences: the last sequence number used per classification + provider prefix. */
export interface CatalogSequenceTable {
  prefix: string;
  last: number;
}

/** An item (信息项) as stored in `resources.items`. */
export interface StoredItem {
  name: string;
  field: string | null;
  dataType: string;
  length: number | null;
  description: string;
  personal: boolean;
  personalKind: string | null;
  grade: string | null;
  /** Declared value range of a numeric item (absent on items stored before bounds existed). */
  bounds?: { lower: number; upper: number; granularity: number } | null;
}

/** resources (信息资源): the catalog's entries, their current state; provider facts copied for facets. */
export interface ResourceTable {
  id: string;
  code: string;
  name: string;
  classification_code: string;
  provider_id: string;
  provider_name: string;
  provider_code: string;
  provider_region: string;
  provider_level: string;
  summary: string;
  format: string;
  items: Json<StoredItem[]>;
  sharing_type: string;
  sharing_conditions: string;
  sharing_methods: string[];
  legal_basis: string;
  open_type: string;
  open_conditions: string;
  update_cycle: string;
  publish_date: string | null;
  related_codes: string[];
  grade: string;
  grade_level: number | null;
  tags: string[];
  keywords: string[];
  contact: Json<{ name: string; phone: string; email: string }>;
  licence: string;
  status: string;
  version: number;
  /** Search tokens (tsvector); written with `array_to_tsvector`, read only by queries. */
  search_doc: ColumnType<string, string, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_at: Timestamp | null;
  retired_at: Timestamp | null;
}

/** resource_versions: the snapshot of each published version, kept readable for ever. */
export interface ResourceVersionTable {
  resource_id: string;
  version: number;
  snapshot: Json<unknown>;
  published_at: CreatedAt;
  published_by: string | null;
}

/** catalog_changes (目录审核): a publication or change waiting for, or decided by, the catalog reviewer. */
export interface CatalogChangeTable {
  id: string;
  resource_id: string;
  resource_code: string;
  resource_name: string;
  provider_id: string;
  kind: 'publish' | 'update';
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  base_version: number;
  proposed: Json<Record<string, unknown>>;
  diff: Json<Array<{ field: string; before: unknown; after: unknown }>>;
  author: string;
  author_user_id: string | null;
  author_org_id: string;
  submitted_at: CreatedAt;
  decided_at: Timestamp | null;
  decided_by: string | null;
  reason_code: string | null;
  comment: ColumnType<string, string | undefined, string>;
  applied_version: number | null;
}

/** The catalog module's tables. */
export interface CatalogTables {
  classifications: ClassificationTable;
  catalog_providers: CatalogProviderTable;
  catalog_sequences: CatalogSequenceTable;
  resources: ResourceTable;
  resource_versions: ResourceVersionTable;
  catalog_changes: CatalogChangeTable;
}
