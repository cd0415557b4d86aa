// Catalog and data endpoints: search with facets, resources, versions, classifications, rows, SQL.
import type {
  ClassificationView,
  CreateResourceInput,
  ItemView,
  ResourceView,
  UpdateResourceInput,
} from '../../../src/catalog/schemas.js';
import type { Grade, OpenType, SharingType, UpdateCycle } from '../../../src/catalog/vocab.js';
import { api, type Page } from './client.js';

export type {
  ClassificationView,
  CreateResourceInput,
  Grade,
  ItemView,
  OpenType,
  ResourceView,
  SharingType,
  UpdateCycle,
};

/** The facets the search counts (FACETS of src/catalog/search-query.ts, which imports the store). */
export type Facet =
  | 'provider'
  | 'classification'
  | 'sharingType'
  | 'openType'
  | 'grade'
  | 'format'
  | 'updateCycle'
  | 'region'
  | 'level'
  | 'tag'
  | 'node';

export interface Bucket {
  value: string;
  label: string;
  count: number;
}

/** The node an entry of a federated search comes from (src/catalog/search-reported.ts, NodeRef). */
export interface NodeRef {
  nodeId: string;
  name: string;
  regionCode: string;
  /** This node's own entry (false: another node reported it; GET /resources/{code} does not hold it). */
  local: boolean;
}

/** A search hit: on a node of a federation, with the node that holds it (this one or a reporting one). */
export type SearchItem = ResourceView & { node?: NodeRef };

export interface SearchResult {
  count: number;
  items: SearchItem[];
  facets: Partial<Record<Facet, Bucket[]>>;
  /** A visitor's text search: shared (not open) resources that match for signed-in members. */
  membersOnly?: number;
}

/** Filters of a search: each facet takes one value here (the API also takes lists). */
export type SearchFilters = Partial<Record<Facet, string>> & {
  q?: string;
  sort?: 'relevance' | 'published' | 'updated' | 'name' | 'created';
  status?: 'draft' | 'published' | 'retired';
  limit?: number;
  offset?: number;
  facets?: string;
  facetLimit?: number;
};

export interface Column {
  name: string;
  type: string;
  /** The item's name (信息项名称) for a resource's column. */
  label?: string;
}

export interface RowsPage {
  resource: string;
  columns: Column[];
  rows: Record<string, unknown>[];
  nextCursor: string | null;
  /** Indexes in `rows` of the rows under an objection not yet confirmed (异议中). */
  disputed?: number[];
}

