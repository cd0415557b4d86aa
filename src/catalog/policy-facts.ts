import type { ResourceView } from './schemas.js';

/**
 * What an audit entry records of a resource: the fields that decide who may have its data
 * (provider, sharing and open types, grade, items) and where it stands in its lifecycle.
 */
export function resourcePolicy(resource: ResourceView) {
  return {
    resourceId: resource.id,
    providerId: resource.provider.id,
    status: resource.status,
    version: resource.version,
    sharingType: resource.sharingType,
    openType: resource.openType,
    grade: resource.grade,
    gradeLevel: resource.gradeLevel,
    items: resource.items.map((item) => item.name),
  };
}
