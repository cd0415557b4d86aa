import { z } from 'zod';

/**
 * `{code}` path parameter of a resource: any code-sized string, so that a code no resource has —
 * malformed or not — is a 404 `not_found` like any other unknown resource, not a 400.
 */
export const CodeParams = z.strictObject({
  code: z.string().min(1).max(100).describe('信息资源代码 (an unknown one answers 404)'),
});

/** Tags of the catalog's routes in the OpenAPI document. */
export const TAGS = {
  resources: ['catalog: resources'],
  review: ['catalog: review'],
  search: ['catalog: search'],
  views: ['catalog: DCAT-AP and Frictionless'],
  ckan: ['CKAN Action API'],
};