export interface SqlResult {
  columns: Column[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  /** The sandbox mode (可用不可见): the output checks the answer passed. */
  check?: import('./release-reviews.js').CheckReport;
}

/** The sandbox mode's answer held for the provider steward's release review (202): no row. */
export interface HeldSqlAnswer {
  review: { id: string; status: 'pending' };
  check: import('./release-reviews.js').CheckReport;
}

export interface StatsBucket {
  key: string;
  label: string;
  count: number;
}

/** GET /catalog/stats: published resources counted several ways. */
export interface CatalogStats {
  total: number;
  byProvider: StatsBucket[];
  bySharingType: StatsBucket[];
  byOpenType: StatsBucket[];
  byGrade: StatsBucket[];
  byUpdateCycle: StatsBucket[];
  byMonth: StatsBucket[];
}

/** The report of a bulk catalog import (POST /catalog/import). */
export interface ImportReport {
  mode: 'valid-only' | 'all-or-nothing';
  total: number;
  imported: { row: number; code: string; name: string }[];
  rejected: { sheet: 'resources' | 'items'; row: number; code: string; field?: string; message: string }[];
  committed: boolean;
}

export type DataFormat = 'json' | 'ndjson' | 'csv' | 'xlsx' | 'parquet' | 'arrow';

const v1 = '/api/v1';
const enc = encodeURIComponent;

/** Body of POST /resources/{code}/statistics (src/query/statistics-plan.ts). */
export interface StatisticsQuery {
  measures: Array<{ fn: 'count' } | { fn: 'sum' | 'avg'; item: string }>;
  groupBy?: { item: string; groups: string[] };
  epsilon: number;
}

/** Its answer (src/query/statistics.ts): noisy values only, and what is left of the ε budget. */
export interface StatisticsAnswer {
  resource: string;
  mechanism: 'discrete-laplace';
  epsilon: {
    perMeasure: number;
    spent: number;
    remainingToday: number | null;
    remainingTotal: number | null;
  };
  groups: Array<{
    group: string | null;
    values: Array<{ measure: string; value: number; noiseStddev: number }>;
  }>;
}

export const catalogApi = {
  search: (filters: SearchFilters) => api.get<SearchResult>(`${v1}/catalog/search`, filters),
  /**
   * One entry of the federated catalog by its node and code (the search's exact `name` filter
   * on resource codes): how the portal shows an entry another node reported, which
   * GET /resources/{code} does not know.
   */
  nodeEntry: async (nodeId: string, code: string): Promise<SearchItem | null> => {
    const found = await api.get<SearchResult>(`${v1}/catalog/search`, {
      node: nodeId,
      name: code,
      limit: 1,
      facets: '',
    });
    return found.items.find((i) => i.code === code) ?? null;
  },
  classifications: () => api.get<{ items: ClassificationView[] }>(`${v1}/catalog/classifications`),
  resources: (query: { limit?: number; cursor?: string; providerId?: string; status?: string }) =>
    api.get<Page<ResourceView>>(`${v1}/resources`, query),
  resource: (code: string) => api.get<ResourceView>(`${v1}/resources/${enc(code)}`),
  createResource: (body: CreateResourceInput) => api.post<ResourceView>(`${v1}/resources`, body),
  // Where catalog review is required, a published entry's change and a publication answer 202
  // with the pending change (catalog-review.ts) instead of the resource.
  updateResource: (code: string, body: UpdateResourceInput) =>
    api.patch<ResourceView | import('./catalog-review.js').CatalogChange>(
      `${v1}/resources/${enc(code)}`,
      body,
    ),
  publish: (code: string) =>
    api.post<ResourceView | import('./catalog-review.js').CatalogChange>(
      `${v1}/resources/${enc(code)}/publish`,
    ),
  retire: (code: string) => api.post<ResourceView>(`${v1}/resources/${enc(code)}/retire`),
  versions: (code: string) =>
    api.get<{ items: { version: number; publishedAt: string; publishedBy: string | null }[] }>(
      `${v1}/resources/${enc(code)}/versions`,
    ),
  rows: (code: string, query: { limit?: number; cursor?: string; fields?: string; sort?: string }) =>
    api.get<RowsPage>(`${v1}/resources/${enc(code)}/rows`, { ...query, format: 'json' }),
  sql: (sql: string, aliases?: Record<string, string>, limit = 1000) =>
    api.post<SqlResult | HeldSqlAnswer>(`${v1}/query`, { sql, aliases, format: 'json', limit }),
  stats: () => api.get<CatalogStats>(`${v1}/catalog/stats`),
  statistics: (code: string, body: StatisticsQuery) =>
    api.post<StatisticsAnswer>(`${v1}/resources/${enc(code)}/statistics`, body),
};

/** The URL that downloads a resource's rows as a file (the browser sends the session cookie). */
export function rowsFileUrl(code: string, format: DataFormat, limit?: number): string {
  const params = new URLSearchParams({ format });
  if (limit) params.set('limit', String(limit));
  // Officials open CSV in Excel: a BOM, and the items' names as the header (XLSX has both rows).
  if (format === 'csv') {
    params.set('bom', '1');
    params.set('header', 'name');
  }
  return `${v1}/resources/${enc(code)}/rows?${params}`;
}
