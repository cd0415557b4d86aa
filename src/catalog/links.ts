import { createHash } from 'node:crypto';
import type { SharingMethod } from './vocab.js';

// Every URL the standard views publish, in one place, so that DCAT-AP, CKAN and Frictionless
// name the same things the same way.

/** The page (and API object) of a resource. */
export const resourceUrl = (base: string, code: string) =>
  `${base}/api/v1/resources/${encodeURIComponent(code)}`;

/**
 * Where a consumer reaches a resource by one sharing method (共享方式): the platform's access
 * point, behind which applications, grants and the query path decide what is delivered.
 */
export const accessUrl = (base: string, code: string, method: SharingMethod) =>
  `${resourceUrl(base, code)}/access/${method}`;

/** The resource's schema as a Frictionless Data Package. */
export const dataPackageUrl = (base: string, code: string) => `${resourceUrl(base, code)}/datapackage.json`;

/** The organisation (publisher) IRI. */
export const organizationUrl = (base: string, id: string) => `${base}/api/v1/organizations/${id}`;

/** The catalog IRI. */
export const catalogUrl = (base: string) => `${base}/api/v1/catalog`;

/** A name-based UUID (v5 layout over SHA-1) for things that need a stable id but have no row, e.g. CKAN tags. */
export function stableUuid(namespace: string, name: string): string {
  const hash = createHash('sha1').update(`${namespace}\u0000${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
