// The routes of modules still being built (sources, query binding, sharing, delivery), as the
// demo calls them. They are named here once so that a changed route is a one-line change, and
// so that the loader and the scenarios can say exactly which route they are waiting for.

/** Routes the demo uses beyond identity, catalog and audit. */
export const ROUTES = {
  /** Multipart upload (fields `name`, `description`, `file`) creating a file source. */
  uploadFile: 'POST /api/v1/sources/files',
  /** A database source: `{name, kind, description, config, secret}`. */
  createSource: 'POST /api/v1/sources',
  /** What a source holds: `{tables: [{schema, name, columns}]}`. */
  describeSource: 'GET /api/v1/sources/{id}/describe',
  /** Binds a resource to a source table: `{sourceId, readFrom, columns: [{item, column}]}`. */
  bind: 'PUT /api/v1/resources/{code}/binding',
  /** An access request: `{resourceCode, purpose, items?}`. */
  requestAccess: 'POST /api/v1/access-requests',
  /** The provider's approval, which creates the grant. */
  approve: 'POST /api/v1/access-requests/{id}/approve',
  /** Federated SQL over granted resources (resource codes as table names): `{sql}` → `{columns, rows}`. */
  query: 'POST /api/v1/query',
  /** Rows of one resource, as JSON or (`format=csv`) a file export. */
  rows: 'GET /api/v1/resources/{code}/rows',
  /** A yes/no verification: `{values: {item: value}}` → `{match: boolean}`. */
  verify: 'POST /api/v1/resources/{code}/verify',
} as const;

/** A route of the table with its path parameters filled in: `[method, path]`. */
export function route(name: keyof typeof ROUTES, params: Record<string, string> = {}): [string, string] {
  const [method, template] = ROUTES[name].split(' ') as [string, string];
  return [method, template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''))];
}
