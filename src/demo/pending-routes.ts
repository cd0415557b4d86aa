// The routes of the data path the demo uses (sources, bindings, sharing, query), named once so
// that the loader and the scenarios can say exactly which route they wait for when a server
// does not have it.

/** Routes the demo uses beyond identity, catalog and audit. */
export const ROUTES = {
  /** The file itself as the body (`Content-Type: text/csv`), `?name=&description=`. */
  uploadFile: 'POST /api/v1/sources/files',
  /** Corrections of a file's inferred column types. */
  retype: 'PATCH /api/v1/sources/{id}/columns',
  /** A database source: `{kind, name, host, port, database, user, password}`. */
  createSource: 'POST /api/v1/sources',
  /** What a source holds: `{tables: [{schema, name, columns}]}`. */
  describeSource: 'GET /api/v1/sources/{id}/schema',
  /** Binds a resource: `{sourceId, from: {kind: 'table', schema, table}, columns: {item: column}}`. */
  bind: 'PUT /api/v1/resources/{code}/binding',
  /** An access request: `{applicationId, resourceCode, items, purpose, legalBasis, validUntil}`. */
  requestAccess: 'POST /api/v1/access-requests',
  /** One review step's approval (steward, then for important data the security officer). */
  approve: 'POST /api/v1/access-requests/{id}/approve',
  /** SQL across resources (codes or aliases as table names): `{sql, aliases, format, limit}`. */
  query: 'POST /api/v1/query',
  /** Rows of one resource, as a JSON page or (`format=csv`) a file export. */
  rows: 'GET /api/v1/resources/{code}/rows',
  /** A yes/no verification: `{values: {item: value}}` → `{match}`. */
  verify: 'POST /api/v1/resources/{code}/verify',
  /** Differentially private statistics: `{measures, groupBy: {item, groups}, epsilon}`. */
  statistics: 'POST /api/v1/resources/{code}/statistics',
} as const;

/** A route of the table with its path parameters filled in: `[method, path]`. */
export function route(name: keyof typeof ROUTES, params: Record<string, string> = {}): [string, string] {
  const [method, template] = ROUTES[name].split(' ') as [string, string];
  return [method, template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''))];
}
