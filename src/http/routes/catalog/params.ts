import { z } from 'zod';
import { ResourceCodeSchema } from '../../../catalog/index.js';

/** `{code}` path parameter of a resource. */
export const CodeParams = z.strictObject({ code: ResourceCodeSchema });

/** Tags of the catalog's routes in the OpenAPI document. */
export const TAGS = {
  resources: ['catalog: resources'],
  search: ['catalog: search'],
  views: ['catalog: DCAT-AP and Frictionless'],
  ckan: ['CKAN Action API'],
};
