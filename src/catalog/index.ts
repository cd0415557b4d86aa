// The catalog (数据资源目录): resources, their lifecycle and versions, search, statistics, and
// the standard views (DCAT-AP, CKAN, Frictionless) of the same records.

export { CKAN_ACTIONS, type CkanContext, runCkanAction } from './ckan/actions.js';
export { CkanSearchError } from './ckan/query.js';
export { listClassifications, requireClassification } from './classifications.js';
export { DATA_TYPE_NAMES, DATA_TYPES, type DataType, parseDataType } from './data-types.js';
export { catalogDcat, type RdfDocument, type RdfFormat, resourceDcat } from './dcat.js';
export type { FacetBucket } from './facets.js';
export { isReportable, reportedSearchDocument, resourceViewsById } from './federated.js';
export {
  type DataPackage,
  DataPackageSchema,
  exportDataPackage,
  importDataPackage,
  toDataPackage,
} from './frictionless.js';
export {
  type ImportMode,
  type ImportOptions,
  type ImportReport,
  importCatalog,
  type RejectedRow,
} from './import/catalog-import.js';
export { ITEM_COLUMNS, RESOURCE_COLUMNS } from './import/columns.js';
export { detectFormat, type ImportFormat } from './import/sheets.js';
export { publishResource, retireResource, updateResource } from './lifecycle.js';
export { accessUrl, catalogUrl, dataPackageUrl, organizationUrl, resourceUrl } from './links.js';
export { type ResourceName, resourceNames } from './names.js';
export { parseInput } from './parse-input.js';
export { importedFacts, resourcePolicy } from './policy-facts.js';
export { createResource, listResources, type ResourceListFilter } from './resources.js';
export { approveChange, refuseChange, withdrawChange } from './review-decide.js';
export { pendingChangeId } from './review-pending.js';
export { getChange, listChanges } from './review-read.js';
export * from './review-schemas.js';
export {
  type CatalogNotify,
  type CatalogRecipient,
  type Outcome,
  type ReviewSetting,
  requestPublish,
  requestUpdate,
} from './review-submit.js';
export * from './schemas.js';
export { type SearchResult, searchResources } from './search.js';
export {
  FACETS,
  type Facet,
  FacetSchema,
  type ParsedSearchQuery,
  type SearchQuery,
  SearchQuerySchema,
} from './search-query.js';
export type { FederatedSearch, NodeRef } from './search-reported.js';
export { type CatalogStats, catalogStats, type StatBucket } from './stats.js';
export { findResourceById, getResource, getVersion, listVersions } from './versions.js';
export { canSeeResource, type VisibilityFacts, visibleResourceFilter } from './visibility.js';
export * from './vocab.js';
